/* core_object.c: unit tests of the ordinary object internal methods:
 * attributes and ValidateAndApplyPropertyDescriptor, accessors, the
 * prototype chain, own-key order, dense/sparse elements and Array length,
 * integrity levels, setPrototypeOf, GC reachability and out of memory. */
#include <stdio.h>
#include <stdlib.h>

#include "core/atom.h"
#include "core/object.h"
#include "core/runtime.h"
#include "core/string.h"
#include "core/symbol.h"
#include "test_runtime.h"
#include "test_util.h"

static Object *new_array(void) {
  Object *a = obj_new_array(rt, VAL_NULL, 0);
  ck_assert_ptr_nonnull(a);
  return a;
}

static void put(Object *o, const char *k, Value v) {
  ck_assert_int_eq(obj_define_value(rt, o, A(k), v, PROP_DEFAULT), OBJ_TRUE);
}

static Value get(Object *o, const char *k) {
  Value v;
  Object *ex = NULL;
  ck_assert_int_eq(obj_get(rt, o, A(k), &v, &ex), OBJ_TRUE);
  return v;
}

static ObjResult set(Object *o, const char *k, Value v) {
  Value fn = VAL_UNDEFINED;
  Object *ex = NULL;
  return obj_set(rt, o, A(k), v, obj_value(o), &fn, &ex);
}

static Value elem(Object *o, uint32_t i) {
  Value v;
  Object *ex = NULL;
  ck_assert_int_eq(obj_get_element(rt, o, i, &v, &ex), OBJ_TRUE);
  return v;
}

static ObjResult set_elem(Object *o, uint32_t i, Value v) {
  Value fn = VAL_UNDEFINED;
  Object *ex = NULL;
  return obj_set_element(rt, o, i, v, obj_value(o), &fn, &ex);
}

/* Own keys as one comma-separated string, for order checks. */
static const char *keys_of(Object *o, unsigned flags) {
  static char buf[2048];
  uint32_t n;
  GCValueArray *keys = obj_own_keys(rt, o, flags, &n);
  ck_assert_ptr_nonnull(keys);
  size_t len = 0;
  buf[0] = 0;
  for (uint32_t i = 0; i < n; i++) {
    Value k = keys->v[i];
    char part[256];
    if (atom_is_symbol(k))
      snprintf(part, sizeof part, "@%s", str_is_string(sym_description(k)) ? "sym" : "?");
    else
      str_to_utf8_buf(rt, k, part, sizeof part);
    len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", i ? "," : "", part);
  }
  return buf;
}

START_TEST(writable_and_configurable) {
  Object *o = new_obj(VAL_NULL);
  ck_assert_int_eq(obj_define_value(rt, o, A("ro"), val_from_int(1), PROP_ENUMERABLE), OBJ_TRUE);
  ck_assert_int_eq(set(o, "ro", val_from_int(2)), OBJ_FALSE);
  ck_assert_int_eq(val_to_int(get(o, "ro")), 1);
  ck_assert_int_eq(obj_delete(rt, o, A("ro")), OBJ_FALSE);
  ck_assert_int_eq(val_to_int(get(o, "ro")), 1);
  /* Redefinition of a non-configurable, non-writable property. */
  PropertyDescriptor d = {.present = PD_VALUE, .value = val_from_int(1)};
  ck_assert_int_eq(obj_define_own_property(rt, o, A("ro"), &d), OBJ_TRUE); /* same value */
  d.value = val_from_double(1.0);
  ck_assert_int_eq(obj_define_own_property(rt, o, A("ro"), &d), OBJ_TRUE); /* SameValue(1, 1.0) */
  d.value = val_from_int(5);
  ck_assert_int_eq(obj_define_own_property(rt, o, A("ro"), &d), OBJ_FALSE);
  d = (PropertyDescriptor){.present = PD_CONFIGURABLE, .attrs = PROP_CONFIGURABLE};
  ck_assert_int_eq(obj_define_own_property(rt, o, A("ro"), &d), OBJ_FALSE);
  d = (PropertyDescriptor){.present = PD_ENUMERABLE, .attrs = 0};
  ck_assert_int_eq(obj_define_own_property(rt, o, A("ro"), &d), OBJ_FALSE);
  d = (PropertyDescriptor){.present = PD_WRITABLE, .attrs = PROP_WRITABLE};
  ck_assert_int_eq(obj_define_own_property(rt, o, A("ro"), &d), OBJ_FALSE);
  d = (PropertyDescriptor){.present = PD_GET, .get = VAL_UNDEFINED};
  ck_assert_int_eq(obj_define_own_property(rt, o, A("ro"), &d), OBJ_FALSE);
  /* -0 and +0 differ under SameValue. */
  ck_assert_int_eq(obj_define_value(rt, o, A("zero"), val_from_int(0), 0), OBJ_TRUE);
  d = (PropertyDescriptor){.present = PD_VALUE, .value = val_from_double(-0.0)};
  ck_assert_int_eq(obj_define_own_property(rt, o, A("zero"), &d), OBJ_FALSE);
  /* A NaN is SameValue with NaN. */
  ck_assert_int_eq(obj_define_value(rt, o, A("nan"), val_from_double(0.0 / 0.0), 0), OBJ_TRUE);
  d.value = val_from_double(0.0 / 0.0);
  ck_assert_int_eq(obj_define_own_property(rt, o, A("nan"), &d), OBJ_TRUE);
  /* Strings compare by contents. */
  ck_assert_int_eq(obj_define_value(rt, o, A("s"), str_from_cstr(rt, "text"), 0), OBJ_TRUE);
  d.value = str_from_cstr(rt, "text");
  ck_assert_int_eq(obj_define_own_property(rt, o, A("s"), &d), OBJ_TRUE);
  d.value = str_from_cstr(rt, "other");
  ck_assert_int_eq(obj_define_own_property(rt, o, A("s"), &d), OBJ_FALSE);

  /* Non-configurable but writable: may become non-writable, not back. */
  ck_assert_int_eq(obj_define_value(rt, o, A("w"), val_from_int(1), PROP_WRITABLE), OBJ_TRUE);
  ck_assert_int_eq(set(o, "w", val_from_int(9)), OBJ_TRUE);
  ck_assert_int_eq(val_to_int(get(o, "w")), 9);
  d = (PropertyDescriptor){.present = PD_WRITABLE | PD_VALUE, .attrs = 0, .value = val_from_int(3)};
  ck_assert_int_eq(obj_define_own_property(rt, o, A("w"), &d), OBJ_TRUE);
  ck_assert_int_eq(val_to_int(get(o, "w")), 3);
  d = (PropertyDescriptor){.present = PD_WRITABLE, .attrs = PROP_WRITABLE};
  ck_assert_int_eq(obj_define_own_property(rt, o, A("w"), &d), OBJ_FALSE);

  /* Configurable properties can change anything. */
  put(o, "c", val_from_int(1));
  d = (PropertyDescriptor){.present = PD_ENUMERABLE | PD_WRITABLE, .attrs = 0};
  ck_assert_int_eq(obj_define_own_property(rt, o, A("c"), &d), OBJ_TRUE);
  PropertyDescriptor cur;
  ck_assert_int_eq(obj_get_own_property(rt, o, A("c"), &cur), OBJ_TRUE);
  ck_assert_uint_eq(cur.attrs, PROP_CONFIGURABLE);
  ck_assert_int_eq(val_to_int(cur.value), 1);
  ck_assert_int_eq(obj_delete(rt, o, A("c")), OBJ_TRUE);
  ck_assert_int_eq(obj_get_own_property(rt, o, A("c"), &cur), OBJ_FALSE);
  /* Deleting an absent property succeeds. */
  ck_assert_int_eq(obj_delete(rt, o, A("absent")), OBJ_TRUE);
  /* Missing fields default to false/undefined on creation. */
  d = (PropertyDescriptor){.present = PD_ENUMERABLE, .attrs = PROP_ENUMERABLE};
  ck_assert_int_eq(obj_define_own_property(rt, o, A("fresh"), &d), OBJ_TRUE);
  ck_assert_int_eq(obj_get_own_property(rt, o, A("fresh"), &cur), OBJ_TRUE);
  ck_assert_uint_eq(cur.attrs, PROP_ENUMERABLE);
  ck_assert(cur.value == VAL_UNDEFINED && (cur.present & PD_VALUE));
}
END_TEST

