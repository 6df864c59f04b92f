/* lists.c: the features skip list (feature tag + reason per line) and the
 * known-failure list (test paths, optionally "[variant]", grouped under
 * "# reason" lines), and rewriting the latter from a run's results. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t262.h"

static char *trim(char *s) {
  while (*s == ' ' || *s == '\t') s++;
  char *e = s + strlen(s);
  while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n')) e--;
  *e = '\0';
  return s;
}

/* --- features -------------------------------------------------------------------- */

bool t262_features_load(T262Features *f, const char *path, char *err, size_t err_size) {
  memset(f, 0, sizeof *f);
  FILE *in = fopen(path, "r");
  if (!in) {
    snprintf(err, err_size, "cannot read %s: %s", path, strerror(errno));
    return false;
  }
  char line[1024];
  size_t cap = 0;
  while (fgets(line, sizeof line, in)) {
    char *s = trim(line);
    if (*s == '\0' || *s == '#') continue;
    char *sp = s + strcspn(s, " \t");
    char *reason = *sp ? trim(sp + 1) : sp;
    *sp = '\0';
    bool run_only = strncmp(reason, "[run]", 5) == 0;
    if (run_only) reason = trim(reason + 5);
    if (f->count == cap) {
      cap = cap ? cap * 2 : 32;
      T262FeatureSkip *grown = realloc(f->items, cap * sizeof *grown);
      if (!grown) break;
      f->items = grown;
    }
    f->items[f->count].feature = strdup(s);
    f->items[f->count].reason = strdup(*reason ? reason : "not implemented");
    f->items[f->count].run_only = run_only;
    f->count++;
  }
  fclose(in);
  return true;
}

const char *t262_features_skip_reason(const T262Features *f, const T262Meta *meta, bool run_mode) {
  if (!f) return NULL;
  for (int i = 0; i < meta->n_features; i++)
    for (size_t j = 0; j < f->count; j++)
      if (strcmp(meta->features[i], f->items[j].feature) == 0 &&
          (run_mode || !f->items[j].run_only))
        return f->items[j].reason;
  return NULL;
}

void t262_features_free(T262Features *f) {
  for (size_t i = 0; i < f->count; i++) {
    free(f->items[i].feature);
    free(f->items[i].reason);
  }
  free(f->items);
  memset(f, 0, sizeof *f);
}

/* --- known failures ---------------------------------------------------------------- */

static int variant_from_name(const char *s, size_t n) {
  for (int v = 0; v < T262_VAR_COUNT; v++) {
    const char *name = t262_variant_name((T262Variant)v);
    if (strlen(name) == n && memcmp(name, s, n) == 0) return v;
  }
  return -2;
}

static T262KnownList *sort_list; /* qsort has no context argument */

static int cmp_by_path(const void *a, const void *b) {
  const T262KnownEntry *x = &sort_list->entries[*(const size_t *)a];
  const T262KnownEntry *y = &sort_list->entries[*(const size_t *)b];
  int c = strcmp(x->path, y->path);
  return c ? c : x->variant - y->variant;
}

static bool add_group(T262KnownList *kl, const char *reason) {
  char **grown = realloc(kl->groups, (kl->n_groups + 1) * sizeof *grown);
  if (!grown) return false;
  kl->groups = grown;
  kl->groups[kl->n_groups] = strdup(reason);
  return kl->groups[kl->n_groups++] != NULL;
}

