/* test_runtime.h: the fixture shared by unit suites that need a runtime:
 * a fresh Runtime per test in `rt`, and small helpers that fail the test on
 * an allocation error. */
#ifndef TANDEM_TEST_RUNTIME_H
#define TANDEM_TEST_RUNTIME_H

#include <check.h>
#include <stdlib.h>

#include "core/atom.h"
#include "core/object.h"
#include "core/runtime.h"

static Runtime *rt;

static inline void setup(void) {
  rt = rt_new(NULL);
  ck_assert_ptr_nonnull(rt);
}

static inline void teardown(void) {
  rt_free(rt);
  rt = NULL;
}

/* Heavy loops shrink under TANDEM_GC_STRESS, where every allocation collects. */
static inline unsigned scale(unsigned n, unsigned stressed) {
  const char *e = getenv("TANDEM_GC_STRESS");
  return e && *e && atoi(e) > 0 ? stressed : n;
}

static inline Atom A(const char *s) {
  Atom a = atom_from_cstr(rt, s);
  ck_assert(!val_is_exception(a));
  return a;
}

static inline Object *new_obj(Value proto) {
  Object *o = obj_new(rt, proto, OBJ_CLASS_Object, 4);
  ck_assert_ptr_nonnull(o);
  return o;
}

#endif
