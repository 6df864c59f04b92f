/* runner.c: choosing tests (walking the suite, matching selectors) and
 * running one test's variants inside a worker: frontmatter, skip rules,
 * the per-variant time limit, and the backend call. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>

#include "t262.h"

volatile int t262_interrupt;
volatile int *volatile t262_interrupt_target;

/* --- collecting -------------------------------------------------------------------- */

typedef struct PathList {
  char **items;
  size_t count, cap;
} PathList;

static bool push(PathList *l, const char *s) {
  if (l->count == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 1024;
    char **grown = realloc(l->items, cap * sizeof *grown);
    if (!grown) return false;
    l->items = grown;
    l->cap = cap;
  }
  return (l->items[l->count++] = strdup(s)) != NULL;
}

static bool is_test_file(const char *name) {
  size_t n = strlen(name);
  return n > 3 && strcmp(name + n - 3, ".js") == 0 && !strstr(name, "_FIXTURE");
}

/* Appends every test file under root/rel (rel relative to test/). */
static bool walk(const char *root, const char *rel, PathList *out) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", root, rel);
  DIR *d = opendir(path);
  if (!d) return errno == ENOENT; /* an absent top-level folder (intl402) is fine */
  struct dirent *de;
  bool ok = true;
  while (ok && (de = readdir(d))) {
    if (de->d_name[0] == '.') continue;
    char child[4096];
    snprintf(child, sizeof child, "%s/%s", rel, de->d_name);
    bool is_dir = de->d_type == DT_DIR;
    if (de->d_type == DT_UNKNOWN) {
      struct stat st;
      char full[8192];
      snprintf(full, sizeof full, "%s/%s", root, child);
      is_dir = stat(full, &st) == 0 && S_ISDIR(st.st_mode);
    }
    if (is_dir)
      ok = walk(root, child, out);
    else if (is_test_file(de->d_name))
      ok = push(out, child);
  }
  closedir(d);
  return ok;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Selectors may be given relative to test/, with a leading "test/", or as
 * paths into the suite (absolute or relative to the working directory). */
static const char *normalize_selector(const T262Config *cfg, const char *sel, char *buf,
                                      size_t size) {
  char real_suite[4096], real_sel[4096];
  if (realpath(cfg->suite_dir, real_suite) && realpath(sel, real_sel)) {
    size_t n = strlen(real_suite);
    if (strncmp(real_sel, real_suite, n) == 0 && real_sel[n] == '/') {
      snprintf(buf, size, "%s", real_sel + n + 1);
      sel = buf;
    }
  }
  if (strncmp(sel, "test/", 5) == 0) sel += 5;
  size_t n = strlen(sel);
  while (n > 1 && sel[n - 1] == '/') n--;
  if (sel != buf)
    snprintf(buf, size, "%.*s", (int)n, sel);
  else
    buf[n] = '\0';
  return buf;
}

static bool selected(const char *rel, char **sels, int n) {
  if (n == 0) return true;
  for (int i = 0; i < n; i++) {
    size_t len = strlen(sels[i]);
    if (strcmp(rel, sels[i]) == 0) return true;
    if (strncmp(rel, sels[i], len) == 0 && rel[len] == '/') return true;
    if (fnmatch(sels[i], rel, 0) == 0) return true;
  }
  return false;
}

bool t262_collect(const T262Config *cfg, char **selectors, int n_selectors, bool add_harness,
                  T262Test **out, size_t *n_out, char *err, size_t err_size) {
  char root[4096];
  snprintf(root, sizeof root, "%s/test", cfg->suite_dir);
  struct stat st;
  if (stat(root, &st) != 0 || !S_ISDIR(st.st_mode)) {
    snprintf(err, err_size, "no test262 suite at %s (set TEST262_DIR or --suite)", cfg->suite_dir);
    return false;
  }
  PathList all = {0};
  static const char *const tops[] = {"annexB", "built-ins", "intl402", "language"};
  for (size_t i = 0; i < sizeof tops / sizeof tops[0]; i++) {
    if (!walk(root, tops[i], &all)) {
      snprintf(err, err_size, "cannot list %s/%s: %s", root, tops[i], strerror(errno));
      return false;
    }
  }
  if (all.count) qsort(all.items, all.count, sizeof *all.items, cmp_str);

  char **sels = calloc((size_t)n_selectors + 1, sizeof *sels);
  for (int i = 0; i < n_selectors; i++) {
    char buf[4096];
    sels[i] = strdup(normalize_selector(cfg, selectors[i], buf, sizeof buf));
  }
  PathList harness = {0};
  if (add_harness) {
    /* The harness files themselves must parse: they run before every test. */
    char hdir[4096];
    snprintf(hdir, sizeof hdir, "%s/harness", cfg->suite_dir);
    DIR *d = opendir(hdir);
    struct dirent *de;
    while (d && (de = readdir(d))) {
      size_t n = strlen(de->d_name);
      if (n > 3 && strcmp(de->d_name + n - 3, ".js") == 0) {
        char rel[512];
        snprintf(rel, sizeof rel, "harness/%s", de->d_name);
        if (selected(rel, sels, n_selectors) || n_selectors == 0) push(&harness, rel);
      }
    }
    if (d) closedir(d);
    if (harness.count) qsort(harness.items, harness.count, sizeof *harness.items, cmp_str);
  }

  T262Test *tests = calloc(all.count + harness.count + 1, sizeof *tests);
  size_t n = 0;
  for (size_t i = 0; i < harness.count; i++) {
    tests[n].rel_path = harness.items[i];
    tests[n++].is_harness = true;
  }
  for (size_t i = 0; i < all.count; i++) {
    if (selected(all.items[i], sels, n_selectors))
      tests[n++].rel_path = all.items[i];
    else
      free(all.items[i]);
  }
  free(all.items);
  free(harness.items);
  for (int i = 0; i < n_selectors; i++) free(sels[i]);
  free(sels);
  *out = tests;
  *n_out = n;
  return true;
}

