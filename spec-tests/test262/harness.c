/* harness.c: reading files, and the harness/ includes, which every test
 * names again and again, so each is read once per worker and kept. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t262.h"

char *t262_read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 14, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    n += fread(buf + n, 1, cap - n - 1, f);
    if (ferror(f)) {
      free(buf);
      buf = NULL;
      break;
    }
    if (feof(f)) break;
    if (n + 1 == cap) {
      char *bigger = realloc(buf, cap * 2);
      if (!bigger) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = bigger;
      cap *= 2;
    }
  }
  fclose(f);
  if (!buf) {
    errno = ENOMEM;
    return NULL;
  }
  buf[n] = '\0';
  if (len) *len = n;
  return buf;
}

typedef struct CachedFile {
  char *name;
  char *text;
  size_t len;
} CachedFile;

static CachedFile *cache;
static size_t cache_count, cache_cap;

const char *t262_harness_file(const T262Config *cfg, const char *name, size_t *len, char *err,
                              size_t err_size) {
  for (size_t i = 0; i < cache_count; i++) {
    if (strcmp(cache[i].name, name) == 0) {
      *len = cache[i].len;
      return cache[i].text;
    }
  }
  /* Includes are plain file names; refuse anything that walks out of harness/. */
  if (strstr(name, "..") || name[0] == '/') {
    snprintf(err, err_size, "bad include name '%s'", name);
    return NULL;
  }
  char path[4096];
  snprintf(path, sizeof path, "%s/harness/%s", cfg->suite_dir, name);
  size_t n;
  char *text = t262_read_file(path, &n);
  if (!text) {
    snprintf(err, err_size, "cannot read harness file %s: %s", path, strerror(errno));
    return NULL;
  }
  if (cache_count == cache_cap) {
    size_t cap = cache_cap ? cache_cap * 2 : 16;
    CachedFile *grown = realloc(cache, cap * sizeof *grown);
    if (!grown) {
      free(text);
      snprintf(err, err_size, "out of memory");
      return NULL;
    }
    cache = grown;
    cache_cap = cap;
  }
  cache[cache_count].name = strdup(name);
  cache[cache_count].text = text;
  cache[cache_count].len = n;
  if (!cache[cache_count].name) {
    free(text);
    snprintf(err, err_size, "out of memory");
    return NULL;
  }
  *len = n;
  return cache[cache_count++].text;
}
