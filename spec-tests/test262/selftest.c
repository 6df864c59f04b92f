/* selftest.c: tests of the test262 runner itself (ctest spec.test262.selftest):
 * the frontmatter reader, the lists, and whole runs of the worker pool over
 * a tiny fake suite (selftest/suite) with the fake engine (fake.c), which
 * crashes, hangs and misbehaves on purpose. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fake.h"
#include "t262.h"

#define SUITE T262_SELFTEST_DIR "/suite"

static T262Meta meta;
static char err[256];

static bool parse(const char *src) {
  return t262_parse_frontmatter(src, strlen(src), &meta, err, sizeof err);
}

START_TEST(frontmatter_inline_lists) {
  ck_assert(parse("/*---\nincludes: [a.js, 'b.js' ]\nflags: [onlyStrict, async]\n"
                  "features: [x, y.z]\n---*/\n"));
  ck_assert(meta.has_frontmatter);
  ck_assert_int_eq(meta.n_includes, 2);
  ck_assert_str_eq(meta.includes[0], "a.js");
  ck_assert_str_eq(meta.includes[1], "b.js");
  ck_assert_uint_eq(meta.flags, T262_F_ONLY_STRICT | T262_F_ASYNC);
  ck_assert_int_eq(meta.n_features, 2);
  ck_assert_str_eq(meta.features[1], "y.z");
  ck_assert_int_eq(meta.negative_phase, T262_PHASE_NONE);
}
END_TEST

START_TEST(frontmatter_blocks) {
  ck_assert(parse("// header\r\n/*---\r\ndescription: |\r\n  flags: [raw]\r\n  - nope\r\n"
                  "info: >\r\n  includes: [x.js]\r\nfeatures:\r\n  - A\r\n  - B\r\n"
                  "negative:\r\n  phase: resolution\r\n  type: SyntaxError\r\n"
                  "flags:\r\n  - module\r\n---*/\r\ncode();\r\n"));
  ck_assert_uint_eq(meta.flags, T262_F_MODULE);
  ck_assert_int_eq(meta.n_includes, 0);
  ck_assert_int_eq(meta.n_features, 2);
  ck_assert_str_eq(meta.features[0], "A");
  ck_assert_str_eq(meta.features[1], "B");
  ck_assert_int_eq(meta.negative_phase, T262_PHASE_RESOLUTION);
  ck_assert_str_eq(meta.negative_type, "SyntaxError");
}
END_TEST

START_TEST(frontmatter_flow_negative_and_multiline_list) {
  ck_assert(parse("/*---\nnegative: {phase: parse, type: SyntaxError}\n"
                  "features: [a,\n  b, c]\nflags: raw\n---*/"));
  ck_assert_int_eq(meta.negative_phase, T262_PHASE_PARSE);
  ck_assert_str_eq(meta.negative_type, "SyntaxError");
  ck_assert_int_eq(meta.n_features, 3);
  ck_assert_str_eq(meta.features[2], "c");
  ck_assert_uint_eq(meta.flags, T262_F_RAW);
}
END_TEST

START_TEST(frontmatter_errors) {
  ck_assert(!parse("/*---\nflags: [onlyStrictt]\n---*/"));
  ck_assert(strstr(err, "onlyStrictt") != NULL);
  ck_assert(!parse("/*---\nflags: [raw]\n"));
  ck_assert(!parse("/*---\nnegative:\n  phase: sometime\n  type: X\n---*/"));
  ck_assert(!parse("/*---\nnegative:\n  phase: parse\n---*/"));
  ck_assert(!parse("/*---\njust text\n---*/"));
  ck_assert(parse("no metadata at all"));
  ck_assert(!meta.has_frontmatter);
}
END_TEST

