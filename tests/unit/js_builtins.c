/* js_builtins.c: unit tests of the built-in objects installed on a realm,
 * driven from C through js_get/js_call (no compiler needed): Array methods
 * and sort, Math, Number formatting, String methods, Error objects, Object
 * reflection, Function.prototype.bind/call/apply, Symbol, globals. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "js/vm.h"
#include "test_util.h"

static Runtime *rt;
static Context ctx;
static JsRealm *realm;

static unsigned gc_stress;

static void setup(void) {
  RuntimeOptions opts = {.gc_stress = gc_stress};
  rt = rt_new(&opts);
  ck_assert_ptr_nonnull(rt);
  ck_assert(js_runtime_init(rt));
  ctx = (Context){.rt = rt};
  realm = js_realm_new(&ctx);
  ck_assert_ptr_nonnull(realm);
}

/* The same tests with a collection every few allocations: values held only
 * in C locals or in built-ins' scratch arrays must survive. */
static void setup_stress(void) {
  gc_stress = 3;
  setup();
  gc_stress = 0;
}

static void teardown(void) {
  js_runtime_free(rt);
  rt_free(rt);
  rt = NULL;
}

static Atom A(const char *s) {
  Atom a = atom_from_cstr(rt, s);
  ck_assert(!val_is_exception(a));
  return a;
}

static Value S(const char *s) {
  Value v = str_from_cstr(rt, s);
  ck_assert(!val_is_exception(v));
  return v;
}

static Value N(double d) { return val_from_number(d); }

/* Reads a dotted path from the global object: "Math.imul". */
static Value G(const char *path) {
  Value v = realm->global;
  char buf[128];
  snprintf(buf, sizeof buf, "%s", path);
  for (char *tok = strtok(buf, "."); tok; tok = strtok(NULL, ".")) {
    v = js_get(rt, v, A(tok));
    ck_assert_msg(!val_is_exception(v), "get %s", path);
  }
  return v;
}

static Value call(Value fn, Value this_val, int argc, const Value *argv) {
  Value r = js_call(rt, fn, this_val, argc, argv);
  if (val_is_exception(r)) {
    Value e = rt_take_exception(rt);
    Value m = js_get(rt, e, A("message"));
    char buf[256] = "?";
    if (str_is_string(m)) str_to_utf8_buf(rt, m, buf, sizeof buf);
    ck_abort_msg("unexpected exception: %s", buf);
  }
  return r;
}

/* Calls a static function by path: callg("Math.imul", 2, args). */
static Value callg(const char *path, int argc, const Value *argv) {
  char obj[128];
  snprintf(obj, sizeof obj, "%s", path);
  char *dot = strrchr(obj, '.');
  Value self = realm->global;
  if (dot) {
    *dot = '\0';
    self = G(obj);
  }
  return call(G(path), self, argc, argv);
}

static Value invoke(Value obj, const char *method, int argc, const Value *argv) {
  return call(js_get(rt, obj, A(method)), obj, argc, argv);
}

/* Expects a throw of the given error constructor name. */
static void expect_throw(Value fn, Value this_val, int argc, const Value *argv, const char *name) {
  Value r = js_call(rt, fn, this_val, argc, argv);
  ck_assert(val_is_exception(r));
  Value e = rt_take_exception(rt);
  Value n = js_get(rt, e, A("name"));
  char buf[64] = "";
  ck_assert(str_is_string(n));
  str_to_utf8_buf(rt, n, buf, sizeof buf);
  ck_assert_str_eq(buf, name);
}

static const char *text(Value v) {
  static char buf[4][512];
  static int i;
  char *b = buf[i++ & 3];
  Value s = js_to_string(rt, v);
  ck_assert(!val_is_exception(s));
  str_to_utf8_buf(rt, s, b, 512);
  return b;
}

static double num(Value v) {
  ck_assert(val_is_number(v));
  return val_number(v);
}

static Value arr(int n, const double *xs) {
  Value vals[32];
  for (int i = 0; i < n; i++) vals[i] = N(xs[i]);
  Value a = js_array_new(rt, (uint32_t)n, vals);
  ck_assert(!val_is_exception(a));
  return a;
}

/* Collects a JS function from C for callbacks. */
static Value cmp_desc(Runtime *r, Value f, Value t, int argc, const Value *argv, Value nt, int m) {
  (void)r, (void)f, (void)t, (void)argc, (void)nt, (void)m;
  return N(val_number(argv[1]) - val_number(argv[0]));
}

static Value by_key(Runtime *r, Value f, Value t, int argc, const Value *argv, Value nt, int m) {
  (void)f, (void)t, (void)argc, (void)nt, (void)m;
  double a = val_number(js_get_v(r, argv[0], val_from_int(0)));
  double b = val_number(js_get_v(r, argv[1], val_from_int(0)));
  return N(a - b);
}

static Value times_two(Runtime *r, Value f, Value t, int argc, const Value *argv, Value nt, int m) {
  (void)r, (void)f, (void)t, (void)argc, (void)nt, (void)m;
  return N(val_number(argv[0]) * 2);
}

static Value is_even(Runtime *r, Value f, Value t, int argc, const Value *argv, Value nt, int m) {
  (void)r, (void)f, (void)t, (void)argc, (void)nt, (void)m;
  return val_from_bool(fmod(val_number(argv[0]), 2) == 0);
}

static Value add(Runtime *r, Value f, Value t, int argc, const Value *argv, Value nt, int m) {
  (void)r, (void)f, (void)t, (void)argc, (void)nt, (void)m;
  return N(val_number(argv[0]) + val_number(argv[1]));
}

static Value proto_setter_throws(Runtime *r, Value f, Value t, int argc, const Value *argv, Value nt,
                                 int m) {
  (void)f, (void)t, (void)argc, (void)argv, (void)nt, (void)m;
  return js_throw(r, ERR_Error, "Array.prototype[0] setter called");
}

/* Returns [this, ...args] so bind/call/apply can be checked. */
static Value echo(Runtime *r, Value f, Value t, int argc, const Value *argv, Value nt, int m) {
  (void)f, (void)nt, (void)m;
  Value all[8];
  all[0] = t;
  for (int i = 0; i < argc && i < 7; i++) all[i + 1] = argv[i];
  return js_array_new(r, (uint32_t)(argc < 7 ? argc + 1 : 8), all);
}

static Value fn(const char *name, JsNativeFn f, int len) {
  Value v = js_native_new(rt, realm, name, f, len, 0, 0);
  ck_assert(!val_is_exception(v));
  return v;
}