START_TEST(accessors) {
  Object *getter = obj_new(rt, VAL_NULL, OBJ_CLASS_Function, 0);
  Object *setter = obj_new(rt, VAL_NULL, OBJ_CLASS_Function, 0);
  Object *o = new_obj(VAL_NULL);
  put(o, "before", VAL_TRUE);
  ck_assert_int_eq(
      obj_define_accessor(rt, o, A("acc"), obj_value(getter), obj_value(setter), PROP_ENUMERABLE),
      OBJ_TRUE);
  PropertyDescriptor cur;
  ck_assert_int_eq(obj_get_own_property(rt, o, A("acc"), &cur), OBJ_TRUE);
  ck_assert(pd_is_accessor(&cur) && !pd_is_data(&cur));
  ck_assert(cur.get == obj_value(getter) && cur.set == obj_value(setter));
  ck_assert_uint_eq(cur.attrs, PROP_ENUMERABLE);
  Value out;
  Object *ex = NULL;
  ck_assert_int_eq(obj_get(rt, o, A("acc"), &out, &ex), OBJ_CALL_ACCESSOR);
  ck_assert(out == obj_value(getter));
  Value fn;
  ck_assert_int_eq(obj_set(rt, o, A("acc"), VAL_TRUE, obj_value(o), &fn, &ex), OBJ_CALL_ACCESSOR);
  ck_assert(fn == obj_value(setter));
  /* Non-configurable accessor: same functions fine, others rejected. */
  PropertyDescriptor d = {.present = PD_GET, .get = obj_value(getter)};
  ck_assert_int_eq(obj_define_own_property(rt, o, A("acc"), &d), OBJ_TRUE);
  d.get = obj_value(setter);
  ck_assert_int_eq(obj_define_own_property(rt, o, A("acc"), &d), OBJ_FALSE);
  d = (PropertyDescriptor){.present = PD_VALUE, .value = VAL_NULL};
  ck_assert_int_eq(obj_define_own_property(rt, o, A("acc"), &d), OBJ_FALSE);

  /* A getter-only accessor rejects [[Set]]. */
  ck_assert_int_eq(
      obj_define_accessor(rt, o, A("ro"), obj_value(getter), VAL_UNDEFINED, PROP_CONFIGURABLE),
      OBJ_TRUE);
  ck_assert_int_eq(obj_set(rt, o, A("ro"), VAL_TRUE, obj_value(o), &fn, &ex), OBJ_FALSE);
  /* Configurable: accessor -> data keeps enumerable/configurable. */
  d = (PropertyDescriptor){.present = PD_VALUE, .value = val_from_int(5)};
  ck_assert_int_eq(obj_define_own_property(rt, o, A("ro"), &d), OBJ_TRUE);
  ck_assert_int_eq(obj_get_own_property(rt, o, A("ro"), &cur), OBJ_TRUE);
  ck_assert(pd_is_data(&cur) && val_to_int(cur.value) == 5);
  ck_assert_uint_eq(cur.attrs, PROP_CONFIGURABLE); /* writable defaults to false */
  /* ... and back to an accessor, updating only the setter later. */
  d = (PropertyDescriptor){.present = PD_SET, .set = obj_value(setter)};
  ck_assert_int_eq(obj_define_own_property(rt, o, A("ro"), &d), OBJ_TRUE);
  ck_assert_int_eq(obj_get_own_property(rt, o, A("ro"), &cur), OBJ_TRUE);
  ck_assert(cur.get == VAL_UNDEFINED && cur.set == obj_value(setter));
  d = (PropertyDescriptor){.present = PD_GET, .get = obj_value(getter)};
  ck_assert_int_eq(obj_define_own_property(rt, o, A("ro"), &d), OBJ_TRUE);
  ck_assert_int_eq(obj_get_own_property(rt, o, A("ro"), &cur), OBJ_TRUE);
  ck_assert(cur.get == obj_value(getter) && cur.set == obj_value(setter));
  ck_assert(get(o, "before") == VAL_TRUE);
  /* Accessor elements go to sparse storage and keep working. */
  Object *arr = new_array();
  ck_assert_int_eq(set_elem(arr, 0, val_from_int(10)), OBJ_TRUE);
  d = pd_accessor(obj_value(getter), VAL_UNDEFINED, PROP_CONFIGURABLE);
  ck_assert_int_eq(obj_define_own_property(rt, arr, A("1"), &d), OBJ_TRUE);
  ck_assert(arr->h.flags & OBJ_F_SPARSE);
  ck_assert_int_eq(obj_get_element(rt, arr, 1, &out, &ex), OBJ_CALL_ACCESSOR);
  ck_assert_int_eq(val_to_int(elem(arr, 0)), 10);
  ck_assert_uint_eq(obj_array_length(arr), 2);
}
END_TEST