START_TEST(variants) {
  T262Meta m = {0};
  ck_assert_uint_eq(t262_variants_of(&m), (1u << T262_VAR_SLOPPY) | (1u << T262_VAR_STRICT));
  m.flags = T262_F_ONLY_STRICT;
  ck_assert_uint_eq(t262_variants_of(&m), 1u << T262_VAR_STRICT);
  m.flags = T262_F_NO_STRICT;
  ck_assert_uint_eq(t262_variants_of(&m), 1u << T262_VAR_SLOPPY);
  m.flags = T262_F_MODULE;
  ck_assert_uint_eq(t262_variants_of(&m), 1u << T262_VAR_MODULE);
  m.flags = T262_F_RAW | T262_F_NO_STRICT;
  ck_assert_uint_eq(t262_variants_of(&m), 1u << T262_VAR_RAW);
  m.flags = T262_F_RAW | T262_F_MODULE; /* hashbang/module.js: a module, as-is */
  ck_assert_uint_eq(t262_variants_of(&m), 1u << T262_VAR_MODULE);
}
END_TEST

static char *temp_file(const char *text) {
  static char path[64];
  snprintf(path, sizeof path, "/tmp/t262-selftest-XXXXXX");
  int fd = mkstemp(path);
  ck_assert_int_ge(fd, 0);
  ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
  close(fd);
  return path;
}

START_TEST(known_list_load_and_find) {
  char *path = temp_file("## file comment\n\n# parser: thing missing\na/b.js\nc/d.js [strict]\n"
                         "\n# another\ne/f.js [sloppy]\n");
  T262KnownList kl;
  ck_assert(t262_known_load(&kl, path, err, sizeof err));
  ck_assert_uint_eq(kl.n_groups, 2);
  ck_assert_str_eq(kl.groups[0], "parser: thing missing");
  ck_assert_uint_eq(kl.n_entries, 3);
  ck_assert_ptr_nonnull(t262_known_find(&kl, "a/b.js", T262_VAR_STRICT));
  ck_assert_ptr_nonnull(t262_known_find(&kl, "a/b.js", T262_VAR_SLOPPY));
  ck_assert_ptr_nonnull(t262_known_find(&kl, "c/d.js", T262_VAR_STRICT));
  ck_assert_ptr_null(t262_known_find(&kl, "c/d.js", T262_VAR_SLOPPY));
  ck_assert_int_eq(t262_known_find(&kl, "e/f.js", T262_VAR_SLOPPY)->group, 1);
  ck_assert_ptr_null(t262_known_find(&kl, "x.js", T262_VAR_SLOPPY));
  t262_known_free(&kl);
  unlink(path);

  path = temp_file("# g\na.js [stric]\n");
  ck_assert(!t262_known_load(&kl, path, err, sizeof err));
  unlink(path);
  ck_assert(t262_known_load(&kl, "/nonexistent/list.txt", err, sizeof err));
  ck_assert_uint_eq(kl.n_entries, 0);
}
END_TEST

START_TEST(features_skip) {
  T262Features f;
  ck_assert(t262_features_load(&f, T262_SELFTEST_DIR "/features-skip.txt", err, sizeof err));
  ck_assert(parse("/*---\nfeatures: [Symbol]\n---*/"));
  ck_assert_ptr_null(t262_features_skip_reason(&f, &meta, true));
  ck_assert(parse("/*---\nfeatures: [Symbol, FakeUnimplemented]\n---*/"));
  ck_assert_str_eq(t262_features_skip_reason(&f, &meta, false),
                   "not implemented by the fake engine");
  ck_assert(parse("/*---\nfeatures: [FakeHostHook]\n---*/"));
  ck_assert_ptr_null(t262_features_skip_reason(&f, &meta, false));
  ck_assert_str_eq(t262_features_skip_reason(&f, &meta, true), "the fake host has no such hook");
  t262_features_free(&f);
}
END_TEST

/* --- whole runs ------------------------------------------------------------------ */

static T262Features features;
static T262Backend backend;

static T262Config make_config(const char *mode) {
  char e[256];
  ck_assert(t262_features_load(&features, T262_SELFTEST_DIR "/features-skip.txt", e, sizeof e));
  T262Config cfg = {
      .suite_dir = SUITE,
      .mode = mode,
      .backend = &backend,
      .features = &features,
      .jobs = 2,
      /* Generous enough that a trivial test never hits it on a loaded machine. */
      .timeout_ms = 1000,
      .hard_grace_ms = 1000,
      .quiet = true,
  };
  return cfg;
}

