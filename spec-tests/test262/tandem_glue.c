/* tandem_glue.c: tandem itself behind the runner's interfaces: the parse
 * checker (js_check_syntax in a fresh Runtime per test) and the run-mode
 * engine (engine_tandem.c). Built
 * only into test262_runner; the runner's library never sees the engine. */
#include <stdio.h>
#include <stdlib.h>

#include "glue.h"

#ifdef T262_HAVE_PARSER
#include "core/runtime.h"
#include "js/js.h"

static size_t glue_heap_bytes;

static bool tandem_check_syntax(const char *filename, const char *source, size_t len, int flags,
                                char *msg, size_t msg_size) {
  RuntimeOptions opts = {0};
  opts.max_heap_bytes = glue_heap_bytes;
  Runtime *rt = rt_new(&opts);
  if (!rt) {
    /* Not a verdict on the test: make it a crash, never a pass. */
    fprintf(stderr, "test262: cannot create a runtime\n");
    abort();
  }
  t262_interrupt_target = &rt->interrupt_requested;
  if (t262_interrupt) rt->interrupt_requested = 1;
  int jflags = ((flags & T262_SYNTAX_MODULE) ? JS_PARSE_MODULE : 0) |
               ((flags & T262_SYNTAX_STRICT) ? JS_PARSE_STRICT : 0);
  bool ok = js_check_syntax(rt, filename, source, len, jflags, msg, msg_size);
  t262_interrupt_target = NULL;
  rt_free(rt);
  return ok;
}

T262SyntaxCheck t262_tandem_syntax_check(size_t max_heap_bytes) {
  glue_heap_bytes = max_heap_bytes;
  return tandem_check_syntax;
}
#else
/* The front end has not landed: parse mode reports it is unavailable. */
T262SyntaxCheck t262_tandem_syntax_check(size_t max_heap_bytes) {
  (void)max_heap_bytes;
  return NULL;
}
#endif

/* The run-mode engine lives in engine_tandem.c (NULL when the interpreter
 * is not built). */
const T262Engine *t262_tandem_engine_impl(void);
const T262Engine *t262_tandem_engine(void) { return t262_tandem_engine_impl(); }