START_TEST(array_basics) {
  double xs[] = {3, 1, 2};
  Value a = arr(3, xs);
  invoke(a, "sort", 0, NULL);
  ck_assert_str_eq(text(a), "1,2,3");
  Value c = fn("cmp", cmp_desc, 2);
  invoke(a, "sort", 1, &c);
  ck_assert_str_eq(text(a), "3,2,1");
  /* Default sort is by string: 10 < 9. */
  double ys[] = {10, 9, 1, 100};
  Value b = arr(4, ys);
  invoke(b, "sort", 0, NULL);
  ck_assert_str_eq(text(b), "1,10,100,9");
  Value v = N(4);
  ck_assert_int_eq(num(invoke(a, "push", 1, &v)), 4);
  ck_assert_int_eq(num(invoke(a, "pop", 0, NULL)), 4);
  ck_assert_int_eq(num(invoke(a, "shift", 0, NULL)), 3);
  Value two[2] = {N(7), N(8)};
  ck_assert_int_eq(num(invoke(a, "unshift", 2, two)), 4);
  ck_assert_str_eq(text(a), "7,8,2,1");
  Value sl[2] = {N(1), N(-1)};
  ck_assert_str_eq(text(invoke(a, "slice", 2, sl)), "8,2");
  Value sp[3] = {N(1), N(2), S("x")};
  ck_assert_str_eq(text(invoke(a, "splice", 3, sp)), "8,2");
  ck_assert_str_eq(text(a), "7,x,1");
  Value sep = S("-");
  ck_assert_str_eq(text(invoke(a, "join", 1, &sep)), "7-x-1");
  invoke(a, "reverse", 0, NULL);
  ck_assert_str_eq(text(a), "1,x,7");
  ck_assert_int_eq(num(invoke(a, "indexOf", 1, &(Value){N(7)})), 2);
  ck_assert_int_eq(num(invoke(a, "indexOf", 1, &(Value){N(9)})), -1);
  ck_assert(invoke(a, "includes", 1, &(Value){S("x")}) == VAL_TRUE);
  Value nan_arr = js_array_new(rt, 1, &(Value){val_from_double(NAN)});
  ck_assert(invoke(nan_arr, "includes", 1, &(Value){val_from_double(NAN)}) == VAL_TRUE);
  ck_assert_int_eq(num(invoke(nan_arr, "indexOf", 1, &(Value){val_from_double(NAN)})), -1);
  ck_assert_str_eq(text(invoke(a, "concat", 2, (Value[]){arr(2, xs), N(5)})), "1,x,7,3,1,5");
  Value neg = N(-1);
  ck_assert_str_eq(text(invoke(a, "at", 1, &neg)), "7");
}
END_TEST

START_TEST(array_stable_sort_and_holes) {
  /* Pairs [key, seq]: equal keys must keep their order. */
  Value items[20];
  for (int i = 0; i < 20; i++) {
    Value pair[2] = {N(i % 3), N(i)};
    items[i] = js_array_new(rt, 2, pair);
  }
  Value a = js_array_new(rt, 20, items);
  Value c = fn("byKey", by_key, 2);
  invoke(a, "sort", 1, &c);
  double last_key = -1, last_seq = -1;
  for (int i = 0; i < 20; i++) {
    Value p = js_get_v(rt, a, val_from_int(i));
    double k = num(js_get_v(rt, p, val_from_int(0))), s = num(js_get_v(rt, p, val_from_int(1)));
    ck_assert(k >= last_key);
    if (k == last_key) ck_assert(s > last_seq);
    last_key = k, last_seq = s;
  }
  /* undefined sorts last, holes after them. */
  Value u = js_array_new(rt, 3, (Value[]){VAL_UNDEFINED, N(2), N(1)});
  ck_assert(js_set_v(rt, u, val_from_int(4), N(0), true));
  invoke(u, "sort", 0, NULL);
  ck_assert_int_eq(num(js_get(rt, u, A("length"))), 5);
  ck_assert_str_eq(text(u), "0,1,2,,");
  ck_assert(js_get_v(rt, u, val_from_int(3)) == VAL_UNDEFINED);
  bool has;
  ck_assert(js_has_property(rt, val_to_object(u), A("4"), &has));
  ck_assert(!has);
  ck_assert(js_has_property(rt, val_to_object(u), A("3"), &has));
  ck_assert(has);
}
END_TEST

START_TEST(array_callbacks) {
  double xs[] = {1, 2, 3, 4};
  Value a = arr(4, xs);
  ck_assert_str_eq(text(invoke(a, "map", 1, &(Value){fn("f", times_two, 1)})), "2,4,6,8");
  ck_assert_str_eq(text(invoke(a, "filter", 1, &(Value){fn("f", is_even, 1)})), "2,4");
  ck_assert_int_eq(num(invoke(a, "reduce", 1, &(Value){fn("f", add, 2)})), 10);
  ck_assert_int_eq(num(invoke(a, "reduce", 2, (Value[]){fn("f", add, 2), N(5)})), 15);
  ck_assert_int_eq(num(invoke(a, "find", 1, &(Value){fn("f", is_even, 1)})), 2);
  ck_assert_int_eq(num(invoke(a, "findLastIndex", 1, &(Value){fn("f", is_even, 1)})), 3);
  ck_assert(invoke(a, "some", 1, &(Value){fn("f", is_even, 1)}) == VAL_TRUE);
  ck_assert(invoke(a, "every", 1, &(Value){fn("f", is_even, 1)}) == VAL_FALSE);
  Value empty = js_array_new(rt, 0, NULL);
  expect_throw(js_get(rt, empty, A("reduce")), empty, 1, &(Value){fn("f", add, 2)}, "TypeError");
  expect_throw(js_get(rt, a, A("map")), a, 1, &(Value){N(1)}, "TypeError");
  Value filled = call(G("Array"), VAL_UNDEFINED, 1, &(Value){N(3)});
  ck_assert_int_eq(num(js_get(rt, filled, A("length"))), 3);
  invoke(filled, "fill", 1, &(Value){N(0)});
  ck_assert_str_eq(text(filled), "0,0,0");
  expect_throw(G("Array"), VAL_UNDEFINED, 1, &(Value){N(-1)}, "RangeError");
  expect_throw(G("Array"), VAL_UNDEFINED, 1, &(Value){N(1.5)}, "RangeError");
  ck_assert_str_eq(text(call(G("Array"), VAL_UNDEFINED, 2, (Value[]){N(1), N(2)})), "1,2");
  ck_assert(callg("Array.isArray", 1, &a) == VAL_TRUE);
  ck_assert(callg("Array.isArray", 1, &(Value){G("Object")}) == VAL_FALSE);
  ck_assert(callg("Array.isArray", 1, &(Value){G("Array.prototype")}) == VAL_TRUE);
  ck_assert_str_eq(text(callg("Array.of", 2, (Value[]){N(7), N(8)})), "7,8");
  /* Array.from on an iterable (string) and on an array-like. */
  ck_assert_str_eq(text(callg("Array.from", 1, &(Value){S("ab")})), "a,b");
  Value like = callg("Object", 0, NULL);
  ck_assert(js_set(rt, like, A("length"), N(2), true));
  ck_assert(js_set(rt, like, A("1"), S("y"), true));
  ck_assert_str_eq(text(callg("Array.from", 1, &like)), ",y");
  /* Generic methods on an array-like. */
  Value push = G("Array.prototype.push");
  call(push, like, 1, &(Value){S("z")});
  ck_assert_int_eq(num(js_get(rt, like, A("length"))), 3);
  ck_assert_str_eq(text(js_get(rt, like, A("2"))), "z");
  Value nested = js_array_new(rt, 2, (Value[]){N(1), js_array_new(rt, 2, (Value[]){N(2), arr(1, xs)})});
  Value flat = invoke(nested, "flat", 0, NULL);
  ck_assert_int_eq(num(js_get(rt, flat, A("length"))), 3);
  Value flat_inf = invoke(nested, "flat", 1, &(Value){val_from_double(INFINITY)});
  ck_assert_int_eq(num(js_get(rt, flat_inf, A("length"))), 3);
  ck_assert_str_eq(text(flat_inf), "1,2,1");
}
END_TEST