START_TEST(prototype_chain) {
  Object *p = new_obj(VAL_NULL);
  put(p, "x", val_from_int(1));
  ck_assert_int_eq(obj_define_value(rt, p, A("fixed"), val_from_int(2), 0), OBJ_TRUE);
  Object *setter = obj_new(rt, VAL_NULL, OBJ_CLASS_Function, 0);
  ck_assert_int_eq(obj_define_accessor(rt, p, A("acc"), VAL_UNDEFINED, obj_value(setter), 0),
                   OBJ_TRUE);
  Object *o = new_obj(obj_value(p));
  Object *ex = NULL;
  ck_assert_int_eq(val_to_int(get(o, "x")), 1);
  ck_assert_int_eq(obj_has_property(rt, o, A("x"), &ex), OBJ_TRUE);
  ck_assert_int_eq(obj_has_property(rt, o, A("nope"), &ex), OBJ_FALSE);
  ck_assert(get(o, "nope") == VAL_UNDEFINED);
  /* Assignment shadows on the receiver; the prototype keeps its value. */
  ck_assert_int_eq(set(o, "x", val_from_int(5)), OBJ_TRUE);
  ck_assert_int_eq(val_to_int(get(o, "x")), 5);
  ck_assert_int_eq(val_to_int(get(p, "x")), 1);
  PropertyDescriptor cur;
  ck_assert_int_eq(obj_get_own_property(rt, o, A("x"), &cur), OBJ_TRUE);
  ck_assert_uint_eq(cur.attrs, PROP_DEFAULT);
  /* An inherited read-only property blocks assignment. */
  ck_assert_int_eq(set(o, "fixed", val_from_int(9)), OBJ_FALSE);
  ck_assert_int_eq(obj_get_own_property(rt, o, A("fixed"), &cur), OBJ_FALSE);
  /* ... but defineProperty on the receiver is fine. */
  ck_assert_int_eq(obj_define_value(rt, o, A("fixed"), val_from_int(9), PROP_DEFAULT), OBJ_TRUE);
  ck_assert_int_eq(val_to_int(get(o, "fixed")), 9);
  /* An inherited setter is handed back to call. */
  Value fn = VAL_UNDEFINED;
  ck_assert_int_eq(obj_set(rt, o, A("acc"), VAL_TRUE, obj_value(o), &fn, &ex), OBJ_CALL_ACCESSOR);
  ck_assert(fn == obj_value(setter));
  /* Inherited elements. */
  ck_assert_int_eq(set_elem(p, 3, VAL_TRUE), OBJ_TRUE);
  ck_assert(elem(o, 3) == VAL_TRUE);
  ck_assert(elem(o, 4) == VAL_UNDEFINED);
  /* An exotic object on the chain is handed to the caller. */
  Object *str = obj_new(rt, VAL_NULL, OBJ_CLASS_String, 0);
  Object *q = new_obj(obj_value(str));
  Value v;
  ck_assert_int_eq(obj_get(rt, q, A("length"), &v, &ex), OBJ_EXOTIC);
  ck_assert_ptr_eq(ex, str);
  /* A different receiver gets the new property. */
  Object *r = new_obj(VAL_NULL);
  ck_assert_int_eq(obj_set(rt, o, A("x"), val_from_int(7), obj_value(r), &fn, &ex), OBJ_TRUE);
  ck_assert_int_eq(val_to_int(get(r, "x")), 7);
  ck_assert_int_eq(val_to_int(get(o, "x")), 5);
  /* Non-object receivers reject. */
  ck_assert_int_eq(obj_set(rt, o, A("x"), val_from_int(7), val_from_int(3), &fn, &ex), OBJ_FALSE);
}
END_TEST

START_TEST(own_keys_order) {
  Object *o = new_obj(VAL_NULL);
  Value s1 = sym_new(rt, str_from_cstr(rt, "one"));
  Value s2 = sym_new(rt, str_from_cstr(rt, "two"));
  put(o, "b", VAL_TRUE);
  ck_assert_int_eq(obj_define_value(rt, o, s1, VAL_TRUE, PROP_DEFAULT), OBJ_TRUE);
  put(o, "2", VAL_TRUE);
  put(o, "a", VAL_TRUE);
  put(o, "0", VAL_TRUE);
  ck_assert_int_eq(obj_define_value(rt, o, s2, VAL_TRUE, PROP_DEFAULT), OBJ_TRUE);
  put(o, "10", VAL_TRUE);
  put(o, "4294967295", VAL_TRUE); /* not an array index: a string key */
  ck_assert_int_eq(obj_define_value(rt, o, A("hidden"), VAL_TRUE, PROP_WRITABLE), OBJ_TRUE);
  ck_assert_str_eq(keys_of(o, OBJ_KEYS_ALL), "0,2,10,b,a,4294967295,hidden,@sym,@sym");
  ck_assert_str_eq(keys_of(o, OBJ_KEYS_STRINGS | OBJ_KEYS_ENUMERABLE_ONLY),
                   "0,2,10,b,a,4294967295");
  uint32_t n;
  GCValueArray *k = obj_own_keys(rt, o, OBJ_KEYS_SYMBOLS, &n);
  ck_assert_uint_eq(n, 2);
  ck_assert(k->v[0] == s1 && k->v[1] == s2);
  /* Delete and re-add moves a key to the end (dictionary mode). */
  ck_assert_int_eq(obj_delete(rt, o, A("b")), OBJ_TRUE);
  put(o, "b", VAL_FALSE);
  ck_assert_str_eq(keys_of(o, OBJ_KEYS_STRINGS), "0,2,10,a,4294967295,hidden,b");
  /* Sparse elements still come out ascending. */
  Object *sp = new_obj(VAL_NULL);
  put(sp, "name", VAL_TRUE);
  ck_assert_int_eq(set_elem(sp, 3000000, VAL_TRUE), OBJ_TRUE);
  ck_assert_int_eq(set_elem(sp, 7, VAL_TRUE), OBJ_TRUE);
  ck_assert_int_eq(set_elem(sp, 4000000000u, VAL_TRUE), OBJ_TRUE);
  ck_assert_int_eq(set_elem(sp, 100, VAL_TRUE), OBJ_TRUE);
  ck_assert(sp->h.flags & OBJ_F_SPARSE);
  ck_assert_str_eq(keys_of(sp, OBJ_KEYS_ALL), "7,100,3000000,4000000000,name");
  /* Arrays list length after the indices. */
  Object *arr = new_array();
  put(arr, "x", VAL_TRUE);
  ck_assert_int_eq(set_elem(arr, 1, VAL_TRUE), OBJ_TRUE);
  ck_assert_str_eq(keys_of(arr, OBJ_KEYS_ALL), "1,length,x");
  ck_assert_str_eq(keys_of(arr, OBJ_KEYS_ALL | OBJ_KEYS_ENUMERABLE_ONLY), "1,x");
}
END_TEST