bool t262_known_load(T262KnownList *kl, const char *path, char *err, size_t err_size) {
  memset(kl, 0, sizeof *kl);
  FILE *in = fopen(path, "r");
  if (!in) {
    if (errno == ENOENT) return true;
    snprintf(err, err_size, "cannot read %s: %s", path, strerror(errno));
    return false;
  }
  char line[2048];
  size_t cap = 0, header_len = 0, lineno = 0;
  bool ok = true;
  while (ok && fgets(line, sizeof line, in)) {
    lineno++;
    char *s = trim(line);
    if (*s == '\0') continue;
    if (*s == '#') {
      /* "##" lines are comments on the file, kept at its top; "# reason"
       * starts a group. */
      if (s[1] == '#') {
        size_t n = strlen(s);
        char *grown = realloc(kl->header, header_len + n + 2);
        if (!grown) {
          ok = false;
          break;
        }
        kl->header = grown;
        memcpy(kl->header + header_len, s, n);
        header_len += n;
        kl->header[header_len++] = '\n';
        kl->header[header_len] = '\0';
        continue;
      }
      ok = add_group(kl, trim(s + 1));
      continue;
    }
    if (kl->n_groups == 0) ok = add_group(kl, "TODO: triage");
    int variant = -1;
    char *br = strchr(s, '[');
    if (br) {
      char *close = strchr(br, ']');
      variant = close ? variant_from_name(br + 1, (size_t)(close - br - 1)) : -2;
      if (variant == -2) {
        snprintf(err, err_size, "%s:%zu: bad variant in '%s'", path, lineno, s);
        ok = false;
        break;
      }
      *br = '\0';
      s = trim(s);
    }
    if (kl->n_entries == cap) {
      cap = cap ? cap * 2 : 256;
      T262KnownEntry *grown = realloc(kl->entries, cap * sizeof *grown);
      if (!grown) {
        ok = false;
        break;
      }
      kl->entries = grown;
    }
    T262KnownEntry *e = &kl->entries[kl->n_entries++];
    memset(e, 0, sizeof *e);
    e->path = strdup(s);
    e->variant = variant;
    e->group = (int)kl->n_groups - 1;
  }
  fclose(in);
  if (!ok) {
    if (!err[0]) snprintf(err, err_size, "%s: out of memory", path);
    t262_known_free(kl);
    return false;
  }
  kl->by_path = malloc((kl->n_entries + 1) * sizeof *kl->by_path);
  for (size_t i = 0; i < kl->n_entries; i++) kl->by_path[i] = i;
  sort_list = kl;
  if (kl->n_entries) qsort(kl->by_path, kl->n_entries, sizeof *kl->by_path, cmp_by_path);
  return true;
}