/* A constructor whose instances are plain objects, used as @@species. */
static Value species_ctor(Runtime *r, Value f, Value t, int argc, const Value *argv, Value nt, int m) {
  (void)f, (void)t, (void)argc, (void)argv, (void)nt, (void)m;
  Object *o = obj_new(r, js_realm(r)->intrinsics[JS_INTR_ObjectPrototype], OBJ_CLASS_Object, 4);
  if (!o) return VAL_EXCEPTION;
  if (!js_set(r, obj_value(o), atom_from_cstr(r, "made"), VAL_TRUE, true)) return VAL_EXCEPTION;
  return obj_value(o);
}

START_TEST(array_species_and_pollution) {
  double xs[] = {1, 2, 3, 4};
  Value a = arr(4, xs);
  /* A constructor with Symbol.species decides the result of map/filter/slice. */
  Value sc = js_native_new(rt, realm, "Species", species_ctor, 1, 0, JS_NATIVE_CTOR);
  Value holder = callg("Object", 0, NULL);
  ck_assert(obj_define_value(rt, val_to_object(holder), sym_well_known(rt, SYM_species), sc,
                             PROP_WRITABLE | PROP_CONFIGURABLE) == OBJ_TRUE);
  ck_assert(js_set(rt, a, A("constructor"), holder, true));
  Value m = invoke(a, "map", 1, &(Value){fn("f", times_two, 1)});
  ck_assert(js_get(rt, m, A("made")) == VAL_TRUE);
  ck_assert(num(js_get(rt, m, A("3"))) == 8);
  Value sl = invoke(a, "slice", 1, &(Value){N(2)});
  ck_assert(js_get(rt, sl, A("made")) == VAL_TRUE);
  ck_assert(num(js_get(rt, sl, A("length"))) == 2);
  /* A non-constructor species is a TypeError; null means a plain array. */
  ck_assert(js_set(rt, holder, sym_well_known(rt, SYM_species), N(1), true));
  expect_throw(js_get(rt, a, A("filter")), a, 1, &(Value){fn("f", is_even, 1)}, "TypeError");
  ck_assert(js_set(rt, holder, sym_well_known(rt, SYM_species), VAL_NULL, true));
  ck_assert(callg("Array.isArray", 1, &(Value){invoke(a, "concat", 0, NULL)}) == VAL_TRUE);
  /* An index accessor on Array.prototype does not intercept results, which
   * are made with CreateDataProperty. (js_array_new itself uses [[Set]], so
   * b is made first.) */
  Value b = arr(3, xs);
  Value desc = callg("Object", 0, NULL);
  ck_assert(js_set(rt, desc, A("set"), fn("thrower", proto_setter_throws, 1), true));
  ck_assert(js_set(rt, desc, A("configurable"), VAL_TRUE, true));
  callg("Object.defineProperty", 3, (Value[]){G("Array.prototype"), S("0"), desc});
  ck_assert_str_eq(text(invoke(b, "map", 1, &(Value){fn("f", times_two, 1)})), "2,4,6");
  ck_assert_str_eq(text(invoke(b, "slice", 0, NULL)), "1,2,3");
  ck_assert_str_eq(text(call(G("Array"), VAL_UNDEFINED, 2, (Value[]){N(5), N(6)})), "5,6");
  invoke(b, "sort", 1, &(Value){fn("cmp", cmp_desc, 2)});
  ck_assert_str_eq(text(b), "3,2,1");
}
END_TEST

START_TEST(array_iterators) {
  double xs[] = {5, 6};
  Value a = arr(2, xs);
  Value values = G("Array.prototype.values");
  ck_assert(values == realm->intrinsics[JS_INTR_ArrayProtoValues]);
  ck_assert(js_get(rt, G("Array.prototype"), sym_well_known(rt, SYM_iterator)) == values);
  Value it = invoke(a, "entries", 0, NULL);
  Value r = invoke(it, "next", 0, NULL);
  ck_assert_str_eq(text(js_get(rt, r, A("value"))), "0,5");
  ck_assert(js_get(rt, r, A("done")) == VAL_FALSE);
  invoke(it, "next", 0, NULL);
  r = invoke(it, "next", 0, NULL);
  ck_assert(js_get(rt, r, A("done")) == VAL_TRUE);
  ck_assert(obj_proto(val_to_object(it)) == realm->intrinsics[JS_INTR_ArrayIteratorPrototype]);
  /* Iterators are iterable (their Symbol.iterator returns themselves). */
  Value self = call(js_get(rt, it, sym_well_known(rt, SYM_iterator)), it, 0, NULL);
  ck_assert(self == it);
  ck_assert_str_eq(text(call(G("Object.prototype.toString"), it, 0, NULL)), "[object Array Iterator]");
}
END_TEST