START_TEST(dense_elements_and_holes) {
  Object *a = new_array();
  for (uint32_t i = 0; i < 100; i++)
    ck_assert_int_eq(set_elem(a, i, val_from_int((int)i)), OBJ_TRUE);
  ck_assert(!(a->h.flags & OBJ_F_SPARSE));
  ck_assert_uint_eq(obj_array_length(a), 100);
  ck_assert_int_eq(obj_delete_element(rt, a, 50), OBJ_TRUE);
  PropertyDescriptor d;
  ck_assert_int_eq(obj_get_own_property(rt, a, A("50"), &d), OBJ_FALSE);
  ck_assert(elem(a, 50) == VAL_UNDEFINED);
  ck_assert_int_eq(val_to_int(elem(a, 51)), 51);
  ck_assert_uint_eq(obj_array_length(a), 100);
  /* Writing past the end leaves holes and grows length. */
  ck_assert_int_eq(set_elem(a, 120, VAL_TRUE), OBJ_TRUE);
  ck_assert_uint_eq(obj_array_length(a), 121);
  ck_assert(!(a->h.flags & OBJ_F_SPARSE));
  ck_assert_int_eq(obj_get_own_property(rt, a, A("110"), &d), OBJ_FALSE);
  Value v;
  ck_assert_int_eq(obj_get_own_dense(a, 99, &v), OBJ_TRUE);
  ck_assert_int_eq(val_to_int(v), 99);
  /* Index keys given as atoms reach the same storage. */
  ck_assert_int_eq(obj_get_own_property(rt, a, A("99"), &d), OBJ_TRUE);
  ck_assert_int_eq(val_to_int(d.value), 99);
  ck_assert_uint_eq(d.attrs, PROP_DEFAULT);
  /* "length" of an array. */
  ck_assert_int_eq(obj_get_own_property(rt, a, A("length"), &d), OBJ_TRUE);
  ck_assert_int_eq(val_to_int(d.value), 121);
  ck_assert_uint_eq(d.attrs, PROP_WRITABLE);
  ck_assert_int_eq(obj_delete(rt, a, A("length")), OBJ_FALSE);
  /* Non-default attributes switch to sparse, order and values intact. */
  ck_assert_int_eq(obj_define_value(rt, a, A("5"), val_from_int(-5), PROP_ENUMERABLE), OBJ_TRUE);
  ck_assert(a->h.flags & OBJ_F_SPARSE);
  ck_assert_int_eq(val_to_int(elem(a, 5)), -5);
  ck_assert_int_eq(val_to_int(elem(a, 6)), 6);
  ck_assert_int_eq(set_elem(a, 5, VAL_TRUE), OBJ_FALSE);
  ck_assert_int_eq(obj_delete_element(rt, a, 5), OBJ_FALSE);
}
END_TEST