T262KnownEntry *t262_known_find(T262KnownList *kl, const char *path, T262Variant v) {
  size_t lo = 0, hi = kl->n_entries;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (strcmp(kl->entries[kl->by_path[mid]].path, path) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  T262KnownEntry *all = NULL;
  for (size_t i = lo; i < kl->n_entries; i++) {
    T262KnownEntry *e = &kl->entries[kl->by_path[i]];
    if (strcmp(e->path, path) != 0) break;
    if (e->variant == (int)v) return e;
    if (e->variant == -1) all = e;
  }
  return all;
}

void t262_known_free(T262KnownList *kl) {
  for (size_t i = 0; i < kl->n_groups; i++) free(kl->groups[i]);
  for (size_t i = 0; i < kl->n_entries; i++) free(kl->entries[i].path);
  free(kl->groups);
  free(kl->entries);
  free(kl->by_path);
  free(kl->header);
  memset(kl, 0, sizeof *kl);
}

/* --- rewriting ------------------------------------------------------------------- */

static bool failing(const T262Result *r) {
  return r->outcome == T262_FAIL || r->outcome == T262_CRASH || r->outcome == T262_TIMEOUT;
}

typedef struct Line {
  int group;
  char *text;
} Line;

static int cmp_lines(const void *a, const void *b) {
  const Line *x = a, *y = b;
  if (x->group != y->group) return x->group - y->group;
  return strcmp(x->text, y->text);
}

/* For every test in this run: its failing variants go under the group of the
 * entry that covered them (new ones under "TODO: triage"); a test whose every
 * variant fails gets one line without a variant. Entries for tests not in
 * this run are kept as they are. */
bool t262_known_update(const T262KnownList *kl, const char *path, const T262Test *tests, size_t n,
                       char *err, size_t err_size) {
  size_t cap = kl->n_entries + 256, count = 0;
  Line *lines = malloc(cap * sizeof *lines);
  if (!lines) return false;
  int todo_group = -1;
  for (size_t i = 0; i < kl->n_groups; i++)
    if (strcmp(kl->groups[i], "TODO: triage") == 0) todo_group = (int)i;
  int n_groups = (int)kl->n_groups + (todo_group < 0 ? 1 : 0);
  if (todo_group < 0) todo_group = (int)kl->n_groups;

  /* Which listed paths this run covered. */
  T262KnownList *mkl = (T262KnownList *)kl;
  bool *covered = calloc(kl->n_entries + 1, sizeof *covered);
  for (size_t i = 0; i < n; i++) {
    const T262Test *t = &tests[i];
    if (!t->variants) continue;
    unsigned fail_mask = 0;
    for (int v = 0; v < T262_VAR_COUNT; v++) {
      if (!(t->variants & (1u << v))) continue;
      if (failing(&t->res[v])) fail_mask |= 1u << v;
      T262KnownEntry *e = t262_known_find(mkl, t->rel_path, (T262Variant)v);
      if (e) covered[e - kl->entries] = true;
    }
    /* Variant-less entries cover every variant: mark them even if no variant ran. */
    for (int v = 0; v < T262_VAR_COUNT; v++) {
      T262KnownEntry *e = t262_known_find(mkl, t->rel_path, (T262Variant)v);
      if (e) covered[e - kl->entries] = true;
    }
    if (!fail_mask) continue;
    /* One line for the whole test when every variant fails and no entry
     * splits it by variant. */
    T262KnownEntry *first = NULL;
    bool whole = fail_mask == t->variants;
    bool seen = false;
    for (int v = 0; v < T262_VAR_COUNT && whole; v++) {
      if (!(fail_mask & (1u << v))) continue;
      T262KnownEntry *e = t262_known_find(mkl, t->rel_path, (T262Variant)v);
      if (seen && e != first) whole = false;
      if (e && e->variant != -1 && __builtin_popcount(t->variants) > 1) whole = false;
      first = e;
      seen = true;
    }
    for (int v = 0; v < T262_VAR_COUNT; v++) {
      if (!(fail_mask & (1u << v))) continue;
      T262KnownEntry *e = whole ? first : t262_known_find(mkl, t->rel_path, (T262Variant)v);
      if (count + 1 >= cap) {
        cap *= 2;
        Line *grown = realloc(lines, cap * sizeof *grown);
        if (!grown) {
          free(lines);
          free(covered);
          return false;
        }
        lines = grown;
      }
      char *text;
      int r = whole ? asprintf(&text, "%s", t->rel_path)
                    : asprintf(&text, "%s [%s]", t->rel_path, t262_variant_name((T262Variant)v));
      lines[count].group = e ? e->group : todo_group;
      lines[count++].text = r < 0 ? NULL : text;
      if (whole) break;
    }
  }
  for (size_t i = 0; i < kl->n_entries; i++) {
    if (covered[i]) continue;
    const T262KnownEntry *e = &kl->entries[i];
    if (count + 1 >= cap) {
      cap *= 2;
      Line *grown = realloc(lines, cap * sizeof *grown);
      if (!grown) break;
      lines = grown;
    }
    char *text;
    if (e->variant < 0) {
      if (asprintf(&text, "%s", e->path) < 0) text = NULL;
    } else if (asprintf(&text, "%s [%s]", e->path, t262_variant_name((T262Variant)e->variant)) <
               0) {
      text = NULL;
    }
    lines[count].group = e->group;
    lines[count++].text = text;
  }
  free(covered);
  if (count) qsort(lines, count, sizeof *lines, cmp_lines);

  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE *out = fopen(tmp, "w");
  if (!out) {
    snprintf(err, err_size, "cannot write %s: %s", tmp, strerror(errno));
    for (size_t i = 0; i < count; i++) free(lines[i].text);
    free(lines);
    return false;
  }
  if (kl->header) fprintf(out, "%s\n", kl->header);
  for (int g = 0; g < n_groups; g++) {
    bool any = false;
    for (size_t i = 0; i < count; i++) {
      if (lines[i].group != g || !lines[i].text) continue;
      if (!any) fprintf(out, "# %s\n", g < (int)kl->n_groups ? kl->groups[g] : "TODO: triage");
      any = true;
      fprintf(out, "%s\n", lines[i].text);
    }
    if (any) fprintf(out, "\n");
  }
  for (size_t i = 0; i < count; i++) free(lines[i].text);
  free(lines);
  if (fclose(out) != 0 || rename(tmp, path) != 0) {
    snprintf(err, err_size, "cannot write %s: %s", path, strerror(errno));
    return false;
  }
  return true;
}