START_TEST(math_functions) {
  Value args[2] = {N(0x7fffffff), N(3)};
  ck_assert_int_eq(num(callg("Math.imul", 2, args)), 2147483645);
  Value big[2] = {N(0xffffffff), N(5)};
  ck_assert_int_eq(num(callg("Math.imul", 2, big)), -5);
  ck_assert_int_eq(num(callg("Math.clz32", 1, &(Value){N(1)})), 31);
  ck_assert_int_eq(num(callg("Math.clz32", 1, &(Value){N(0)})), 32);
  ck_assert(num(callg("Math.round", 1, &(Value){N(2.5)})) == 3);
  ck_assert(num(callg("Math.round", 1, &(Value){N(-2.5)})) == -2);
  ck_assert(num(callg("Math.round", 1, &(Value){N(0.49999999999999994)})) == 0);
  double mz = num(callg("Math.round", 1, &(Value){N(-0.4)}));
  ck_assert(mz == 0 && signbit(mz));
  ck_assert(num(callg("Math.max", 0, NULL)) == -INFINITY);
  ck_assert(num(callg("Math.max", 3, (Value[]){N(1), N(5), N(3)})) == 5);
  ck_assert(isnan(num(callg("Math.min", 2, (Value[]){N(1), val_from_double(NAN)}))));
  double z = num(callg("Math.min", 2, (Value[]){N(0), val_from_double(-0.0)}));
  ck_assert(z == 0 && signbit(z));
  ck_assert(num(callg("Math.hypot", 2, (Value[]){N(3), N(4)})) == 5);
  ck_assert(num(callg("Math.pow", 2, (Value[]){N(2), N(10)})) == 1024);
  ck_assert(isnan(num(callg("Math.pow", 2, (Value[]){N(1), val_from_double(INFINITY)}))));
  ck_assert(num(callg("Math.sqrt", 1, &(Value){N(16)})) == 4);
  ck_assert(num(callg("Math.floor", 1, &(Value){N(-1.5)})) == -2);
  ck_assert(num(callg("Math.sign", 1, &(Value){N(-3)})) == -1);
  ck_assert(num(callg("Math.fround", 1, &(Value){N(5.5)})) == 5.5);
  ck_assert(num(callg("Math.fround", 1, &(Value){N(5.05)})) != 5.05);
  ck_assert(num(callg("Math.trunc", 1, &(Value){S("-4.7")})) == -4);
  ck_assert(num(callg("Math.f16round", 1, &(Value){N(1.337)})) == 1.3369140625);
  ck_assert(num(callg("Math.f16round", 1, &(Value){N(65520)})) == INFINITY);
  ck_assert(num(callg("Math.f16round", 1, &(Value){N(2.9802322387695312e-8)})) == 0);
  ck_assert(num(callg("Math.cbrt", 1, &(Value){N(27)})) == 3);
  ck_assert(num(G("Math.PI")) == M_PI);
  for (int i = 0; i < 100; i++) {
    double r = num(callg("Math.random", 0, NULL));
    ck_assert(r >= 0 && r < 1);
  }
  double r1 = num(callg("Math.random", 0, NULL)), r2 = num(callg("Math.random", 0, NULL));
  ck_assert(r1 != r2);
  ck_assert_str_eq(text(call(G("Object.prototype.toString"), G("Math"), 0, NULL)), "[object Math]");
}
END_TEST

static const char *num_str(double x, Value radix) {
  return text(call(G("Number.prototype.toString"), N(x), 1, &radix));
}

START_TEST(number_formatting) {
  ck_assert_str_eq(num_str(255, N(16)), "ff");
  ck_assert_str_eq(num_str(255, N(2)), "11111111");
  ck_assert_str_eq(num_str(-255, N(36)), "-73");
  ck_assert_str_eq(num_str(0.5, N(2)), "0.1");
  ck_assert_str_eq(num_str(0.1, N(3)), "0.0022002200220022002200220022002201");
  ck_assert_str_eq(num_str(3.75, N(16)), "3.c");
  ck_assert_str_eq(num_str(1e21, N(16)), "3635c9adc5dea00000");
  ck_assert_str_eq(num_str(123.456, VAL_UNDEFINED), "123.456");
  ck_assert_str_eq(num_str(NAN, N(2)), "NaN");
  expect_throw(G("Number.prototype.toString"), N(1), 1, &(Value){N(1)}, "RangeError");
  expect_throw(G("Number.prototype.toString"), S("x"), 0, NULL, "TypeError");
  Value tofixed = G("Number.prototype.toFixed");
  ck_assert_str_eq(text(call(tofixed, N(1.005), 1, &(Value){N(2)})), "1.00");
  ck_assert_str_eq(text(call(tofixed, N(2.5), 1, &(Value){N(0)})), "3");
  ck_assert_str_eq(text(call(tofixed, N(-1.5), 1, &(Value){N(0)})), "-2");
  ck_assert_str_eq(text(call(tofixed, N(0.000001), 1, &(Value){N(2)})), "0.00");
  ck_assert_str_eq(text(call(tofixed, N(-0.0000001), 1, &(Value){N(2)})), "-0.00");
  ck_assert_str_eq(text(call(tofixed, N(99.99), 1, &(Value){N(1)})), "100.0");
  ck_assert_str_eq(text(call(tofixed, N(1e21), 1, &(Value){N(2)})), "1e+21");
  ck_assert_str_eq(text(call(tofixed, N(123.456), 0, NULL)), "123");
  Value toprec = G("Number.prototype.toPrecision");
  ck_assert_str_eq(text(call(toprec, N(123.456), 1, &(Value){N(4)})), "123.5");
  ck_assert_str_eq(text(call(toprec, N(0.00001234), 1, &(Value){N(2)})), "0.000012");
  ck_assert_str_eq(text(call(toprec, N(1234567), 1, &(Value){N(2)})), "1.2e+6");
  Value toexp = G("Number.prototype.toExponential");
  ck_assert_str_eq(text(call(toexp, N(123456), 1, &(Value){N(2)})), "1.23e+5");
  ck_assert_str_eq(text(call(toexp, N(0.00015), 0, NULL)), "1.5e-4");
  ck_assert_str_eq(text(call(toexp, N(0), 0, NULL)), "0e+0");
}
END_TEST