START_TEST(sparse_and_length) {
  Object *a = new_array();
  ck_assert_int_eq(set_elem(a, 0, val_from_int(1)), OBJ_TRUE);
  ck_assert_int_eq(set_elem(a, 1000000000u, val_from_int(2)), OBJ_TRUE);
  ck_assert(a->h.flags & OBJ_F_SPARSE);
  ck_assert_uint_eq(obj_array_length(a), 1000000001u);
  ck_assert_int_eq(val_to_int(elem(a, 1000000000u)), 2);
  ck_assert_int_eq(val_to_int(elem(a, 0)), 1);
  ck_assert(elem(a, 999) == VAL_UNDEFINED);
  /* Truncation deletes from the end. */
  ck_assert_int_eq(obj_array_set_length(rt, a, 1), OBJ_TRUE);
  ck_assert(elem(a, 1000000000u) == VAL_UNDEFINED);
  ck_assert_int_eq(val_to_int(elem(a, 0)), 1);
  ck_assert_uint_eq(obj_array_length(a), 1);
  /* A non-configurable element stops truncation just above itself. */
  for (uint32_t i = 1; i < 10; i++)
    ck_assert_int_eq(set_elem(a, i, val_from_int((int)i)), OBJ_TRUE);
  ck_assert_int_eq(obj_define_value(rt, a, A("4"), val_from_int(4), PROP_WRITABLE), OBJ_TRUE);
  ck_assert_int_eq(obj_array_set_length(rt, a, 2), OBJ_FALSE);
  ck_assert_uint_eq(obj_array_length(a), 5);
  ck_assert_int_eq(val_to_int(elem(a, 3)), 3);
  ck_assert(elem(a, 5) == VAL_UNDEFINED);
  /* Dense truncation. */
  Object *b = new_array();
  for (uint32_t i = 0; i < 10; i++)
    ck_assert_int_eq(set_elem(b, i, val_from_int((int)i)), OBJ_TRUE);
  ck_assert_int_eq(
      obj_set(rt, b, A("length"), val_from_int(5), obj_value(b), &(Value){0}, &(Object *){0}),
      OBJ_TRUE);
  ck_assert_uint_eq(obj_array_length(b), 5);
  ck_assert(elem(b, 7) == VAL_UNDEFINED);
  ck_assert_int_eq(set_elem(b, 7, VAL_TRUE), OBJ_TRUE);
  ck_assert_uint_eq(obj_array_length(b), 8);
  ck_assert(elem(b, 6) == VAL_UNDEFINED);
  /* Invalid lengths throw RangeError. */
  PropertyDescriptor d = {.present = PD_VALUE, .value = val_from_double(1.5)};
  ck_assert_int_eq(obj_define_own_property(rt, b, A("length"), &d), OBJ_ERROR);
  ck_assert_int_eq(rt_exception_kind(rt), ERR_RangeError);
  rt_clear_exception(rt);
  /* Read-only length: shrinking and growing past it fail. */
  d = (PropertyDescriptor){.present = PD_VALUE | PD_WRITABLE, .attrs = 0, .value = val_from_int(3)};
  ck_assert_int_eq(obj_define_own_property(rt, b, A("length"), &d), OBJ_TRUE);
  ck_assert_uint_eq(obj_array_length(b), 3);
  ck_assert_int_eq(set_elem(b, 3, VAL_TRUE), OBJ_FALSE);
  ck_assert_int_eq(set_elem(b, 1, VAL_TRUE), OBJ_TRUE);
  ck_assert_int_eq(obj_array_set_length(rt, b, 1), OBJ_FALSE);
  d = (PropertyDescriptor){.present = PD_WRITABLE, .attrs = PROP_WRITABLE};
  ck_assert_int_eq(obj_define_own_property(rt, b, A("length"), &d), OBJ_FALSE);
  d = (PropertyDescriptor){.present = PD_ENUMERABLE, .attrs = PROP_ENUMERABLE};
  ck_assert_int_eq(obj_define_own_property(rt, b, A("length"), &d), OBJ_FALSE);
  /* A non-number length goes back to the caller for ToNumber. */
  Object *c = new_array();
  Value fn;
  Object *ex = NULL;
  ck_assert_int_eq(obj_set(rt, c, A("length"), str_from_cstr(rt, "3"), obj_value(c), &fn, &ex),
                   OBJ_EXOTIC);
  ck_assert_ptr_eq(ex, c);
  ck_assert_int_eq(obj_set(rt, c, A("length"), val_from_int(-1), obj_value(c), &fn, &ex),
                   OBJ_ERROR);
  ck_assert_int_eq(rt_exception_kind(rt), ERR_RangeError);
  rt_clear_exception(rt);
  /* An emptied sparse array is dense again. */
  ck_assert_int_eq(set_elem(c, 3000000000u, VAL_TRUE), OBJ_TRUE);
  ck_assert(c->h.flags & OBJ_F_SPARSE);
  ck_assert_int_eq(obj_array_set_length(rt, c, 0), OBJ_TRUE);
  ck_assert(!(c->h.flags & OBJ_F_SPARSE));
  for (uint32_t i = 0; i < 20; i++)
    ck_assert_int_eq(set_elem(c, i, val_from_int((int)i)), OBJ_TRUE);
  ck_assert(!(c->h.flags & OBJ_F_SPARSE));
  ck_assert_int_eq(val_to_int(elem(c, 19)), 19);
  ck_assert_uint_eq(obj_array_length(c), 20);
}
END_TEST

START_TEST(integrity_levels) {
  Object *o = new_obj(VAL_NULL);
  put(o, "x", val_from_int(1));
  ck_assert_int_eq(obj_prevent_extensions(rt, o), OBJ_TRUE);
  ck_assert(!obj_is_extensible(o));
  ck_assert_int_eq(set(o, "y", VAL_TRUE), OBJ_FALSE);
  ck_assert_int_eq(set_elem(o, 0, VAL_TRUE), OBJ_FALSE);
  ck_assert_int_eq(set(o, "x", val_from_int(2)), OBJ_TRUE);
  ck_assert(!obj_is_sealed(rt, o));
  ck_assert_int_eq(obj_delete(rt, o, A("x")), OBJ_TRUE);
  ck_assert(obj_is_sealed(rt, o) && obj_is_frozen(rt, o)); /* empty and non-extensible */

  Object *s = new_obj(VAL_NULL);
  put(s, "x", val_from_int(1));
  ck_assert_int_eq(set_elem(s, 0, VAL_TRUE), OBJ_TRUE);
  ck_assert_int_eq(obj_seal(rt, s), OBJ_TRUE);
  ck_assert(obj_is_sealed(rt, s) && !obj_is_frozen(rt, s));
  ck_assert_int_eq(obj_delete(rt, s, A("x")), OBJ_FALSE);
  ck_assert_int_eq(obj_delete_element(rt, s, 0), OBJ_FALSE);
  ck_assert_int_eq(set(s, "x", val_from_int(3)), OBJ_TRUE);
  ck_assert_int_eq(set_elem(s, 0, VAL_FALSE), OBJ_TRUE);
  ck_assert_int_eq(val_to_int(get(s, "x")), 3);
  ck_assert(elem(s, 0) == VAL_FALSE);
  ck_assert_int_eq(set(s, "new", VAL_TRUE), OBJ_FALSE);

  Object *f = new_obj(VAL_NULL);
  put(f, "x", val_from_int(1));
  Object *getter = obj_new(rt, VAL_NULL, OBJ_CLASS_Function, 0);
  ck_assert_int_eq(
      obj_define_accessor(rt, f, A("acc"), obj_value(getter), VAL_UNDEFINED, PROP_DEFAULT),
      OBJ_TRUE);
  ck_assert_int_eq(obj_freeze(rt, f), OBJ_TRUE);
  ck_assert(obj_is_frozen(rt, f));
  ck_assert_int_eq(set(f, "x", val_from_int(2)), OBJ_FALSE);
  ck_assert_int_eq(val_to_int(get(f, "x")), 1);
  PropertyDescriptor d;
  ck_assert_int_eq(obj_get_own_property(rt, f, A("x"), &d), OBJ_TRUE);
  ck_assert_uint_eq(d.attrs, PROP_ENUMERABLE);
  ck_assert_int_eq(obj_get_own_property(rt, f, A("acc"), &d), OBJ_TRUE);
  ck_assert_uint_eq(d.attrs, PROP_ENUMERABLE);
  d = (PropertyDescriptor){.present = PD_VALUE, .value = val_from_int(2)};
  ck_assert_int_eq(obj_define_own_property(rt, f, A("x"), &d), OBJ_FALSE);

  /* Frozen arrays: elements and length. */
  Object *a = new_array();
  ck_assert_int_eq(set_elem(a, 0, VAL_TRUE), OBJ_TRUE);
  ck_assert_int_eq(obj_freeze(rt, a), OBJ_TRUE);
  ck_assert(obj_is_frozen(rt, a));
  ck_assert_int_eq(set_elem(a, 0, VAL_FALSE), OBJ_FALSE);
  ck_assert(elem(a, 0) == VAL_TRUE);
  ck_assert_int_eq(set_elem(a, 1, VAL_FALSE), OBJ_FALSE);
  ck_assert_int_eq(obj_array_set_length(rt, a, 0), OBJ_FALSE);
  ck_assert_uint_eq(obj_array_length(a), 1);

  /* Dictionary-mode objects freeze too. */
  Object *dct = new_obj(VAL_NULL);
  put(dct, "a", VAL_TRUE);
  put(dct, "b", VAL_TRUE);
  ck_assert_int_eq(obj_delete(rt, dct, A("a")), OBJ_TRUE);
  ck_assert(obj_is_dict(dct));
  ck_assert_int_eq(obj_freeze(rt, dct), OBJ_TRUE);
  ck_assert(obj_is_frozen(rt, dct));
  ck_assert_int_eq(set(dct, "b", VAL_FALSE), OBJ_FALSE);
}
END_TEST

