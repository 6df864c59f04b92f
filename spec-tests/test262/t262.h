/* t262.h: the test262 runner's shared types: a test's frontmatter, the
 * variants it runs as, per-variant outcomes, the execution backends (parse
 * mode, run mode over a switchable engine), lists and the worker pool. */
#ifndef TANDEM_T262_H
#define TANDEM_T262_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* --- frontmatter (frontmatter.c) ------------------------------------------------- */

#define T262_FLAG_LIST(X)                                                                          \
  X(ONLY_STRICT, "onlyStrict")                                                                     \
  X(NO_STRICT, "noStrict")                                                                         \
  X(MODULE, "module")                                                                              \
  X(RAW, "raw")                                                                                    \
  X(ASYNC, "async")                                                                                \
  X(CAN_BLOCK_IS_FALSE, "CanBlockIsFalse")                                                         \
  X(CAN_BLOCK_IS_TRUE, "CanBlockIsTrue")                                                           \
  X(GENERATED, "generated")                                                                        \
  X(NON_DETERMINISTIC, "non-deterministic")

enum {
#define T262_FLAG_BIT(id, name) T262_FLAG_BIT_##id,
  T262_FLAG_LIST(T262_FLAG_BIT)
#undef T262_FLAG_BIT
};
enum {
#define T262_FLAG_ENUM(id, name) T262_F_##id = 1u << T262_FLAG_BIT_##id,
  T262_FLAG_LIST(T262_FLAG_ENUM)
#undef T262_FLAG_ENUM
};

typedef enum T262Phase {
  T262_PHASE_NONE = 0, /* not a negative test */
  T262_PHASE_PARSE,
  T262_PHASE_RESOLUTION,
  T262_PHASE_RUNTIME,
} T262Phase;

#define T262_MAX_LIST 32

typedef struct T262Meta {
  unsigned flags;
  T262Phase negative_phase;
  char negative_type[64];
  /* Names point into `storage`. */
  const char *includes[T262_MAX_LIST];
  int n_includes;
  const char *features[T262_MAX_LIST];
  int n_features;
  bool has_frontmatter;
  char storage[2048];
  size_t storage_used;
} T262Meta;

/* Reads the frontmatter block ("/ *---" to "---* /") of a test. Returns false (with a reason in
 * err) when the block is malformed; a test without a block gets an empty Meta
 * and true. */
bool t262_parse_frontmatter(const char *src, size_t len, T262Meta *meta, char *err,
                            size_t err_size);
const char *t262_flag_name(unsigned flag_bit);

/* --- variants and outcomes ------------------------------------------------------- */

typedef enum T262Variant {
  T262_VAR_SLOPPY = 0, /* non-strict script */
  T262_VAR_STRICT,     /* "use strict";\n prepended */
  T262_VAR_MODULE,
  T262_VAR_RAW, /* as-is, no harness (a raw module is a MODULE variant without harness) */
  T262_VAR_COUNT
} T262Variant;

/* The tag used in lists and reports: "sloppy", "strict", "module", "raw". */
const char *t262_variant_name(T262Variant v);
/* The variants a test runs as, as a bit mask of 1 << T262Variant. */
unsigned t262_variants_of(const T262Meta *meta);

typedef enum T262Outcome {
  T262_PASS = 0,
  T262_FAIL,
  T262_SKIP,
  T262_CRASH,   /* the worker died (signal or exit) while running it */
  T262_TIMEOUT, /* interrupted at the soft limit or killed at the hard one */
  T262_OUTCOME_COUNT
} T262Outcome;

const char *t262_outcome_name(T262Outcome o);

/* --- execution --------------------------------------------------------------------- */

typedef struct T262Config T262Config;

/* One variant of one test, as handed to a backend. */
typedef struct T262Case {
  const char *rel_path; /* "language/x/y.js", or "harness/assert.js" */
  const char *abs_path;
  const char *source; /* the file as read */
  size_t source_len;
  const T262Meta *meta;
  T262Variant variant;
} T262Case;

/* A backend decides one variant of one test. It runs inside a worker process
 * and may crash or hang: the pool contains that. `interrupt` is set by the
 * worker's time-limit alarm; a backend copies it into the runtime's
 * interrupt flag. */
typedef struct T262Backend {
  const char *name;
  /* NULL when usable; otherwise why not (then nothing is run). */
  const char *unavailable;
  /* Once per worker process, after fork. May be NULL. */
  bool (*worker_init)(const T262Config *cfg, char *msg, size_t msg_size);
  T262Outcome (*run)(const T262Config *cfg, const T262Case *tc, char *msg, size_t msg_size);
} T262Backend;

/* Set by the worker's SIGALRM handler; backends point their runtime's
 * interrupt flag at it or poll it. */
extern volatile int t262_interrupt;
/* If set, the handler also stores 1 here (a Runtime's interrupt_requested). */
extern volatile int *volatile t262_interrupt_target;

/* Parse mode over a syntax checker with js_check_syntax's signature (the real
 * one, or a fake in the self-test). Runtime creation is behind the checker. */
typedef bool (*T262SyntaxCheck)(const char *filename, const char *source, size_t len, int flags,
                                char *msg, size_t msg_size);
enum { T262_SYNTAX_MODULE = 1 << 0, T262_SYNTAX_STRICT = 1 << 1 }; /* as JS_PARSE_* */
void t262_parse_backend(T262Backend *b, T262SyntaxCheck check);