START_TEST(number_parsing) {
  ck_assert(G("parseInt") == G("Number.parseInt"));
  ck_assert(G("parseFloat") == G("Number.parseFloat"));
  ck_assert(num(callg("parseInt", 1, &(Value){S("  42px")})) == 42);
  ck_assert(num(callg("parseInt", 1, &(Value){S("0x1F")})) == 31);
  ck_assert(num(callg("parseInt", 2, (Value[]){S("z"), N(36)})) == 35);
  ck_assert(num(callg("parseInt", 2, (Value[]){S("101"), N(2)})) == 5);
  ck_assert(isnan(num(callg("parseInt", 1, &(Value){S("abc")}))));
  ck_assert(isnan(num(callg("parseInt", 2, (Value[]){S("1"), N(37)}))));
  double mz = num(callg("parseInt", 1, &(Value){S("-0")}));
  ck_assert(mz == 0 && signbit(mz));
  ck_assert(num(callg("parseInt", 1, &(Value){S("123456789012345678901234567890")})) == 1.2345678901234568e+29);
  ck_assert(num(callg("parseFloat", 1, &(Value){S(" 3.14abc")})) == 3.14);
  ck_assert(num(callg("parseFloat", 1, &(Value){S("1e3x")})) == 1000);
  ck_assert(num(callg("parseFloat", 1, &(Value){S("1e")})) == 1);
  ck_assert(num(callg("parseFloat", 1, &(Value){S(".5")})) == 0.5);
  ck_assert(num(callg("parseFloat", 1, &(Value){S("-Infinityx")})) == -INFINITY);
  ck_assert(isnan(num(callg("parseFloat", 1, &(Value){S("x1")}))));
  ck_assert(callg("Number.isInteger", 1, &(Value){N(5)}) == VAL_TRUE);
  ck_assert(callg("Number.isInteger", 1, &(Value){S("5")}) == VAL_FALSE);
  ck_assert(callg("Number.isSafeInteger", 1, &(Value){N(9007199254740992.0)}) == VAL_FALSE);
  ck_assert(callg("isNaN", 1, &(Value){S("x")}) == VAL_TRUE);
  ck_assert(callg("Number.isNaN", 1, &(Value){S("x")}) == VAL_FALSE);
  ck_assert(callg("isFinite", 1, &(Value){S("12")}) == VAL_TRUE);
  ck_assert(num(G("Number.MAX_SAFE_INTEGER")) == 9007199254740991.0);
  ck_assert(num(G("Number.EPSILON")) == 2.220446049250313e-16);
  ck_assert(num(callg("Number", 1, &(Value){S(" 12 ")})) == 12);
  ck_assert(num(callg("Number", 0, NULL)) == 0);
  Value wrapped = js_construct(rt, G("Number"), 1, &(Value){N(7)}, VAL_UNDEFINED);
  ck_assert(val_is_object(wrapped));
  ck_assert(num(invoke(wrapped, "valueOf", 0, NULL)) == 7);
  ck_assert_str_eq(text(callg("Boolean", 1, &(Value){S("")})), "false");
  Value bw = js_construct(rt, G("Boolean"), 1, &(Value){N(1)}, VAL_UNDEFINED);
  ck_assert(invoke(bw, "valueOf", 0, NULL) == VAL_TRUE);
  ck_assert_str_eq(text(call(G("Boolean.prototype.toString"), VAL_TRUE, 0, NULL)), "true");
}
END_TEST

static const char *str_call(const char *s, const char *method, int argc, const Value *argv) {
  return text(invoke(S(s), method, argc, argv));
}

START_TEST(string_methods) {
  ck_assert_str_eq(str_call("hello world", "slice", 2, (Value[]){N(-5), N(-1)}), "worl");
  ck_assert_str_eq(str_call("hello", "slice", 1, (Value[]){N(1)}), "ello");
  ck_assert_str_eq(str_call("hello", "substring", 2, (Value[]){N(3), N(1)}), "el");
  ck_assert_str_eq(str_call("hello", "substr", 2, (Value[]){N(-3), N(2)}), "ll");
  ck_assert_str_eq(str_call("abc", "charAt", 1, (Value[]){N(1)}), "b");
  ck_assert_str_eq(str_call("abc", "charAt", 1, (Value[]){N(5)}), "");
  ck_assert(num(invoke(S("abc"), "charCodeAt", 1, (Value[]){N(1)})) == 98);
  ck_assert(isnan(num(invoke(S("abc"), "charCodeAt", 1, (Value[]){N(3)}))));
  ck_assert(num(invoke(S("\xF0\x9F\x98\x80"), "codePointAt", 0, NULL)) == 0x1F600);
  ck_assert_str_eq(str_call("abc", "at", 1, (Value[]){N(-1)}), "c");
  ck_assert(num(invoke(S("abcabc"), "indexOf", 2, (Value[]){S("c"), N(3)})) == 5);
  ck_assert(num(invoke(S("abcabc"), "lastIndexOf", 1, (Value[]){S("b")})) == 4);
  ck_assert(num(invoke(S("abcabc"), "lastIndexOf", 2, (Value[]){S("b"), N(3)})) == 1);
  ck_assert(invoke(S("abc"), "includes", 1, (Value[]){S("bc")}) == VAL_TRUE);
  ck_assert(invoke(S("abc"), "startsWith", 2, (Value[]){S("bc"), N(1)}) == VAL_TRUE);
  ck_assert(invoke(S("abc"), "endsWith", 2, (Value[]){S("ab"), N(2)}) == VAL_TRUE);
  ck_assert(invoke(S("abc"), "endsWith", 1, (Value[]){S("abcd")}) == VAL_FALSE);
  ck_assert_str_eq(str_call("MiXeD", "toUpperCase", 0, NULL), "MIXED");
  ck_assert_str_eq(str_call("MiXeD", "toLowerCase", 0, NULL), "mixed");
  ck_assert_str_eq(str_call(" \t x y \n", "trim", 0, NULL), "x y");
  ck_assert_str_eq(str_call("  x ", "trimStart", 0, NULL), "x ");
  ck_assert_str_eq(str_call("  x ", "trimEnd", 0, NULL), "  x");
  ck_assert_str_eq(str_call("5", "padStart", 2, (Value[]){N(3), S("0")}), "005");
  ck_assert_str_eq(str_call("abc", "padEnd", 2, (Value[]){N(8), S("12")}), "abc12121");
  ck_assert_str_eq(str_call("ab", "repeat", 1, (Value[]){N(3)}), "ababab");
  expect_throw(G("String.prototype.repeat"), S("a"), 1, (Value[]){N(-1)}, "RangeError");
  ck_assert_str_eq(str_call("a,b,,c", "split", 1, (Value[]){S(",")}), "a,b,,c");
  Value parts = invoke(S("a,b,,c"), "split", 1, (Value[]){S(",")});
  ck_assert_int_eq(num(js_get(rt, parts, A("length"))), 4);
  parts = invoke(S("abc"), "split", 1, (Value[]){S("")});
  ck_assert_int_eq(num(js_get(rt, parts, A("length"))), 3);
  parts = invoke(S("a-b-c"), "split", 2, (Value[]){S("-"), N(2)});
  ck_assert_str_eq(text(parts), "a,b");
  parts = invoke(S(""), "split", 1, (Value[]){S(",")});
  ck_assert_int_eq(num(js_get(rt, parts, A("length"))), 1);
  ck_assert_str_eq(str_call("a", "concat", 2, (Value[]){N(1), VAL_NULL}), "a1null");
  ck_assert_str_eq(str_call("aXbXc", "replace", 2, (Value[]){S("X"), S("-")}), "a-bXc");
  ck_assert_str_eq(str_call("aXbXc", "replaceAll", 2, (Value[]){S("X"), S("[$&$$]")}), "a[X$]b[X$]c");
  ck_assert_str_eq(str_call("abc", "replace", 2, (Value[]){S("b"), S("$`$'")}), "aacc");
  ck_assert_str_eq(str_call("abc", "replaceAll", 2, (Value[]){S(""), S("_")}), "_a_b_c_");
  ck_assert(num(invoke(S("o\xCC\x88"), "localeCompare", 1, (Value[]){S("\xC3\xB6")})) == 0);
  ck_assert(num(invoke(S("a"), "localeCompare", 1, (Value[]){S("b")})) == -1);
  Value lone = callg("String.fromCharCode", 2, (Value[]){N(0x61), N(0xD800)});
  ck_assert(invoke(lone, "isWellFormed", 0, NULL) == VAL_FALSE);
  ck_assert(num(invoke(invoke(lone, "toWellFormed", 0, NULL), "charCodeAt", 1, (Value[]){N(1)})) == 0xFFFD);
  ck_assert(invoke(S("a\xF0\x9F\x98\x80"), "isWellFormed", 0, NULL) == VAL_TRUE);
  /* Generic array methods on strings read their characters. */
  ck_assert_str_eq(text(call(G("Array.prototype.slice"), S("xyz"), 1, (Value[]){N(1)})), "y,z");
  ck_assert_str_eq(text(callg("Object.keys", 1, &(Value){S("ab")})), "0,1");
  ck_assert_str_eq(text(callg("String.fromCharCode", 2, (Value[]){N(104), N(105)})), "hi");
  ck_assert_str_eq(text(callg("String", 1, &(Value){sym_new(rt, S("d"))})), "Symbol(d)");
  ck_assert_str_eq(text(callg("String", 1, &(Value){N(-0.0)})), "0");
  expect_throw(G("String.prototype.trim"), VAL_UNDEFINED, 0, NULL, "TypeError");
  /* Iteration by code point. */
  Value s = S("a\xF0\x9F\x98\x80");
  Value it = call(js_get(rt, s, sym_well_known(rt, SYM_iterator)), s, 0, NULL);
  ck_assert_str_eq(text(js_get(rt, invoke(it, "next", 0, NULL), A("value"))), "a");
  Value second = js_get(rt, invoke(it, "next", 0, NULL), A("value"));
  ck_assert_int_eq(str_length(second), 2);
  ck_assert(js_get(rt, invoke(it, "next", 0, NULL), A("done")) == VAL_TRUE);
  Value wrapper = js_construct(rt, G("String"), 1, &(Value){S("xy")}, VAL_UNDEFINED);
  ck_assert(val_is_object(wrapper));
  ck_assert_str_eq(text(invoke(wrapper, "valueOf", 0, NULL)), "xy");
  ck_assert_str_eq(text(call(G("Object.prototype.toString"), wrapper, 0, NULL)), "[object String]");
}
END_TEST

