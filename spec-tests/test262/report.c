/* report.c: the end of a run: counts overall and per two-level directory,
 * the comparison with the known-failure list (regressions, entries that now
 * pass, stale entries), the slowest tests, and the same numbers as JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t262.h"

typedef struct DirCount {
  char name[160];
  T262Counts c;
} DirCount;

static bool is_failing(int o) { return o == T262_FAIL || o == T262_CRASH || o == T262_TIMEOUT; }

/* "built-ins/Array/from/x.js" -> "built-ins/Array"; "harness/x.js" -> "harness". */
static void dir_of(const char *rel, char *out, size_t size) {
  const char *s1 = strchr(rel, '/');
  const char *s2 = s1 ? strchr(s1 + 1, '/') : NULL;
  size_t n = s2 ? (size_t)(s2 - rel) : s1 ? (size_t)(s1 - rel) : strlen(rel);
  if (n >= size) n = size - 1;
  memcpy(out, rel, n);
  out[n] = '\0';
}

static int cmp_dir(const void *a, const void *b) {
  return strcmp(((const DirCount *)a)->name, ((const DirCount *)b)->name);
}

typedef struct Slow {
  uint32_t us;
  size_t test;
  int variant;
} Slow;

static size_t count_total(const T262Counts *c) {
  size_t n = 0;
  for (int i = 0; i < T262_OUTCOME_COUNT; i++) n += c->n[i];
  return n;
}

static void print_counts_line(const char *name, const T262Counts *c) {
  size_t run = count_total(c) - c->n[T262_SKIP];
  double rate = run ? 100.0 * (double)c->n[T262_PASS] / (double)run : 0.0;
  printf("  %-44s %7zu %7zu %7zu %6zu %6zu  %6.2f%%\n", name, c->n[T262_PASS], c->n[T262_FAIL],
         c->n[T262_SKIP], c->n[T262_CRASH], c->n[T262_TIMEOUT], rate);
}

static void json_string(FILE *f, const char *s) {
  fputc('"', f);
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\')
      fprintf(f, "\\%c", c);
    else if (c < 0x20)
      fprintf(f, "\\u%04x", c);
    else
      fputc(c, f);
  }
  fputc('"', f);
}

static void json_counts(FILE *f, const T262Counts *c) {
  fprintf(f,
          "{\"passed\": %zu, \"failed\": %zu, \"skipped\": %zu, \"crashed\": %zu, "
          "\"timed_out\": %zu}",
          c->n[T262_PASS], c->n[T262_FAIL], c->n[T262_SKIP], c->n[T262_CRASH], c->n[T262_TIMEOUT]);
}