static const T262Test *find(const T262Test *tests, size_t n, const char *rel) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(tests[i].rel_path, rel) == 0) return &tests[i];
  ck_abort_msg("test %s not collected", rel);
  return NULL;
}

static void expect(const T262Test *tests, size_t n, const char *rel, T262Variant v, T262Outcome o) {
  const T262Test *t = find(tests, n, rel);
  ck_assert_msg(t->reported & (1u << v), "%s [%s] has no result", rel, t262_variant_name(v));
  ck_assert_msg(t->res[v].outcome == o, "%s [%s]: expected %s, got %s (%s)", rel,
                t262_variant_name(v), t262_outcome_name(o),
                t262_outcome_name((T262Outcome)t->res[v].outcome),
                t->res[v].message ? t->res[v].message : "");
}

static void expect_only(const T262Test *tests, size_t n, const char *rel, unsigned variants) {
  const T262Test *t = find(tests, n, rel);
  ck_assert_msg(t->reported == variants, "%s: variants %x, expected %x", rel, t->reported,
                variants);
}

#define SL   T262_VAR_SLOPPY
#define ST   T262_VAR_STRICT
#define BOTH ((1u << SL) | (1u << ST))

static void free_tests(T262Test *tests, size_t n) {
  for (size_t i = 0; i < n; i++) {
    for (int v = 0; v < T262_VAR_COUNT; v++) free(tests[i].res[v].message);
    free(tests[i].rel_path);
  }
  free(tests);
}