START_TEST(error_objects) {
  Value e = js_construct(rt, G("TypeError"), 1, &(Value){S("bad")}, VAL_UNDEFINED);
  ck_assert(val_is_object(e));
  ck_assert_str_eq(text(js_get(rt, e, A("message"))), "bad");
  ck_assert_str_eq(text(js_get(rt, e, A("name"))), "TypeError");
  ck_assert_str_eq(text(e), "TypeError: bad");
  ck_assert(str_is_string(js_get(rt, e, A("stack"))));
  bool out;
  ck_assert(js_instance_of(rt, e, G("Error"), &out) && out);
  ck_assert(js_instance_of(rt, e, G("TypeError"), &out) && out);
  ck_assert(js_instance_of(rt, e, G("RangeError"), &out) && !out);
  /* Callable without new; no own message when undefined. */
  Value r = callg("RangeError", 0, NULL);
  ck_assert(val_is_object(r));
  ck_assert_str_eq(text(r), "RangeError");
  ck_assert(callg("Object.hasOwn", 2, (Value[]){r, S("message")}) == VAL_FALSE);
  /* cause option. */
  Value opts = callg("Object", 0, NULL);
  ck_assert(js_set(rt, opts, A("cause"), N(42), true));
  Value c = callg("Error", 2, (Value[]){S("m"), opts});
  ck_assert(num(js_get(rt, c, A("cause"))) == 42);
  ck_assert(callg("Object.hasOwn", 2, (Value[]){callg("Error", 1, &(Value){S("m")}), S("cause")}) ==
            VAL_FALSE);
  ck_assert(obj_proto(val_to_object(G("TypeError"))) == G("Error"));
  ck_assert(realm->error_ctors[ERR_SyntaxError] == G("SyntaxError"));
  Value agg = callg("AggregateError", 2, (Value[]){js_array_new(rt, 1, &(Value){N(1)}), S("all")});
  ck_assert_str_eq(text(js_get(rt, agg, A("errors"))), "1");
  ck_assert_str_eq(text(agg), "AggregateError: all");
  /* Errors thrown by the engine use the same prototypes. */
  expect_throw(G("Array"), VAL_UNDEFINED, 1, &(Value){N(-1)}, "RangeError");
  Value ets = G("Error.prototype.toString");
  Value plain = callg("Object", 0, NULL);
  ck_assert(js_set(rt, plain, A("message"), S("x"), true));
  ck_assert_str_eq(text(call(ets, plain, 0, NULL)), "Error: x");
  ck_assert_str_eq(text(call(G("Object.prototype.toString"), e, 0, NULL)), "[object Error]");
}
END_TEST

