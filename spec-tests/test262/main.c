/* main.c: test262_runner's command line: picks the mode and backend, the
 * suite, the lists, runs the pool, reports, and turns the comparison with
 * the known-failure list into the exit status (0 clean, 1 regressions,
 * 2 setup errors). See docs/spec-tests.md. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fake.h"
#include "glue.h"
#include "t262.h"

#ifndef T262_DEFAULT_SUITE
#define T262_DEFAULT_SUITE "../shared/conformance/test262"
#endif
#ifndef T262_LIST_DIR
#define T262_LIST_DIR "spec-tests/test262"
#endif
#ifndef T262_DEFAULT_JSON_DIR
#define T262_DEFAULT_JSON_DIR "."
#endif

static void usage(FILE *f) {
  fprintf(f, "usage: test262_runner [options] [path|dir|glob ...]\n"
             "Runs test262 (test/language, test/built-ins, test/annexB) or the selected tests,\n"
             "relative to the suite's test/ folder.\n"
             "  --mode=parse|run        parse: check syntax verdicts (default); run: execute\n"
             "  --suite=DIR             test262 checkout (default $TEST262_DIR, else\n"
             "                          " T262_DEFAULT_SUITE ")\n"
             "  --known=FILE            known-failure list (default known-failures-MODE.txt)\n"
             "  --features-skip=FILE    features skip list (default features-skip.txt)\n"
             "  --update-known-failures rewrite the known-failure list from this run\n"
             "  --json=FILE             machine-readable summary (default in the build folder)\n"
             "  -j, --jobs=N            worker processes (default: online CPUs)\n"
             "  --timeout=SECONDS       per-variant time limit (default 10)\n"
             "  --heap-mb=N             heap limit per runtime (default 512)\n"
             "  --no-harness            do not parse the harness/ files as extra tests\n"
             "  --fake                  pretend engine (tests of the runner itself)\n"
             "  --list-262              show the $262 host API and its state\n"
             "  -v, --verbose           print every failure as it happens\n"
             "  -q, --quiet             no progress lines\n");
}

int main(int argc, char **argv) {
  const char *mode = "parse", *suite = getenv("TEST262_DIR"), *known = NULL, *skips = NULL;
  const char *json = NULL;
  bool update = false, fake = false, harness = true, verbose = false, quiet = false;
  long jobs = sysconf(_SC_NPROCESSORS_ONLN);
  double timeout_s = 10;
  long heap_mb = 512;
  enum {
    O_MODE = 256,
    O_SUITE,
    O_KNOWN,
    O_SKIP,
    O_UPDATE,
    O_JSON,
    O_TIMEOUT,
    O_HEAP,
    O_NOH,
    O_FAKE,
    O_LIST
  };
  static const struct option longs[] = {
      {"mode", required_argument, 0, O_MODE},
      {"suite", required_argument, 0, O_SUITE},
      {"known", required_argument, 0, O_KNOWN},
      {"features-skip", required_argument, 0, O_SKIP},
      {"update-known-failures", no_argument, 0, O_UPDATE},
      {"json", required_argument, 0, O_JSON},
      {"jobs", required_argument, 0, 'j'},
      {"timeout", required_argument, 0, O_TIMEOUT},
      {"heap-mb", required_argument, 0, O_HEAP},
      {"no-harness", no_argument, 0, O_NOH},
      {"fake", no_argument, 0, O_FAKE},
      {"list-262", no_argument, 0, O_LIST},
      {"verbose", no_argument, 0, 'v'},
      {"quiet", no_argument, 0, 'q'},
      {"help", no_argument, 0, 'h'},
      {0, 0, 0, 0},
  };
  int c;
  while ((c = getopt_long(argc, argv, "j:vqh", longs, NULL)) != -1) {
    switch (c) {
    case O_MODE: mode = optarg; break;
    case O_SUITE: suite = optarg; break;
    case O_KNOWN: known = optarg; break;
    case O_SKIP: skips = optarg; break;
    case O_UPDATE: update = true; break;
    case O_JSON: json = optarg; break;
    case 'j': jobs = strtol(optarg, NULL, 10); break;
    case O_TIMEOUT: timeout_s = strtod(optarg, NULL); break;
    case O_HEAP: heap_mb = strtol(optarg, NULL, 10); break;
    case O_NOH: harness = false; break;
    case O_FAKE: fake = true; break;
    case O_LIST: t262_print_host_api(); return 0;
    case 'v': verbose = true; break;
    case 'q': quiet = true; break;
    case 'h': usage(stdout); return 0;
    default: usage(stderr); return 2;
    }
  }
  bool parse_mode = strcmp(mode, "parse") == 0;
  if (!parse_mode && strcmp(mode, "run") != 0) {
    fprintf(stderr, "test262: unknown mode '%s' (parse or run)\n", mode);
    return 2;
  }
  if (jobs < 1 || jobs > 256 || timeout_s <= 0 || heap_mb < 1) {
    fprintf(stderr, "test262: bad --jobs, --timeout or --heap-mb\n");
    return 2;
  }
  if (!suite || !*suite) suite = T262_DEFAULT_SUITE;
  char known_buf[4096], skips_buf[4096], json_buf[4096];
  if (!known) {
    snprintf(known_buf, sizeof known_buf, "%s/known-failures-%s%s.txt", T262_LIST_DIR, mode,
             fake ? "-fake" : "");
    known = known_buf;
  }
  if (!skips) {
    snprintf(skips_buf, sizeof skips_buf, "%s/features-skip.txt", T262_LIST_DIR);
    skips = skips_buf;
  }
  if (!json) {
    snprintf(json_buf, sizeof json_buf, "%s/test262-%s.json", T262_DEFAULT_JSON_DIR, mode);
    json = json_buf;
  }

  size_t heap_bytes = (size_t)heap_mb << 20;
  T262Backend backend;
  if (parse_mode)
    t262_parse_backend(&backend,
                       fake ? t262_fake_check_syntax : t262_tandem_syntax_check(heap_bytes));
  else
    t262_run_backend(&backend, fake ? t262_fake_engine() : t262_tandem_engine());
  if (fake) backend.name = "fake";
  if (backend.unavailable) {
    fprintf(stderr, "test262: %s mode: %s\n", mode, backend.unavailable);
    return 2;
  }

  char err[512] = "";
  T262Features features;
  if (!t262_features_load(&features, skips, err, sizeof err)) {
    fprintf(stderr, "test262: %s\n", err);
    return 2;
  }
  T262KnownList kl;
  if (!t262_known_load(&kl, known, err, sizeof err)) {
    fprintf(stderr, "test262: %s\n", err);
    return 2;
  }
  T262Config cfg = {
      .suite_dir = suite,
      .mode = mode,
      .backend = &backend,
      .features = &features,
      .jobs = (int)jobs,
      .timeout_ms = (unsigned)(timeout_s * 1000),
      .hard_grace_ms = 5000,
      .max_heap_bytes = heap_bytes,
      .max_data_bytes = (size_t)4 << 30,
      .verbose = verbose,
      .quiet = quiet,
  };
  T262Test *tests;
  size_t n;
  int n_sel = argc - optind;
  /* Harness files are parsed as tests in parse mode; run mode runs them anyway. */
  if (!t262_collect(&cfg, argv + optind, n_sel, parse_mode && harness, &tests, &n, err,
                    sizeof err)) {
    fprintf(stderr, "test262: %s\n", err);
    return 2;
  }
  if (n == 0) {
    fprintf(stderr, "test262: no tests match\n");
    return 2;
  }
  if (!quiet)
    fprintf(stderr, "test262: %zu files, %s mode, %d workers, suite %s\n", n, mode, cfg.jobs,
            suite);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  if (!t262_pool_run(&cfg, tests, n)) return 2;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;

  T262Report rep;
  t262_report(&cfg, tests, n, &kl, n_sel == 0, json, seconds, &rep);
  int status = rep.regressions ? 1 : 0;
  if (update) {
    if (!t262_known_update(&kl, known, tests, n, err, sizeof err)) {
      fprintf(stderr, "test262: %s\n", err);
      status = 2;
    } else {
      printf("updated %s\n", known);
      status = 0;
    }
  }
  for (size_t i = 0; i < n; i++) {
    for (int v = 0; v < T262_VAR_COUNT; v++) free(tests[i].res[v].message);
    free(tests[i].rel_path);
  }
  free(tests);
  t262_known_free(&kl);
  t262_features_free(&features);
  return status;
}
