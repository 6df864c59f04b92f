/* backend_run.c: run mode. Evaluates the harness (assert.js, sta.js,
 * doneprintHandle.js for async tests, then `includes:`) and the test in a
 * fresh realm of a pluggable engine (engine.h), drains jobs, and decides:
 * an uncaught exception fails unless the test is negative with that phase
 * and constructor; async tests must print Test262:AsyncTestComplete. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t262.h"

static const T262Engine *engine;

typedef struct RunHost {
  const T262Config *cfg;
  const T262Case *tc;
  bool async_complete;
  bool async_failed;
  char async_message[256];
} RunHost;

static const char ASYNC_COMPLETE[] = "Test262:AsyncTestComplete";
static const char ASYNC_FAILURE[] = "Test262:AsyncTestFailure:";

static void host_print(void *data, const char *text, size_t len) {
  RunHost *h = data;
  size_t nc = sizeof ASYNC_COMPLETE - 1, nf = sizeof ASYNC_FAILURE - 1;
  if (len >= nc && memcmp(text, ASYNC_COMPLETE, nc) == 0) {
    h->async_complete = true;
  } else if (len >= nf && memcmp(text, ASYNC_FAILURE, nf) == 0) {
    /* The first failure wins; later prints cannot undo it. */
    if (!h->async_failed)
      snprintf(h->async_message, sizeof h->async_message, "%.*s", (int)len, text);
    h->async_failed = true;
  } else if (h->cfg->verbose) {
    fprintf(stderr, "[%s] print: %.*s\n", h->tc->rel_path, (int)len, text);
  }
}

/* test262 specifiers are "./name" relative to the importing file (some
 * fixtures use "../"); "<module source>" needs source-phase imports, which
 * are skipped. */
static bool host_load_module(void *data, const char *referrer, const char *specifier,
                             char *resolved, size_t resolved_size, char **source, size_t *len,
                             bool *is_json) {
  (void)data;
  if (specifier[0] != '.') return false;
  const char *slash = strrchr(referrer, '/');
  int dir_len = slash ? (int)(slash - referrer) : 0;
  char joined[PATH_MAX];
  if (snprintf(joined, sizeof joined, "%.*s/%s", dir_len, referrer, specifier) >=
      (int)sizeof joined)
    return false;
  char canon[PATH_MAX];
  if (!realpath(joined, canon)) return false;
  if (snprintf(resolved, resolved_size, "%s", canon) >= (int)resolved_size) return false;
  *source = t262_read_file(canon, len);
  if (!*source) return false;
  size_t n = strlen(canon);
  *is_json = n > 5 && strcmp(canon + n - 5, ".json") == 0;
  return true;
}

static T262Phase phase_of(T262Eval r) {
  switch (r) {
  case T262_EVAL_PARSE_ERROR: return T262_PHASE_PARSE;
  case T262_EVAL_RESOLUTION_ERROR: return T262_PHASE_RESOLUTION;
  case T262_EVAL_RUNTIME_ERROR: return T262_PHASE_RUNTIME;
  default: return T262_PHASE_NONE;
  }
}

static const char *phase_name(T262Phase p) {
  static const char *const names[] = {"none", "parse", "resolution", "runtime"};
  return names[p];
}

static const char STRICT_PREFIX[] = "\"use strict\";\n";

static T262Eval run_test_code(T262Realm *realm, const T262Case *tc, char *msg, size_t msg_size) {
  if (tc->variant == T262_VAR_MODULE)
    return engine->eval_module(realm, tc->abs_path, tc->source, tc->source_len);
  if (tc->variant != T262_VAR_STRICT)
    return engine->eval_script(realm, tc->abs_path, tc->source, tc->source_len);
  size_t plen = sizeof STRICT_PREFIX - 1;
  char *text = malloc(plen + tc->source_len + 1);
  if (!text) {
    snprintf(msg, msg_size, "out of memory");
    return T262_EVAL_OUT_OF_MEMORY;
  }
  memcpy(text, STRICT_PREFIX, plen);
  memcpy(text + plen, tc->source, tc->source_len + 1);
  T262Eval r = engine->eval_script(realm, tc->abs_path, text, plen + tc->source_len);
  free(text);
  return r;
}

/* The harness files a test needs, in order (INTERPRETING.md): assert.js and
 * sta.js, doneprintHandle.js for async tests, then `includes:`. */
static int harness_list(const T262Meta *meta, const char **names, int max) {
  int n = 0;
  names[n++] = "assert.js";
  names[n++] = "sta.js";
  if (meta->flags & T262_F_ASYNC) names[n++] = "doneprintHandle.js";
  for (int i = 0; i < meta->n_includes && n < max; i++) {
    bool dup = false;
    for (int j = 0; j < n; j++) dup |= strcmp(names[j], meta->includes[i]) == 0;
    if (!dup) names[n++] = meta->includes[i];
  }
  return n;
}