START_TEST(object_reflection) {
  Value o = callg("Object", 0, NULL);
  ck_assert(js_set(rt, o, A("b"), N(1), true));
  ck_assert(js_set(rt, o, A("2"), N(2), true));
  ck_assert(js_set(rt, o, A("a"), N(3), true));
  ck_assert(js_set(rt, o, A("1"), N(4), true));
  ck_assert_str_eq(text(callg("Object.keys", 1, &o)), "1,2,b,a");
  ck_assert_str_eq(text(callg("Object.values", 1, &o)), "4,2,1,3");
  ck_assert_str_eq(text(callg("Object.entries", 1, &o)), "1,4,2,2,b,1,a,3");
  /* defineProperty: non-enumerable, read-only. */
  Value desc = callg("Object", 0, NULL);
  ck_assert(js_set(rt, desc, A("value"), N(9), true));
  callg("Object.defineProperty", 3, (Value[]){o, S("hidden"), desc});
  ck_assert_str_eq(text(callg("Object.keys", 1, &o)), "1,2,b,a");
  ck_assert_str_eq(text(callg("Object.getOwnPropertyNames", 1, &o)), "1,2,b,a,hidden");
  Value d = callg("Object.getOwnPropertyDescriptor", 2, (Value[]){o, S("hidden")});
  ck_assert(num(js_get(rt, d, A("value"))) == 9);
  ck_assert(js_get(rt, d, A("writable")) == VAL_FALSE);
  ck_assert(js_get(rt, d, A("enumerable")) == VAL_FALSE);
  ck_assert(!js_set(rt, o, A("hidden"), N(1), true));
  rt_clear_exception(rt);
  /* An empty descriptor changes nothing and is allowed; a new value is not. */
  callg("Object.defineProperty", 3, (Value[]){o, S("hidden"), callg("Object", 0, NULL)});
  Value redefine = callg("Object", 0, NULL);
  ck_assert(js_set(rt, redefine, A("value"), N(10), true));
  expect_throw(G("Object.defineProperty"), G("Object"), 3, (Value[]){o, S("hidden"), redefine},
               "TypeError");
  Value getter_desc = callg("Object", 0, NULL);
  ck_assert(js_set(rt, getter_desc, A("get"), fn("g", echo, 0), true));
  callg("Object.defineProperty", 3, (Value[]){o, S("acc"), getter_desc});
  ck_assert_str_eq(text(js_get(rt, o, A("acc"))), "[object Object]");
  /* assign, create, freeze. */
  Value t = callg("Object.assign", 2, (Value[]){callg("Object", 0, NULL), o});
  ck_assert_str_eq(text(callg("Object.keys", 1, &t)), "1,2,b,a");
  Value c = callg("Object.create", 1, &(Value){VAL_NULL});
  ck_assert(callg("Object.getPrototypeOf", 1, &c) == VAL_NULL);
  ck_assert(callg("Object.isFrozen", 1, &t) == VAL_FALSE);
  callg("Object.freeze", 1, &t);
  ck_assert(callg("Object.isFrozen", 1, &t) == VAL_TRUE);
  ck_assert(callg("Object.isSealed", 1, &t) == VAL_TRUE);
  ck_assert(callg("Object.isExtensible", 1, &t) == VAL_FALSE);
  ck_assert(callg("Object.is", 2, (Value[]){val_from_double(NAN), val_from_double(NAN)}) == VAL_TRUE);
  ck_assert(callg("Object.is", 2, (Value[]){N(0), val_from_double(-0.0)}) == VAL_FALSE);
  ck_assert(callg("Object.hasOwn", 2, (Value[]){o, S("a")}) == VAL_TRUE);
  ck_assert(invoke(o, "hasOwnProperty", 1, &(Value){S("toString")}) == VAL_FALSE);
  ck_assert(invoke(o, "propertyIsEnumerable", 1, &(Value){S("hidden")}) == VAL_FALSE);
  ck_assert(invoke(G("Object.prototype"), "isPrototypeOf", 1, &o) == VAL_TRUE);
  Value entries = js_array_new(rt, 1, &(Value){js_array_new(rt, 2, (Value[]){S("k"), N(1)})});
  Value fe = callg("Object.fromEntries", 1, &entries);
  ck_assert(num(js_get(rt, fe, A("k"))) == 1);
  /* toString tags. */
  Value ots = G("Object.prototype.toString");
  ck_assert_str_eq(text(call(ots, js_array_new(rt, 0, NULL), 0, NULL)), "[object Array]");
  ck_assert_str_eq(text(call(ots, G("Object"), 0, NULL)), "[object Function]");
  ck_assert_str_eq(text(call(ots, VAL_NULL, 0, NULL)), "[object Null]");
  ck_assert_str_eq(text(call(ots, N(1), 0, NULL)), "[object Number]");
  /* __proto__ accessor. */
  Value proto_obj = callg("Object", 0, NULL);
  ck_assert(js_set(rt, c, A("__proto__"), proto_obj, true) || true);
  ck_assert(js_get(rt, o, A("__proto__")) == G("Object.prototype"));
  ck_assert(js_set(rt, o, A("__proto__"), proto_obj, true));
  ck_assert(callg("Object.getPrototypeOf", 1, &o) == proto_obj);
  ck_assert(callg("Object.getPrototypeOf", 1, &(Value){S("s")}) == G("String.prototype"));
  /* Property attributes of the built-ins themselves. */
  Value gd = callg("Object.getOwnPropertyDescriptor", 2, (Value[]){realm->global, S("Array")});
  ck_assert(js_get(rt, gd, A("enumerable")) == VAL_FALSE);
  ck_assert(js_get(rt, gd, A("writable")) == VAL_TRUE);
  Value ud = callg("Object.getOwnPropertyDescriptor", 2, (Value[]){realm->global, S("undefined")});
  ck_assert(js_get(rt, ud, A("writable")) == VAL_FALSE);
  ck_assert(num(G("Array.prototype.push.length")) == 1);
  ck_assert_str_eq(text(G("Array.prototype.push.name")), "push");
  ck_assert(num(G("Object.defineProperty.length")) == 3);
  ck_assert(G("Array.prototype.constructor") == G("Array"));
  ck_assert(G("globalThis") == realm->global);
}
END_TEST

START_TEST(function_prototype) {
  Value e = fn("echo", echo, 2);
  Value bound = invoke(e, "bind", 3, (Value[]){S("T"), N(1), N(2)});
  ck_assert_str_eq(text(G("Object.prototype.toString")), "function toString() { [native code] }");
  ck_assert_str_eq(text(js_get(rt, bound, A("name"))), "bound echo");
  ck_assert(num(js_get(rt, bound, A("length"))) == 0);
  ck_assert_str_eq(text(call(bound, VAL_NULL, 1, &(Value){N(3)})), "T,1,2,3");
  ck_assert_str_eq(text(invoke(e, "call", 3, (Value[]){S("U"), N(1), N(2)})), "U,1,2");
  Value list = js_array_new(rt, 2, (Value[]){N(5), N(6)});
  ck_assert_str_eq(text(invoke(e, "apply", 2, (Value[]){S("V"), list})), "V,5,6");
  ck_assert_str_eq(text(invoke(e, "apply", 1, (Value[]){S("W")})), "W");
  ck_assert_str_eq(text(call(G("Function.prototype.toString"), e, 0, NULL)),
                   "function echo() { [native code] }");
  expect_throw(G("Function.prototype.call"), N(1), 0, NULL, "TypeError");
  expect_throw(G("Function"), VAL_UNDEFINED, 1, &(Value){S("return 1")}, "EvalError");
  /* Bound constructors construct the target. */
  Value barr = invoke(G("Array"), "bind", 2, (Value[]){VAL_NULL, N(1)});
  Value made = js_construct(rt, barr, 1, &(Value){N(2)}, VAL_UNDEFINED);
  ck_assert_str_eq(text(made), "1,2");
  bool out;
  ck_assert(js_instance_of(rt, made, barr, &out) && out);
  ck_assert(realm->intrinsics[JS_INTR_Function] == G("Function"));
  ck_assert(js_is_callable(realm->intrinsics[JS_INTR_ThrowTypeError]));
  expect_throw(realm->intrinsics[JS_INTR_ThrowTypeError], VAL_UNDEFINED, 0, NULL, "TypeError");
}
END_TEST