void t262_report(const T262Config *cfg, T262Test *tests, size_t n, T262KnownList *kl, bool full_run,
                 const char *json_path, double seconds, T262Report *out) {
  memset(out, 0, sizeof *out);
  DirCount *dirs = calloc(n + 1, sizeof *dirs);
  size_t n_dirs = 0;
  Slow slow[10];
  size_t n_slow = 0;

  for (size_t i = 0; i < n; i++) {
    const T262Test *t = &tests[i];
    char dir[160];
    dir_of(t->rel_path, dir, sizeof dir);
    /* Tests are sorted, so a directory's tests are usually adjacent. */
    DirCount *d = NULL;
    if (n_dirs && strcmp(dirs[n_dirs - 1].name, dir) == 0) d = &dirs[n_dirs - 1];
    for (size_t k = 0; !d && k < n_dirs; k++)
      if (strcmp(dirs[k].name, dir) == 0) d = &dirs[k];
    if (!d) {
      d = &dirs[n_dirs++];
      snprintf(d->name, sizeof d->name, "%s", dir);
    }
    for (int v = 0; v < T262_VAR_COUNT; v++) {
      if (!(t->reported & (1u << v))) continue;
      const T262Result *r = &t->res[v];
      out->total.n[r->outcome]++;
      d->c.n[r->outcome]++;
      T262KnownEntry *e = t262_known_find(kl, t->rel_path, (T262Variant)v);
      if (e) {
        e->matched = true;
        if (is_failing(r->outcome)) e->failed = true;
      }
      if (is_failing(r->outcome)) {
        if (e)
          out->known_failing++;
        else
          out->regressions++;
      }
      if (r->outcome != T262_SKIP) {
        /* Keep the 10 slowest, sorted descending. */
        size_t pos = n_slow;
        while (pos > 0 && slow[pos - 1].us < r->us) pos--;
        if (pos < 10) {
          if (n_slow < 10) n_slow++;
          memmove(&slow[pos + 1], &slow[pos], (n_slow - 1 - pos) * sizeof *slow);
          slow[pos] = (Slow){r->us, i, v};
        }
      }
    }
  }
  if (n_dirs) qsort(dirs, n_dirs, sizeof *dirs, cmp_dir);

  /* Regressions first: they are what a developer must act on. */
  if (out->regressions) {
    printf("\nRegressions (failing, not in the known-failure list):\n");
    for (size_t i = 0; i < n; i++) {
      const T262Test *t = &tests[i];
      for (int v = 0; v < T262_VAR_COUNT; v++) {
        if (!(t->reported & (1u << v)) || !is_failing(t->res[v].outcome)) continue;
        if (t262_known_find(kl, t->rel_path, (T262Variant)v)) continue;
        printf("  %s %s [%s]: %s\n", t262_outcome_name((T262Outcome)t->res[v].outcome), t->rel_path,
               t262_variant_name((T262Variant)v), t->res[v].message ? t->res[v].message : "");
      }
    }
  }
  bool header = false;
  for (size_t i = 0; i < kl->n_entries; i++) {
    T262KnownEntry *e = &kl->entries[i];
    if (e->matched && !e->failed) {
      if (!header) printf("\nNow passing (remove from the known-failure list):\n");
      header = true;
      out->now_passing++;
      if (e->variant < 0)
        printf("  %s\n", e->path);
      else
        printf("  %s [%s]\n", e->path, t262_variant_name((T262Variant)e->variant));
    }
  }
  if (full_run) {
    header = false;
    for (size_t i = 0; i < kl->n_entries; i++) {
      T262KnownEntry *e = &kl->entries[i];
      if (e->matched) continue;
      if (!header) printf("\nStale known-failure entries (no such test or variant):\n");
      header = true;
      out->stale++;
      printf("  %s%s%s%s\n", e->path, e->variant < 0 ? "" : " [",
             e->variant < 0 ? "" : t262_variant_name((T262Variant)e->variant),
             e->variant < 0 ? "" : "]");
    }
  }

  if (n_slow) {
    printf("\nSlowest tests:\n");
    for (size_t i = 0; i < n_slow; i++)
      printf("  %9.1f ms  %s [%s]\n", slow[i].us / 1000.0, tests[slow[i].test].rel_path,
             t262_variant_name((T262Variant)slow[i].variant));
  }
  printf("\ntest262 (%s mode, %s backend), per directory (one count per variant run):\n", cfg->mode,
         cfg->backend->name);
  printf("  %-44s %7s %7s %7s %6s %6s  %7s\n", "directory", "pass", "fail", "skip", "crash",
         "tmout", "rate");
  for (size_t i = 0; i < n_dirs; i++) print_counts_line(dirs[i].name, &dirs[i].c);
  print_counts_line("total", &out->total);
  printf("\nknown failures: %zu failing as listed, %zu regressions, %zu entries now pass%s\n",
         out->known_failing, out->regressions, out->now_passing,
         full_run ? "" : " (partial run: stale entries not checked)");
  if (full_run && out->stale) printf("stale entries: %zu\n", out->stale);
  printf("time: %.1f s with %d workers\n", seconds, cfg->jobs);
  printf("test262: %zu passed, %zu failed, %zu skipped\n", out->total.n[T262_PASS],
         out->total.n[T262_FAIL] + out->total.n[T262_CRASH] + out->total.n[T262_TIMEOUT],
         out->total.n[T262_SKIP]);

  if (json_path) {
    FILE *f = fopen(json_path, "w");
    if (!f) {
      fprintf(stderr, "test262: cannot write %s\n", json_path);
    } else {
      fprintf(f, "{\n  \"mode\": ");
      json_string(f, cfg->mode);
      fprintf(f, ",\n  \"seconds\": %.1f,\n  \"workers\": %d,\n  \"total\": ", seconds, cfg->jobs);
      json_counts(f, &out->total);
      fprintf(f,
              ",\n  \"regressions\": %zu,\n  \"known_failing\": %zu,\n  \"now_passing\": %zu,\n"
              "  \"directories\": {",
              out->regressions, out->known_failing, out->now_passing);
      for (size_t i = 0; i < n_dirs; i++) {
        fprintf(f, "%s\n    ", i ? "," : "");
        json_string(f, dirs[i].name);
        fprintf(f, ": ");
        json_counts(f, &dirs[i].c);
      }
      fprintf(f, "\n  },\n  \"slowest\": [");
      for (size_t i = 0; i < n_slow; i++) {
        fprintf(f, "%s\n    {\"test\": ", i ? "," : "");
        json_string(f, tests[slow[i].test].rel_path);
        fprintf(f, ", \"variant\": \"%s\", \"ms\": %.1f}",
                t262_variant_name((T262Variant)slow[i].variant), slow[i].us / 1000.0);
      }
      fprintf(f, "\n  ]\n}\n");
      fclose(f);
    }
  }
  free(dirs);
}