START_TEST(set_prototype_of) {
  Object *a = new_obj(VAL_NULL), *b = new_obj(obj_value(a)), *c = new_obj(obj_value(b));
  put(a, "fromA", val_from_int(1));
  ck_assert_int_eq(val_to_int(get(c, "fromA")), 1);
  ck_assert_int_eq(obj_set_prototype_of(rt, a, obj_value(c)), OBJ_FALSE); /* a->c->b->a */
  ck_assert_int_eq(obj_set_prototype_of(rt, a, obj_value(a)), OBJ_FALSE);
  ck_assert(obj_proto(a) == VAL_NULL);
  ck_assert_int_eq(obj_set_prototype_of(rt, b, obj_value(b)), OBJ_FALSE);
  /* A real change: properties stay, lookups follow the new chain. */
  Object *other = new_obj(VAL_NULL);
  put(other, "fromOther", val_from_int(2));
  put(c, "own", val_from_int(3));
  Shape *old = c->shape;
  ck_assert_int_eq(obj_set_prototype_of(rt, c, obj_value(other)), OBJ_TRUE);
  ck_assert_ptr_ne(c->shape, old);
  ck_assert(obj_proto(c) == obj_value(other));
  ck_assert_int_eq(val_to_int(get(c, "own")), 3);
  ck_assert_int_eq(val_to_int(get(c, "fromOther")), 2);
  ck_assert(get(c, "fromA") == VAL_UNDEFINED);
  /* Same object built directly on `other` shares the shape. */
  Object *d = new_obj(obj_value(other));
  put(d, "own", VAL_NULL);
  ck_assert_ptr_eq(d->shape, c->shape);
  /* Null prototype, and non-extensible objects refuse a change. */
  ck_assert_int_eq(obj_set_prototype_of(rt, c, VAL_NULL), OBJ_TRUE);
  ck_assert(get(c, "fromOther") == VAL_UNDEFINED);
  ck_assert_int_eq(obj_prevent_extensions(rt, c), OBJ_TRUE);
  ck_assert_int_eq(obj_set_prototype_of(rt, c, obj_value(other)), OBJ_FALSE);
  ck_assert_int_eq(obj_set_prototype_of(rt, c, VAL_NULL), OBJ_TRUE); /* unchanged */
  /* Dictionary objects too. */
  ck_assert(obj_to_dict(rt, b));
  ck_assert_int_eq(obj_set_prototype_of(rt, b, obj_value(other)), OBJ_TRUE);
  ck_assert_int_eq(val_to_int(get(b, "fromOther")), 2);
}
END_TEST

static __attribute__((noinline)) Object *build_with_strings(int n) {
  Object *o = new_obj(VAL_NULL);
  char k[32], v[64];
  for (int i = 0; i < n; i++) {
    snprintf(k, sizeof k, "key%d", i);
    snprintf(v, sizeof v, "a value string number %d that is long enough", i);
    put(o, k, str_from_cstr(rt, v));
    ck_assert_int_eq(set_elem(o, (uint32_t)i, str_from_cstr(rt, v)), OBJ_TRUE);
  }
  return o;
}

START_TEST(gc_keeps_reachable_values) {
  Value root = VAL_UNDEFINED;
  gc_add_root(rt->heap, &root);
  int n = (int)scale(100, 30);
  Object *o = build_with_strings(n);
  root = obj_value(o);
  o = NULL;
  gc_collect(rt->heap);
  gc_collect(rt->heap);
  Object *back = val_to_object(root);
  char k[32], v[64], buf[64];
  for (int i = 0; i < n; i++) {
    snprintf(k, sizeof k, "key%d", i);
    snprintf(v, sizeof v, "a value string number %d that is long enough", i);
    str_to_utf8_buf(rt, get(back, k), buf, sizeof buf);
    ck_assert_str_eq(buf, v);
    str_to_utf8_buf(rt, elem(back, (uint32_t)i), buf, sizeof buf);
    ck_assert_str_eq(buf, v);
  }
  /* Dropping the root lets the objects go. */
  GCStats st;
  gc_stats(rt->heap, &st, true);
  size_t objs = st.kinds[GC_KIND_OBJECT].count;
  root = VAL_UNDEFINED;
  back = NULL;
  gc_collect(rt->heap);
  gc_stats(rt->heap, &st, true);
  ck_assert_uint_lt(st.kinds[GC_KIND_OBJECT].count, objs + 1);
  gc_remove_root(rt->heap, &root);
}
END_TEST