START_TEST(symbols) {
  Value s = callg("Symbol", 1, &(Value){S("desc")});
  ck_assert(sym_is_symbol(s));
  ck_assert_str_eq(text(invoke(s, "toString", 0, NULL)), "Symbol(desc)");
  ck_assert_str_eq(text(js_get(rt, s, A("description"))), "desc");
  ck_assert(js_get(rt, callg("Symbol", 0, NULL), A("description")) == VAL_UNDEFINED);
  ck_assert(G("Symbol.iterator") == sym_well_known(rt, SYM_iterator));
  ck_assert(G("Symbol.toStringTag") == sym_well_known(rt, SYM_toStringTag));
  Value f1 = callg("Symbol.for", 1, &(Value){S("k")}), f2 = callg("Symbol.for", 1, &(Value){S("k")});
  ck_assert(f1 == f2);
  ck_assert_str_eq(text(callg("Symbol.keyFor", 1, &f1)), "k");
  ck_assert(callg("Symbol.keyFor", 1, &s) == VAL_UNDEFINED);
  Value r = js_construct(rt, G("Symbol"), 0, NULL, VAL_UNDEFINED);
  ck_assert(val_is_exception(r));
  rt_clear_exception(rt);
  ck_assert(val_is_object(realm->intrinsics[JS_INTR_BigIntPrototype]));
}
END_TEST


START_TEST(json) {
  Value v = callg("JSON.parse", 1, &(Value){S("{\"a\": [1, 2.5, \"x\\n\", null, true], \"b\": {}}")});
  ck_assert(num(js_get_v(rt, js_get(rt, v, A("a")), val_from_int(1))) == 2.5);
  ck_assert_str_eq(text(callg("JSON.stringify", 1, &v)), "{\"a\":[1,2.5,\"x\\n\",null,true],\"b\":{}}");
  ck_assert_str_eq(text(callg("JSON.stringify", 3, (Value[]){js_array_new(rt, 1, &(Value){N(1)}), VAL_NULL, N(2)})),
                   "[\n  1\n]");
  ck_assert(callg("JSON.stringify", 1, &(Value){VAL_UNDEFINED}) == VAL_UNDEFINED);
  expect_throw(G("JSON.parse"), G("JSON"), 1, &(Value){S("[1,]")}, "SyntaxError");
  expect_throw(G("JSON.parse"), G("JSON"), 1, &(Value){S("")}, "SyntaxError");
  Value cyc = callg("Object", 0, NULL);
  ck_assert(js_set(rt, cyc, A("self"), cyc, true));
  expect_throw(G("JSON.stringify"), G("JSON"), 1, &cyc, "TypeError");
}
END_TEST

static char printed[256];
static void capture(Runtime *r, const char *utf8, size_t len) {
  (void)r;
  snprintf(printed, sizeof printed, "%.*s", (int)len, utf8);
}

START_TEST(globals_and_console) {
  ck_assert(isnan(num(G("NaN"))));
  ck_assert(num(G("Infinity")) == INFINITY);
  ck_assert(G("undefined") == VAL_UNDEFINED);
  ck_assert_str_eq(text(callg("encodeURIComponent", 1, &(Value){S("a b&\xC3\xBC\xF0\x9F\x98\x80")})),
                   "a%20b%26%C3%BC%F0%9F%98%80");
  ck_assert_str_eq(text(callg("encodeURI", 1, &(Value){S("http://x/a b?c=d#e")})), "http://x/a%20b?c=d#e");
  ck_assert_str_eq(text(callg("decodeURIComponent", 1, &(Value){S("%C3%BC%2F")})), "\xC3\xBC/");
  ck_assert_str_eq(text(callg("decodeURI", 1, &(Value){S("%2F%20")})), "%2F ");
  expect_throw(G("decodeURI"), VAL_UNDEFINED, 1, &(Value){S("%E0%A4%A")}, "URIError");
  expect_throw(G("encodeURI"), VAL_UNDEFINED, 1, &(Value){callg("String.fromCharCode", 1, &(Value){N(0xDC00)})},
               "URIError");
  js_rt(rt)->print = capture;
  call(G("console.log"), G("console"), 3, (Value[]){S("a"), N(1.5), VAL_TRUE});
  ck_assert_str_eq(printed, "a 1.5 true\n");
  callg("print", 0, NULL);
  ck_assert_str_eq(printed, "\n");
  js_rt(rt)->print = NULL;
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("js_builtins");
  TCase *tc = tcase_create("core");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, array_basics);
  tcase_add_test(tc, array_stable_sort_and_holes);
  tcase_add_test(tc, array_callbacks);
  tcase_add_test(tc, array_species_and_pollution);
  tcase_add_test(tc, array_iterators);
  tcase_add_test(tc, math_functions);
  tcase_add_test(tc, number_formatting);
  tcase_add_test(tc, number_parsing);
  tcase_add_test(tc, string_methods);
  tcase_add_test(tc, error_objects);
  tcase_add_test(tc, object_reflection);
  tcase_add_test(tc, function_prototype);
  tcase_add_test(tc, symbols);
  tcase_add_test(tc, globals_and_console);
  tcase_add_test(tc, json);
  suite_add_tcase(s, tc);
  TCase *stress = tcase_create("gc_stress");
  tcase_add_checked_fixture(stress, setup_stress, teardown);
  tcase_set_timeout(stress, 120);
  tcase_add_test(stress, array_basics);
  tcase_add_test(stress, array_stable_sort_and_holes);
  tcase_add_test(stress, array_callbacks);
  tcase_add_test(stress, string_methods);
  tcase_add_test(stress, error_objects);
  tcase_add_test(stress, object_reflection);
  tcase_add_test(stress, function_prototype);
  tcase_add_test(stress, json);
  suite_add_tcase(s, stress);
  return s;
}

int main(void) { return test_run_suite(suite()); }