START_TEST(pool_parse_mode) {
  t262_parse_backend(&backend, t262_fake_check_syntax);
  T262Config cfg = make_config("parse");
  T262Test *tests;
  size_t n;
  ck_assert(t262_collect(&cfg, NULL, 0, true, &tests, &n, err, sizeof err));
  /* 4 harness files + 18 tests; the two _FIXTURE files are not tests. */
  ck_assert_uint_eq(n, 22);
  ck_assert(t262_pool_run(&cfg, tests, n));
  expect(tests, n, "harness/assert.js", SL, T262_PASS);
  expect_only(tests, n, "harness/assert.js", 1u << SL);
  expect(tests, n, "annexB/misc/bad-frontmatter.js", SL, T262_FAIL);
  expect(tests, n, "built-ins/Foo/async-fail.js", ST, T262_PASS);
  expect(tests, n, "built-ins/Foo/neg-runtime-wrong.js", SL, T262_PASS);
  expect(tests, n, "built-ins/Foo/skipped.js", SL, T262_SKIP);
  expect(tests, n, "built-ins/Foo/skipped.js", ST, T262_SKIP);
  expect(tests, n, "language/basic/after-crash.js", T262_VAR_RAW, T262_PASS);
  expect_only(tests, n, "language/basic/after-crash.js", 1u << T262_VAR_RAW);
  /* Both variants crash: the second ran on a replacement worker. */
  expect(tests, n, "language/basic/crash.js", SL, T262_CRASH);
  expect(tests, n, "language/basic/crash.js", ST, T262_CRASH);
  /* Killed by SIGSEGV; under AddressSanitizer, which catches the fault
   * first, killed by SIGABRT or exited with its error status. */
  const char *crash_msg = find(tests, n, "language/basic/crash.js")->res[SL].message;
  ck_assert(strstr(crash_msg, "worker killed by signal") || strstr(crash_msg, "worker exited with status"));
  expect(tests, n, "language/basic/hang.js", SL, T262_TIMEOUT);
  expect_only(tests, n, "language/basic/hang.js", 1u << SL);
  expect(tests, n, "language/basic/slow.js", ST, T262_TIMEOUT);
  expect(tests, n, "language/basic/module.js", T262_VAR_MODULE, T262_PASS);
  expect(tests, n, "language/basic/module-resolution.js", T262_VAR_MODULE, T262_PASS);
  expect(tests, n, "language/basic/neg-parse-accepted.js", SL, T262_FAIL);
  expect(tests, n, "language/basic/neg-parse-accepted.js", ST, T262_FAIL);
  expect(tests, n, "language/basic/neg-parse.js", SL, T262_PASS);
  expect(tests, n, "language/basic/neg-parse.js", ST, T262_PASS);
  expect(tests, n, "language/basic/only-strict.js", ST, T262_PASS);
  expect_only(tests, n, "language/basic/only-strict.js", 1u << ST);
  expect(tests, n, "language/basic/pass.js", SL, T262_PASS);
  expect(tests, n, "language/basic/pass.js", ST, T262_PASS);
  expect(tests, n, "language/basic/strict-fails.js", SL, T262_PASS);
  expect(tests, n, "language/basic/strict-fails.js", ST, T262_FAIL);
  for (size_t i = 0; i < n; i++)
    ck_assert_msg(tests[i].reported == tests[i].variants && tests[i].reported, "%s incomplete",
                  tests[i].rel_path);

  /* The known-failure list: one listed failure, one new (a regression), one
   * listed test that now passes, and a rewrite that keeps reasons. */
  char *path = temp_file("# fake: strict directive\nlanguage/basic/strict-fails.js [strict]\n"
                         "language/basic/crash.js\nlanguage/basic/hang.js\n"
                         "language/basic/slow.js\nlanguage/basic/neg-parse-accepted.js\n"
                         "annexB/misc/bad-frontmatter.js\n"
                         "\n# fixed long ago\nlanguage/basic/pass.js\n");
  char list_path[64];
  snprintf(list_path, sizeof list_path, "%s", path);
  T262KnownList kl;
  ck_assert(t262_known_load(&kl, list_path, err, sizeof err));
  T262Report rep;
  FILE *saved = stdout;
  stdout = fopen("/dev/null", "w");
  t262_report(&cfg, tests, n, &kl, true, NULL, 1.0, &rep);
  fclose(stdout);
  stdout = saved;
  ck_assert_uint_eq(rep.regressions, 0);
  ck_assert_uint_eq(rep.now_passing, 1); /* pass.js */
  ck_assert_uint_eq(rep.known_failing, 8);
  ck_assert_uint_eq(rep.total.n[T262_CRASH], 2);
  ck_assert_uint_eq(rep.total.n[T262_TIMEOUT], 2);
  ck_assert_uint_eq(rep.total.n[T262_SKIP], 2);
  ck_assert(t262_known_update(&kl, list_path, tests, n, err, sizeof err));
  t262_known_free(&kl);
  char *text = t262_read_file(list_path, NULL);
  ck_assert_ptr_nonnull(text);
  ck_assert_msg(strstr(text, "# fake: strict directive\nannexB/misc/bad-frontmatter.js\n"
                             "language/basic/crash.js\nlanguage/basic/hang.js\n"
                             "language/basic/neg-parse-accepted.js\nlanguage/basic/slow.js\n"
                             "language/basic/strict-fails.js [strict]\n"),
                "rewritten list:\n%s", text);
  ck_assert_msg(!strstr(text, "pass.js") && !strstr(text, "fixed long ago"), "%s", text);
  free(text);

  /* Drop an entry: the run now has a regression. */
  FILE *f = fopen(list_path, "w");
  fprintf(f, "# only one\nlanguage/basic/crash.js\n");
  fclose(f);
  ck_assert(t262_known_load(&kl, list_path, err, sizeof err));
  stdout = fopen("/dev/null", "w");
  t262_report(&cfg, tests, n, &kl, true, NULL, 1.0, &rep);
  fclose(stdout);
  stdout = saved;
  ck_assert_uint_eq(rep.regressions, 6);
  ck_assert(t262_known_update(&kl, list_path, tests, n, err, sizeof err));
  t262_known_free(&kl);
  text = t262_read_file(list_path, NULL);
  ck_assert_msg(strstr(text, "# only one\nlanguage/basic/crash.js\n\n# TODO: triage\n"
                             "annexB/misc/bad-frontmatter.js\n"),
                "%s", text);
  free(text);
  unlink(list_path);
  free_tests(tests, n);
  t262_features_free(&features);
}
END_TEST