START_TEST(out_of_memory_is_clean) {
  rt_free(rt);
  RuntimeOptions opts = {.max_heap_bytes = scale(4u << 20, 1u << 20)};
  rt = rt_new(&opts);
  ck_assert_ptr_nonnull(rt);
  Value root = VAL_UNDEFINED;
  gc_add_root(rt->heap, &root);
  Object *o = new_obj(VAL_NULL);
  root = obj_value(o);
  /* Named properties until the heap refuses. */
  uint32_t added = 0;
  char k[32];
  for (;; added++) {
    snprintf(k, sizeof k, "p%u", added);
    Atom a = atom_from_cstr(rt, k);
    if (val_is_exception(a)) break;
    ObjResult r = obj_define_value(rt, o, a, val_from_int((int32_t)added), PROP_DEFAULT);
    if (r == OBJ_ERROR) break;
    ck_assert_int_eq(r, OBJ_TRUE);
    ck_assert_uint_lt(added, 10000000);
  }
  ck_assert(rt_has_exception(rt));
  ck_assert_int_eq(rt_exception_kind(rt), ERR_InternalError);
  rt_clear_exception(rt);
  /* Everything added before the failure is intact. */
  for (uint32_t i = 0; i < added; i += 97) {
    snprintf(k, sizeof k, "p%u", i);
    Atom a = atom_from_cstr(rt, k);
    if (val_is_exception(a)) {
      rt_clear_exception(rt);
      continue;
    }
    PropertyDescriptor d;
    ck_assert_int_eq(obj_get_own_property(rt, o, a, &d), OBJ_TRUE);
    ck_assert_int_eq(val_to_int(d.value), (int32_t)i);
  }
  /* Elements until the heap refuses, on a fresh array (after freeing the above). */
  root = VAL_UNDEFINED;
  o = NULL;
  gc_collect(rt->heap);
  Object *arr = obj_new_array(rt, VAL_NULL, 0);
  ck_assert_ptr_nonnull(arr);
  root = obj_value(arr);
  uint32_t i = 0;
  for (;; i++) {
    ObjResult r = set_elem(arr, i, val_from_int((int32_t)i));
    if (r == OBJ_ERROR) break;
    ck_assert_int_eq(r, OBJ_TRUE);
  }
  rt_clear_exception(rt);
  ck_assert_uint_eq(obj_array_length(arr), i);
  ck_assert_int_eq(val_to_int(elem(arr, i - 1)), (int32_t)(i - 1));
  ck_assert_int_eq(val_to_int(elem(arr, 0)), 0);
  /* After dropping it there is room again. */
  root = VAL_UNDEFINED;
  arr = NULL;
  gc_collect(rt->heap);
  Object *again = new_obj(VAL_NULL);
  put(again, "ok", VAL_TRUE);
  gc_remove_root(rt->heap, &root);
}
END_TEST

/* --- randomized comparison against a plain model ------------------------------- */

#define MODEL_KEYS 40
typedef struct ModelProp {
  bool present;
  int32_t value;
  uint8_t attrs;
  uint32_t order; /* creation stamp */
} ModelProp;

typedef struct Model {
  ModelProp p[MODEL_KEYS];
  bool extensible;
  uint32_t stamp;
} Model;

static Atom model_keys[MODEL_KEYS];
static uint32_t model_index[MODEL_KEYS]; /* UINT32_MAX: not an index */
static uint64_t rng_state;

static uint32_t rnd(uint32_t n) {
  rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
  return (uint32_t)(rng_state >> 33) % n;
}

static void model_keys_init(void) {
  static const uint32_t idx[] = {0, 1, 2, 5, 17, 100, 5000, 1000000000u};
  char k[32];
  /* The keys must outlive collections: atoms are held weakly by their table. */
  for (int i = 0; i < MODEL_KEYS; i++) {
    model_keys[i] = VAL_UNDEFINED;
    gc_add_root(rt->heap, &model_keys[i]);
  }
  for (int i = 0; i < MODEL_KEYS; i++) {
    model_index[i] = UINT32_MAX;
    if (i < 8) {
      model_index[i] = idx[i];
      snprintf(k, sizeof k, "%u", idx[i]);
      model_keys[i] = A(k);
    } else if (i < 34) {
      snprintf(k, sizeof k, "name%d", i);
      model_keys[i] = A(k);
    } else {
      model_keys[i] = sym_new(rt, str_from_cstr(rt, "s"));
      ck_assert(!val_is_exception(model_keys[i]));
    }
  }
}

static int model_cmp_idx(const void *a, const void *b) {
  uint32_t x = model_index[*(const int *)a], y = model_index[*(const int *)b];
  return x < y ? -1 : x > y;
}
static const Model *cmp_model;
static int model_cmp_order(const void *a, const void *b) {
  uint32_t x = cmp_model->p[*(const int *)a].order, y = cmp_model->p[*(const int *)b].order;
  return x < y ? -1 : x > y;
}

/* Checks o against m: every key's presence, value and attributes, and the
 * own-keys order. */
static void model_check(Object *o, const Model *m) {
  int idx[MODEL_KEYS], str[MODEL_KEYS], sym[MODEL_KEYS], ni = 0, ns = 0, nsym = 0;
  for (int i = 0; i < MODEL_KEYS; i++) {
    PropertyDescriptor d;
    ObjResult r = obj_get_own_property(rt, o, model_keys[i], &d);
    ck_assert_int_eq(r, m->p[i].present ? OBJ_TRUE : OBJ_FALSE);
    if (!m->p[i].present) continue;
    ck_assert_int_eq(val_to_int(d.value), m->p[i].value);
    ck_assert_uint_eq(d.attrs, m->p[i].attrs);
    if (model_index[i] != UINT32_MAX)
      idx[ni++] = i;
    else if (atom_is_symbol(model_keys[i]))
      sym[nsym++] = i;
    else
      str[ns++] = i;
  }
  qsort(idx, (size_t)ni, sizeof *idx, model_cmp_idx);
  cmp_model = m;
  qsort(str, (size_t)ns, sizeof *str, model_cmp_order);
  qsort(sym, (size_t)nsym, sizeof *sym, model_cmp_order);
  uint32_t n;
  GCValueArray *keys = obj_own_keys(rt, o, OBJ_KEYS_ALL, &n);
  ck_assert_ptr_nonnull(keys);
  bool array = obj_class(o) == OBJ_CLASS_Array;
  ck_assert_uint_eq(n, (uint32_t)(ni + ns + nsym + array));
  uint32_t j = 0;
  for (int i = 0; i < ni; i++, j++) ck_assert(keys->v[j] == model_keys[idx[i]]);
  if (array) ck_assert(keys->v[j++] == A("length"));
  for (int i = 0; i < ns; i++, j++) ck_assert(keys->v[j] == model_keys[str[i]]);
  for (int i = 0; i < nsym; i++, j++) ck_assert(keys->v[j] == model_keys[sym[i]]);
  ck_assert(obj_is_extensible(o) == m->extensible);
}