static T262Outcome verdict(const T262Case *tc, RunHost *host, T262Realm *realm, T262Eval r,
                           char *msg, size_t msg_size) {
  const T262Meta *meta = tc->meta;
  if (r == T262_EVAL_INTERRUPTED || t262_interrupt) {
    snprintf(msg, msg_size, "interrupted at the time limit");
    return T262_TIMEOUT;
  }
  if (r == T262_EVAL_OUT_OF_MEMORY) {
    snprintf(msg, msg_size, "out of memory (heap limit)");
    return T262_FAIL;
  }
  if (r != T262_EVAL_OK) {
    char ctor[64] = "", text[384] = "";
    engine->take_exception(realm, ctor, sizeof ctor, text, sizeof text);
    T262Phase phase = phase_of(r);
    if (meta->negative_phase != T262_PHASE_NONE) {
      if (phase == meta->negative_phase && strcmp(ctor, meta->negative_type) == 0) return T262_PASS;
      snprintf(msg, msg_size, "expected %s at %s phase, got %s at %s phase: %s",
               meta->negative_type, phase_name(meta->negative_phase), ctor[0] ? ctor : "a value",
               phase_name(phase), text);
      return T262_FAIL;
    }
    snprintf(msg, msg_size, "%s error: %s%s%s", phase_name(phase), ctor, ctor[0] ? ": " : "", text);
    return T262_FAIL;
  }
  if (meta->negative_phase != T262_PHASE_NONE) {
    snprintf(msg, msg_size, "expected %s at %s phase, but it completed", meta->negative_type,
             phase_name(meta->negative_phase));
    return T262_FAIL;
  }
  if (meta->flags & T262_F_ASYNC) {
    if (host->async_failed) {
      snprintf(msg, msg_size, "%s", host->async_message);
      return T262_FAIL;
    }
    if (!host->async_complete) {
      snprintf(msg, msg_size, "async test did not print %s", ASYNC_COMPLETE);
      return T262_FAIL;
    }
  }
  return T262_PASS;
}

static T262Outcome run_run(const T262Config *cfg, const T262Case *tc, char *msg, size_t msg_size) {
  RunHost host = {.cfg = cfg, .tc = tc};
  T262Host services = {&host, host_print, host_load_module};
  T262Limits limits = {cfg->max_heap_bytes, &t262_interrupt};
  T262Realm *realm = engine->realm_new(&limits, &services, msg, msg_size);
  if (!realm) return T262_FAIL;

  T262Eval r = T262_EVAL_OK;
  if (!(tc->meta->flags & T262_F_RAW)) {
    const char *names[T262_MAX_LIST + 3];
    int n = harness_list(tc->meta, names, T262_MAX_LIST + 3);
    for (int i = 0; i < n && r == T262_EVAL_OK; i++) {
      size_t len;
      char err[256];
      const char *text = t262_harness_file(cfg, names[i], &len, err, sizeof err);
      if (!text) {
        snprintf(msg, msg_size, "%s", err);
        engine->realm_free(realm);
        return T262_FAIL;
      }
      char name[PATH_MAX];
      snprintf(name, sizeof name, "%s/harness/%s", cfg->suite_dir, names[i]);
      r = engine->eval_script(realm, name, text, len);
      if (r != T262_EVAL_OK && r != T262_EVAL_INTERRUPTED) {
        char ctor[64] = "", text2[256] = "";
        engine->take_exception(realm, ctor, sizeof ctor, text2, sizeof text2);
        snprintf(msg, msg_size, "harness %s failed: %s: %s", names[i], ctor, text2);
        engine->realm_free(realm);
        return T262_FAIL;
      }
    }
  }
  if (r == T262_EVAL_OK) r = run_test_code(realm, tc, msg, msg_size);
  /* Jobs run after the script even if it threw: async tests report through
   * print, and a throwing script still fails below. */
  if (r == T262_EVAL_OK) r = engine->drain_jobs(realm);
  if (r == T262_EVAL_OK && tc->variant == T262_VAR_MODULE) r = engine->module_status(realm);
  T262Outcome o = verdict(tc, &host, realm, r, msg, msg_size);
  engine->realm_free(realm);
  return o;
}

void t262_run_backend(T262Backend *b, const T262Engine *e) {
  memset(b, 0, sizeof *b);
  engine = e;
  b->name = "run";
  b->unavailable = e ? NULL
                     : "execution is unavailable: tandem has no bytecode interpreter yet "
                       "(use --mode=parse)";
  b->run = run_run;
}

void t262_print_host_api(void) {
  printf("$262 host API (installed by the engine's realm_new):\n"
         "  createRealm()          full: a new realm with its own $262\n"
         "  evalScript(src)        full: runs src as a global script of that realm\n"
         "  detachArrayBuffer(ab)  full once ArrayBuffer exists\n"
         "  gc()                   full: a full collection\n"
         "  global                 full: the realm's global object\n"
         "  IsHTMLDDA              absent: tests tagged IsHTMLDDA are skipped\n"
         "  AbstractModuleSource   absent: source-phase-imports tests are skipped\n"
         "  agent                  partial: sleep/monotonicNow only; start/broadcast/getReport\n"
         "                         need one runtime per thread\n"
         "  print(s)               full: async tests report through it\n");
}