START_TEST(pool_run_mode) {
  t262_run_backend(&backend, t262_fake_engine());
  T262Config cfg = make_config("run");
  T262Test *tests;
  size_t n;
  ck_assert(t262_collect(&cfg, NULL, 0, false, &tests, &n, err, sizeof err));
  ck_assert_uint_eq(n, 18);
  ck_assert(t262_pool_run(&cfg, tests, n));
  expect(tests, n, "annexB/misc/bad-frontmatter.js", SL, T262_FAIL);
  expect(tests, n, "built-ins/Foo/async-ok.js", SL, T262_PASS);
  expect(tests, n, "built-ins/Foo/async-ok.js", ST, T262_PASS);
  expect(tests, n, "built-ins/Foo/async-fail.js", ST, T262_FAIL);
  expect(tests, n, "built-ins/Foo/async-silent.js", SL, T262_FAIL);
  expect(tests, n, "built-ins/Foo/neg-runtime.js", SL, T262_PASS);
  expect(tests, n, "built-ins/Foo/neg-runtime-wrong.js", ST, T262_FAIL);
  expect(tests, n, "built-ins/Foo/skipped.js", SL, T262_SKIP);
  expect(tests, n, "language/basic/crash.js", ST, T262_CRASH);
  expect(tests, n, "language/basic/hang.js", SL, T262_TIMEOUT);
  expect(tests, n, "language/basic/slow.js", ST, T262_TIMEOUT);
  expect(tests, n, "language/basic/module.js", T262_VAR_MODULE, T262_PASS);
  expect(tests, n, "language/basic/module-resolution.js", T262_VAR_MODULE, T262_PASS);
  expect(tests, n, "language/basic/neg-parse.js", ST, T262_PASS);
  expect(tests, n, "language/basic/neg-parse-accepted.js", SL, T262_FAIL);
  expect(tests, n, "language/basic/strict-fails.js", SL, T262_PASS);
  expect(tests, n, "language/basic/strict-fails.js", ST, T262_FAIL);
  expect(tests, n, "language/basic/after-crash.js", T262_VAR_RAW, T262_PASS);
  free_tests(tests, n);
  t262_features_free(&features);
}
END_TEST

START_TEST(selectors) {
  T262Config cfg = make_config("parse");
  T262Test *tests;
  size_t n;
  char *sels[] = {"language/basic/pass.js", "test/built-ins/Foo/", "*/neg-runtime*.js",
                  SUITE "/test/annexB"};
  ck_assert(t262_collect(&cfg, sels, 4, true, &tests, &n, err, sizeof err));
  /* pass.js + 6 in built-ins/Foo (neg-runtime* already among them) + annexB 1. */
  ck_assert_uint_eq(n, 8);
  ck_assert_str_eq(tests[0].rel_path, "annexB/misc/bad-frontmatter.js");
  free_tests(tests, n);
  char *none[] = {"language/nothing-here"};
  ck_assert(t262_collect(&cfg, none, 1, false, &tests, &n, err, sizeof err));
  ck_assert_uint_eq(n, 0);
  free_tests(tests, n);
  cfg.suite_dir = "/nonexistent";
  ck_assert(!t262_collect(&cfg, NULL, 0, false, &tests, &n, err, sizeof err));
  t262_features_free(&features);
}
END_TEST

int main(void) {
  Suite *s = suite_create("test262 runner");
  TCase *tc = tcase_create("frontmatter");
  tcase_add_test(tc, frontmatter_inline_lists);
  tcase_add_test(tc, frontmatter_blocks);
  tcase_add_test(tc, frontmatter_flow_negative_and_multiline_list);
  tcase_add_test(tc, frontmatter_errors);
  tcase_add_test(tc, variants);
  suite_add_tcase(s, tc);
  tc = tcase_create("lists");
  tcase_add_test(tc, known_list_load_and_find);
  tcase_add_test(tc, features_skip);
  suite_add_tcase(s, tc);
  tc = tcase_create("pool");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, pool_parse_mode);
  tcase_add_test(tc, pool_run_mode);
  tcase_add_test(tc, selectors);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