static void model_step(Object *o, Model *m, uint32_t op, uint32_t k, int32_t v, uint8_t attrs) {
  ModelProp *p = &m->p[k];
  Value fn;
  Object *ex = NULL;
  switch (op) {
  case 0:
  case 1:
  case 2: { /* [[Set]] */
    ObjResult r = obj_set(rt, o, model_keys[k], val_from_int(v), obj_value(o), &fn, &ex);
    ObjResult want;
    if (p->present) {
      want = (p->attrs & PROP_WRITABLE) ? OBJ_TRUE : OBJ_FALSE;
      if (want == OBJ_TRUE) p->value = v;
    } else if (m->extensible) {
      *p = (ModelProp){true, v, PROP_DEFAULT, m->stamp++};
      want = OBJ_TRUE;
    } else {
      want = OBJ_FALSE;
    }
    ck_assert_int_eq(r, want);
    break;
  }
  case 3:
  case 4: { /* full data descriptor */
    ObjResult r = obj_define_value(rt, o, model_keys[k], val_from_int(v), attrs);
    ObjResult want = OBJ_TRUE;
    if (!p->present) {
      if (m->extensible)
        *p = (ModelProp){true, v, attrs, m->stamp++};
      else
        want = OBJ_FALSE;
    } else if (!(p->attrs & PROP_CONFIGURABLE)) {
      if ((attrs & PROP_CONFIGURABLE) || ((attrs ^ p->attrs) & PROP_ENUMERABLE))
        want = OBJ_FALSE;
      else if (!(p->attrs & PROP_WRITABLE) && ((attrs & PROP_WRITABLE) || v != p->value))
        want = OBJ_FALSE;
    }
    if (p->present && want == OBJ_TRUE) {
      p->value = v;
      p->attrs = attrs;
    }
    ck_assert_int_eq(r, want);
    break;
  }
  case 5:
  case 6: { /* delete */
    ObjResult r = obj_delete(rt, o, model_keys[k]);
    ObjResult want = OBJ_TRUE;
    if (p->present && !(p->attrs & PROP_CONFIGURABLE))
      want = OBJ_FALSE;
    else
      p->present = false;
    ck_assert_int_eq(r, want);
    break;
  }
  case 7: /* rarely: an integrity level */
    if (rnd(40) != 0) break;
    if (rnd(3) == 0) {
      ck_assert_int_eq(obj_freeze(rt, o), OBJ_TRUE);
      for (int i = 0; i < MODEL_KEYS; i++)
        m->p[i].attrs &= (uint8_t) ~(PROP_CONFIGURABLE | PROP_WRITABLE);
    } else if (rnd(2) == 0) {
      ck_assert_int_eq(obj_seal(rt, o), OBJ_TRUE);
      for (int i = 0; i < MODEL_KEYS; i++) m->p[i].attrs &= (uint8_t)~PROP_CONFIGURABLE;
    } else {
      ck_assert_int_eq(obj_prevent_extensions(rt, o), OBJ_TRUE);
    }
    m->extensible = false;
    break;
  }
}

START_TEST(random_against_model) {
  model_keys_init();
  Value root[3] = {VAL_UNDEFINED, VAL_UNDEFINED, VAL_UNDEFINED};
  for (int i = 0; i < 3; i++) gc_add_root(rt->heap, &root[i]);
  unsigned rounds = scale(60, 6), steps = scale(400, 120);
  rng_state = 12345;
  for (unsigned round = 0; round < rounds; round++) {
    /* Three objects fed the same operations share shapes until they diverge. */
    Object *o[3];
    Model *m = calloc(3, sizeof *m);
    for (int i = 0; i < 3; i++) {
      o[i] = i == 2 ? obj_new_array(rt, VAL_NULL, 0) : new_obj(VAL_NULL);
      ck_assert_ptr_nonnull(o[i]);
      root[i] = obj_value(o[i]);
      m[i].extensible = true;
    }
    for (unsigned s = 0; s < steps; s++) {
      uint32_t op = rnd(8), k = rnd(MODEL_KEYS);
      int32_t v = (int32_t)rnd(5);
      uint8_t attrs = (uint8_t)rnd(8);
      for (int i = 0; i < 3; i++) {
        /* Arrays grow length with their indices: skip index keys there. */
        if (i == 2 && model_index[k] != UINT32_MAX) continue;
        model_step(o[i], &m[i], op, k, v, attrs);
      }
      if (s % 16 == 0)
        for (int i = 0; i < 3; i++) model_check(o[i], &m[i]);
    }
    for (int i = 0; i < 3; i++) model_check(o[i], &m[i]);
    free(m);
  }
  for (int i = 0; i < 3; i++) gc_remove_root(rt->heap, &root[i]);
  for (int i = 0; i < MODEL_KEYS; i++) gc_remove_root(rt->heap, &model_keys[i]);
}
END_TEST

static Suite *object_suite(void) {
  Suite *s = suite_create("core_object");
  TCase *tc = tcase_create("objects");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, writable_and_configurable);
  tcase_add_test(tc, accessors);
  tcase_add_test(tc, prototype_chain);
  tcase_add_test(tc, own_keys_order);
  tcase_add_test(tc, dense_elements_and_holes);
  tcase_add_test(tc, sparse_and_length);
  tcase_add_test(tc, integrity_levels);
  tcase_add_test(tc, set_prototype_of);
  tcase_add_test(tc, gc_keeps_reachable_values);
  tcase_add_test(tc, out_of_memory_is_clean);
  tcase_add_test(tc, random_against_model);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return test_run_suite(object_suite()); }