/* --- one test in a worker ---------------------------------------------------------- */

static void on_alarm(int sig) {
  (void)sig;
  t262_interrupt = 1;
  volatile int *target = t262_interrupt_target;
  if (target) *target = 1;
}

static void arm_timer(unsigned ms) {
  static bool installed;
  if (!installed) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
    installed = true;
  }
  struct itimerval it = {{0, 0}, {ms / 1000, (ms % 1000) * 1000}};
  setitimer(ITIMER_REAL, &it, NULL);
}

static void disarm_timer(void) {
  struct itimerval it = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &it, NULL);
}

static uint32_t elapsed_us(const struct timespec *t0) {
  struct timespec t1;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double us = (double)(t1.tv_sec - t0->tv_sec) * 1e6 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e3;
  return us < 0 ? 0 : us > 4e9 ? 4000000000u : (uint32_t)us;
}

/* Host properties decide some tests without running them. */
static const char *host_skip_reason(const T262Meta *meta) {
  if (meta->flags & T262_F_CAN_BLOCK_IS_FALSE)
    return "host: [[CanBlock]] is true in the main agent";
  return NULL;
}

void t262_run_test(const T262Config *cfg, const T262Test *t, size_t index, unsigned done,
                   T262Emit emit, void *ctx) {
  char abs_path[4096];
  if (t->is_harness)
    snprintf(abs_path, sizeof abs_path, "%s/%s", cfg->suite_dir, t->rel_path);
  else
    snprintf(abs_path, sizeof abs_path, "%s/test/%s", cfg->suite_dir, t->rel_path);
  size_t len = 0;
  char *source = t262_read_file(abs_path, &len);
  char msg[1024];
  if (!source) {
    snprintf(msg, sizeof msg, "cannot read %.900s: %s", abs_path, strerror(errno));
    emit(ctx, index, 1u << T262_VAR_SLOPPY, T262_VAR_SLOPPY, T262_FAIL, 0, msg);
    return;
  }
  T262Meta meta;
  char err[256];
  if (!t262_parse_frontmatter(source, len, &meta, err, sizeof err)) {
    emit(ctx, index, 1u << T262_VAR_SLOPPY, T262_VAR_SLOPPY, T262_FAIL, 0, err);
    free(source);
    return;
  }
  unsigned variants = t->is_harness ? 1u << T262_VAR_SLOPPY : t262_variants_of(&meta);
  const char *skip = NULL;
  if (!t->is_harness) {
    skip = t262_features_skip_reason(cfg->features, &meta, strcmp(cfg->mode, "run") == 0);
    if (!skip) skip = host_skip_reason(&meta);
  }
  for (int v = 0; v < T262_VAR_COUNT; v++) {
    if (!(variants & (1u << v)) || (done & (1u << v))) continue;
    if (skip) {
      emit(ctx, index, variants, (T262Variant)v, T262_SKIP, 0, skip);
      continue;
    }
    T262Case tc = {t->rel_path, abs_path, source, len, &meta, (T262Variant)v};
    msg[0] = '\0';
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    t262_interrupt = 0;
    arm_timer(cfg->timeout_ms);
    T262Outcome o = cfg->backend->run(cfg, &tc, msg, sizeof msg);
    disarm_timer();
    if (t262_interrupt && o != T262_PASS) o = T262_TIMEOUT;
    emit(ctx, index, variants, (T262Variant)v, o, elapsed_us(&t0), msg);
  }
  free(source);
}
