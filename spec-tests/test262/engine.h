/* engine.h: what run mode needs from a JavaScript engine, as a table of
 * function pointers, so the interpreter plugs in by filling one struct
 * (engine_tandem.c once it exists) and the self-test can plug in a fake.
 * The runner owns harness assembly, module file loading and verdicts. */
#ifndef TANDEM_T262_ENGINE_H
#define TANDEM_T262_ENGINE_H

#include <stdbool.h>
#include <stddef.h>

/* How an evaluation ended. The phase matters: negative tests name it. */
typedef enum T262Eval {
  T262_EVAL_OK = 0,
  T262_EVAL_PARSE_ERROR,      /* rejected before any code ran (early error) */
  T262_EVAL_RESOLUTION_ERROR, /* module graph failed to load/link (incl. a fixture's parse error) */
  T262_EVAL_RUNTIME_ERROR,    /* threw during evaluation (or a job threw) */
  T262_EVAL_INTERRUPTED,      /* stopped by the interrupt flag (time limit) */
  T262_EVAL_OUT_OF_MEMORY,    /* the heap limit was reached */
} T262Eval;

/* Services the runner gives the engine for one realm. */
typedef struct T262Host {
  void *data;
  /* $262's print / the global print(): one call per printed value. */
  void (*print)(void *data, const char *text, size_t len);
  /* Module loading. Resolves `specifier` against the importing module's path
   * (test262 specifiers are "./name" or "<module source>") and reads it.
   * Returns false if it does not exist. *source is malloc'd; *is_json when
   * the file is a .json module. */
  bool (*load_module)(void *data, const char *referrer_path, const char *specifier,
                      char *resolved_path, size_t resolved_size, char **source, size_t *len,
                      bool *is_json);
} T262Host;

typedef struct T262Limits {
  size_t max_heap_bytes;   /* RuntimeOptions.max_heap_bytes */
  volatile int *interrupt; /* the engine polls this (copies it into Runtime.interrupt_requested) */
} T262Limits;

typedef struct T262Realm T262Realm; /* the engine's: a runtime plus a realm */

/* The host-defined $262 object every realm gets (INTERPRETING.md). The
 * engine installs these; the runner lists them so the state of each is in
 * one place (printed by --list-262):
 *   $262.createRealm()          full: a new realm in the same runtime, with its own $262
 *   $262.evalScript(src)        full: parses and runs src as a global script of that realm
 *   $262.detachArrayBuffer(ab)  full once ArrayBuffer exists (DetachArrayBuffer(ab, undefined))
 *   $262.gc()                   full: a full collection
 *   $262.global                 full: the realm's global object
 *   $262.IsHTMLDDA              absent: tests tagged IsHTMLDDA are skipped
 *   $262.AbstractModuleSource   absent: source-phase-imports is skipped
 *   $262.agent                  partial: start/broadcast/getReport/sleep/monotonicNow need
 *                               one runtime per thread; until then agent tests fail
 *                               (sleep and monotonicNow work in the main agent)
 *   print(s)                    full: forwarded to T262Host.print */
typedef struct T262Engine {
  const char *name;
  /* A fresh runtime + realm with $262 and print installed. NULL on failure
   * (reason in msg). */
  T262Realm *(*realm_new)(const T262Limits *limits, const T262Host *host, char *msg,
                          size_t msg_size);
  void (*realm_free)(T262Realm *realm);
  /* Runs a global script (the runner has already prepended "use strict";
   * when the variant asks for it). */
  T262Eval (*eval_script)(T262Realm *realm, const char *filename, const char *source, size_t len);
  /* Loads, links and evaluates a module graph rooted at path (imports come
   * through T262Host.load_module); an async module's promise settles later,
   * so the caller drains jobs and then asks module_status. */
  T262Eval (*eval_module)(T262Realm *realm, const char *path, const char *source, size_t len);
  /* Runs pending promise jobs until none are left. */
  T262Eval (*drain_jobs)(T262Realm *realm);
  /* After drain_jobs: did the root module's evaluation promise reject? */
  T262Eval (*module_status)(T262Realm *realm);
  /* The pending/last uncaught exception: the name of its constructor
   * ("TypeError", or "" if not an object with one) and its message. Clears it. */
  bool (*take_exception)(T262Realm *realm, char *ctor, size_t ctor_size, char *msg,
                         size_t msg_size);
} T262Engine;

/* The engine built into the runner, or NULL while tandem has no interpreter. */
const T262Engine *t262_tandem_engine(void);

/* The list above, for --list-262. */
void t262_print_host_api(void);

#endif
