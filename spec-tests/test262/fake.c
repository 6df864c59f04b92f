/* fake.c: a pretend engine for testing the runner itself (selftest.c and
 * `test262_runner --fake`). It obeys markers in the source instead of
 * running JavaScript, so every path of the runner (crash, hang, time
 * limit, per-variant failure, async prints, negative phases, module
 * loading) can be driven on purpose. */
#include "fake.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool has(const char *src, size_t len, const char *marker) {
  (void)len;
  return strstr(src, marker) != NULL;
}

static bool starts_strict(const char *src) { return strncmp(src, "\"use strict\";", 13) == 0; }

/* Markers shared by both fakes; returns only if none of them stops the test. */
static void misbehave(const char *src, size_t len) {
  if (has(src, len, "FAKE:crash")) raise(SIGSEGV);
  if (has(src, len, "FAKE:abort")) abort();
  if (has(src, len, "FAKE:hang")) {
    for (;;) pause(); /* ignores the soft limit: the parent must kill it */
  }
  if (has(src, len, "FAKE:slow")) {
    while (!t262_interrupt) usleep(1000); /* honours the soft limit */
  }
}

bool t262_fake_check_syntax(const char *filename, const char *source, size_t len, int flags,
                            char *msg, size_t msg_size) {
  misbehave(source, len);
  if (t262_interrupt) return false;
  bool reject = has(source, len, "FAKE:syntax") ||
                (has(source, len, "FAKE:strict-syntax") && starts_strict(source)) ||
                (has(source, len, "FAKE:module-syntax") && (flags & T262_SYNTAX_MODULE));
  if (reject) snprintf(msg, msg_size, "%s:1:1: SyntaxError: fake rejection", filename);
  return !reject;
}

/* --- the fake engine --------------------------------------------------------------- */

struct T262Realm {
  T262Host host;
  char ctor[64];
  char message[128];
  char referrer[4096]; /* the module being evaluated, for its imports */
  bool pending_print;
  char print_text[128];
};

static T262Realm *fake_realm_new(const T262Limits *limits, const T262Host *host, char *msg,
                                 size_t msg_size) {
  (void)limits;
  T262Realm *r = calloc(1, sizeof *r);
  if (!r) {
    snprintf(msg, msg_size, "out of memory");
    return NULL;
  }
  r->host = *host;
  return r;
}

static void fake_realm_free(T262Realm *realm) { free(realm); }

/* "FAKE:throw TypeError" -> TypeError. */
static void marker_arg(const char *src, const char *marker, char *out, size_t size) {
  const char *p = strstr(src, marker);
  out[0] = '\0';
  if (!p) return;
  p += strlen(marker);
  while (*p == ' ') p++;
  size_t n = strcspn(p, " \r\n*");
  if (n >= size) n = size - 1;
  memcpy(out, p, n);
  out[n] = '\0';
}

static T262Eval eval_common(T262Realm *realm, const char *src, size_t len, bool module) {
  misbehave(src, len);
  if (t262_interrupt) return T262_EVAL_INTERRUPTED;
  if (has(src, len, "FAKE:syntax") || (has(src, len, "FAKE:strict-syntax") && starts_strict(src))) {
    snprintf(realm->ctor, sizeof realm->ctor, "SyntaxError");
    return T262_EVAL_PARSE_ERROR;
  }
  if (module && has(src, len, "FAKE:import")) {
    char spec[128], resolved[4096];
    marker_arg(src, "FAKE:import", spec, sizeof spec);
    char *text = NULL;
    size_t n;
    bool json;
    if (!realm->host.load_module(realm->host.data, realm->referrer, spec, resolved, sizeof resolved,
                                 &text, &n, &json)) {
      snprintf(realm->ctor, sizeof realm->ctor, "SyntaxError");
      snprintf(realm->message, sizeof realm->message, "cannot resolve %.100s", spec);
      return T262_EVAL_RESOLUTION_ERROR;
    }
    bool bad = strstr(text, "FAKE:syntax") != NULL;
    free(text);
    if (bad) {
      snprintf(realm->ctor, sizeof realm->ctor, "SyntaxError");
      return T262_EVAL_RESOLUTION_ERROR;
    }
  }
  if (has(src, len, "FAKE:throw")) {
    marker_arg(src, "FAKE:throw", realm->ctor, sizeof realm->ctor);
    snprintf(realm->message, sizeof realm->message, "fake throw");
    return T262_EVAL_RUNTIME_ERROR;
  }
  if (has(src, len, "FAKE:print")) {
    /* Printed from a job, as promise-based async tests do. */
    marker_arg(src, "FAKE:print", realm->print_text, sizeof realm->print_text);
    realm->pending_print = true;
  }
  return T262_EVAL_OK;
}

static T262Eval fake_eval_script(T262Realm *realm, const char *filename, const char *src,
                                 size_t len) {
  (void)filename;
  return eval_common(realm, src, len, false);
}

static T262Eval fake_eval_module(T262Realm *realm, const char *path, const char *src, size_t len) {
  snprintf(realm->referrer, sizeof realm->referrer, "%s", path);
  return eval_common(realm, src, len, true);
}

static T262Eval fake_drain_jobs(T262Realm *realm) {
  if (realm->pending_print) {
    realm->pending_print = false;
    realm->host.print(realm->host.data, realm->print_text, strlen(realm->print_text));
  }
  return T262_EVAL_OK;
}

static T262Eval fake_module_status(T262Realm *realm) {
  (void)realm;
  return T262_EVAL_OK;
}

static bool fake_take_exception(T262Realm *realm, char *ctor, size_t ctor_size, char *msg,
                                size_t msg_size) {
  snprintf(ctor, ctor_size, "%s", realm->ctor);
  snprintf(msg, msg_size, "%s", realm->message);
  realm->ctor[0] = '\0';
  return true;
}

static const T262Engine fake_engine = {
    "fake",           fake_realm_new,  fake_realm_free,    fake_eval_script,
    fake_eval_module, fake_drain_jobs, fake_module_status, fake_take_exception,
};

const T262Engine *t262_fake_engine(void) { return &fake_engine; }