#include "engine.h"

/* Run mode over an engine (engine.h). A NULL engine gives a backend that
 * says execution is unavailable. */
void t262_run_backend(T262Backend *b, const T262Engine *engine);

/* --- files and harness (harness.c) ------------------------------------------------ */

/* Reads a whole file, NUL-terminated. NULL on error (errno set). */
char *t262_read_file(const char *path, size_t *len);

/* Harness files are read once per process and cached. Returns NULL (and a
 * reason) if the file is missing. */
const char *t262_harness_file(const T262Config *cfg, const char *name, size_t *len, char *err,
                              size_t err_size);

/* --- lists (lists.c) ------------------------------------------------------------- */

typedef struct T262FeatureSkip {
  char *feature;
  char *reason;
  bool run_only; /* "[run]" after the tag: a host capability parse mode does not need */
} T262FeatureSkip;

typedef struct T262Features {
  T262FeatureSkip *items;
  size_t count;
} T262Features;

/* "feature-tag [run] reason..." per line, '#' comments. */
bool t262_features_load(T262Features *f, const char *path, char *err, size_t err_size);
/* The reason a test is skipped for its features, or NULL. */
const char *t262_features_skip_reason(const T262Features *f, const T262Meta *meta, bool run_mode);
void t262_features_free(T262Features *f);

typedef struct T262KnownEntry {
  char *path;
  int variant;  /* -1: every variant */
  int group;    /* index into groups */
  bool matched; /* a selected test's variant matched this entry */
  bool failed;  /* ... and at least one of those failed */
} T262KnownEntry;

typedef struct T262KnownList {
  char **groups; /* reasons, without the leading "# " */
  size_t n_groups;
  char *header; /* comment lines before the first group, kept verbatim */
  T262KnownEntry *entries;
  size_t n_entries;
  /* Lookup: entries sorted by path (a copy of the order for binary search). */
  size_t *by_path;
} T262KnownList;

/* A missing file is an empty list. */
bool t262_known_load(T262KnownList *kl, const char *path, char *err, size_t err_size);
/* The entry covering (path, variant), or NULL. */
T262KnownEntry *t262_known_find(T262KnownList *kl, const char *path, T262Variant v);
void t262_known_free(T262KnownList *kl);

/* --- the run (runner.c, pool.c, report.c) ----------------------------------------- */

typedef struct T262Result {
  uint8_t outcome; /* T262Outcome */
  uint32_t us;     /* run time in microseconds */
  char *message;   /* malloc'd or NULL */
} T262Result;

typedef struct T262Test {
  char *rel_path; /* relative to the suite's test/ folder, or "harness/x.js" */
  bool is_harness;
  unsigned variants; /* reported by the worker; 0 until then */
  unsigned reported; /* variants with a result */
  T262Result res[T262_VAR_COUNT];
} T262Test;

struct T262Config {
  const char *suite_dir; /* holds harness/ and test/ */
  const char *mode;      /* "parse" or "run" */
  const T262Backend *backend;
  const T262Features *features;
  int jobs;
  unsigned timeout_ms;    /* soft limit per variant */
  unsigned hard_grace_ms; /* parent kills a worker this long after the soft limit */
  size_t max_heap_bytes;  /* RuntimeOptions.max_heap_bytes in run mode */
  size_t max_data_bytes;  /* RLIMIT_DATA backstop for workers; 0: none */
  bool verbose;
  bool quiet;
};

/* Finds the tests under suite_dir/test that match the selectors (paths,
 * directories, fnmatch globs, relative to test/ or with a leading "test/");
 * none selects the whole suite. Sorted, _FIXTURE files excluded. */
bool t262_collect(const T262Config *cfg, char **selectors, int n_selectors, bool add_harness,
                  T262Test **out, size_t *n_out, char *err, size_t err_size);

/* Runs every test through the backend in a pool of forked workers, filling
 * each test's results. Returns false only if the pool cannot start. */
bool t262_pool_run(const T262Config *cfg, T262Test *tests, size_t n_tests);

/* What a worker does for one test (all its variants not in `done`). Exposed
 * for the pool; `emit` reports each variant. */
typedef void (*T262Emit)(void *ctx, size_t index, unsigned variants, T262Variant v, T262Outcome o,
                         uint32_t us, const char *msg);
void t262_run_test(const T262Config *cfg, const T262Test *t, size_t index, unsigned done,
                   T262Emit emit, void *ctx);

typedef struct T262Counts {
  size_t n[T262_OUTCOME_COUNT];
} T262Counts;

typedef struct T262Report {
  T262Counts total;
  size_t regressions;   /* failing/crashing variants not on the known list */
  size_t known_failing; /* failing variants covered by the list */
  size_t now_passing;   /* list entries whose variants all pass */
  size_t stale;         /* list entries naming no selected test */
} T262Report;

/* Compares results with the list, prints the summary (and the regressions,
 * now-passing entries, slowest tests) to stdout, writes JSON if json_path.
 * `full_run` says whether every test was selected (then missing entries are
 * stale). */
void t262_report(const T262Config *cfg, T262Test *tests, size_t n, T262KnownList *kl, bool full_run,
                 const char *json_path, double seconds, T262Report *out);

/* Rewrites the known-failure list from this run's results. */
bool t262_known_update(const T262KnownList *kl, const char *path, const T262Test *tests, size_t n,
                       char *err, size_t err_size);

#endif
