/* math.c: the Math namespace: constants and functions on ToNumber'd
 * arguments. Math.random is xorshift128+ with its state in a bytes cell held
 * as the function's data (FN_ENV), seeded from the clock per realm. */
#include <float.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "js/builtins/builtins.h"

#define NATIVE(name)                                                                               \
  static Value name(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,         \
                    Value new_target, int magic)

typedef double (*MathFn1)(double);

static double js_round(double x) {
  if (!isfinite(x) || x == 0) return x;
  if (x < 0 && x >= -0.5) return -0.0;
  double r = floor(x);
  if (x - r >= 0.5) r += 1;
  return r;
}

static double js_sign(double x) { return x > 0 ? 1 : x < 0 ? -1 : x; }

static double js_fround(double x) { return (double)(float)x; }

/* Rounds to binary16 directly from the double (no double rounding): the
 * quantum is that of x's binade, or the subnormal step 2^-24. */
static double js_f16round(double x) {
  if (x != x || isinf(x) || x == 0) return x;
  double a = fabs(x);
  if (a >= 65520.0) return copysign(INFINITY, x); /* halfway to 2^16 rounds to even: overflow */
  int e;
  frexp(a, &e);
  int qexp = e - 11 < -24 ? -24 : e - 11;
  double q = ldexp(1.0, qexp);
  return copysign(nearbyint(a / q) * q, x);
}

/* cbrt as fdlibm (FreeBSD s_cbrt.c) computes it: glibc's is not exact on
 * perfect cubes (cbrt(27) != 3), which programs notice. */
static double js_cbrt(double x) {
  static const uint32_t B1 = 715094163, B2 = 696219795;
  static const double P0 = 1.87595182427177009643, P1 = -1.88497979543377169875,
                      P2 = 1.621429720105354466140, P3 = -0.758397934778766047437,
                      P4 = 0.145996192886612446982;
  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  uint32_t hx = (uint32_t)(bits >> 32), low = (uint32_t)bits;
  uint32_t sign = hx & 0x80000000u;
  hx &= 0x7fffffffu;
  if (hx >= 0x7ff00000u) return x + x;
  double t;
  uint64_t tb;
  if (hx < 0x00100000u) { /* zero or subnormal */
    if ((hx | low) == 0) return x;
    t = 18014398509481984.0 * x; /* 2^54 */
    memcpy(&tb, &t, sizeof tb);
    uint32_t high = (uint32_t)(tb >> 32);
    tb = (uint64_t)(sign | ((high & 0x7fffffffu) / 3 + B2)) << 32;
  } else {
    tb = (uint64_t)(sign | (hx / 3 + B1)) << 32;
  }
  memcpy(&t, &tb, sizeof t);
  double r = (t * t) * (t / x);
  t = t * ((P0 + r * (P1 + r * P2)) + ((r * r) * r) * (P3 + r * P4));
  memcpy(&tb, &t, sizeof tb);
  tb = (tb + 0x80000000u) & 0xffffffffc0000000ull;
  memcpy(&t, &tb, sizeof t);
  double s2 = t * t, q = x / s2, w = t + t;
  q = (q - t) / (w + q);
  return t + t * q;
}

static const struct {
  const char *name;
  MathFn1 fn;
} unary[] = {
    {"abs", fabs},     {"acos", acos},   {"acosh", acosh}, {"asin", asin},   {"asinh", asinh},
    {"atan", atan},    {"atanh", atanh}, {"cbrt", js_cbrt},   {"ceil", ceil},   {"cos", cos},
    {"cosh", cosh},    {"exp", exp},     {"expm1", expm1}, {"floor", floor}, {"fround", js_fround}, {"f16round", js_f16round},
    {"log", log},      {"log1p", log1p}, {"log10", log10}, {"log2", log2},   {"round", js_round},
    {"sign", js_sign}, {"sin", sin},     {"sinh", sinh},   {"sqrt", sqrt},   {"tan", tan},
    {"tanh", tanh},    {"trunc", trunc},
};

NATIVE(math_unary) {
  double x;
  if (val_is_int(ARG(0))) {
    int32_t i = val_to_int(ARG(0));
    /* Integer fast paths where the result is the same integer. */
    if (unary[magic].fn == floor || unary[magic].fn == ceil || unary[magic].fn == trunc ||
        unary[magic].fn == js_round)
      return ARG(0);
    if (unary[magic].fn == fabs && i != INT32_MIN) return val_from_int(i < 0 ? -i : i);
    x = i;
  } else if (!js_to_number(rt, ARG(0), &x)) {
    return VAL_EXCEPTION;
  }
  return bi_number(unary[magic].fn(x));
}

NATIVE(math_atan2) {
  double y, x;
  if (!js_to_number(rt, ARG(0), &y) || !js_to_number(rt, ARG(1), &x)) return VAL_EXCEPTION;
  return bi_number(atan2(y, x));
}

NATIVE(math_pow) {
  double x, y;
  if (!js_to_number(rt, ARG(0), &x) || !js_to_number(rt, ARG(1), &y)) return VAL_EXCEPTION;
  return bi_number(js_number_pow(x, y));
}

NATIVE(math_imul) {
  int32_t a, b;
  if (!js_to_int32(rt, ARG(0), &a) || !js_to_int32(rt, ARG(1), &b)) return VAL_EXCEPTION;
  return val_from_int((int32_t)((uint32_t)a * (uint32_t)b));
}

NATIVE(math_clz32) {
  uint32_t x;
  if (!js_to_uint32(rt, ARG(0), &x)) return VAL_EXCEPTION;
  return val_from_int(x ? __builtin_clz(x) : 32);
}

/* max (0), min (1): every argument is converted, NaN wins, -0 < +0. */
NATIVE(math_minmax) {
  double r = magic ? INFINITY : -INFINITY;
  bool nan = false;
  for (int i = 0; i < argc; i++) {
    double x;
    if (val_is_int(ARG(i))) x = val_to_int(ARG(i));
    else if (!js_to_number(rt, ARG(i), &x)) return VAL_EXCEPTION;
    if (x != x) nan = true;
    else if (magic ? (x < r || (x == 0 && r == 0 && signbit(x)))
                   : (x > r || (x == 0 && r == 0 && !signbit(x))))
      r = x;
  }
  return bi_number(nan ? NAN : r);
}

NATIVE(math_hypot) {
  double sum = 0, maxv = 0;
  bool inf = false, nan = false;
  /* Convert everything first (spec order), scaling to avoid overflow. */
  double vals[64];
  double *v = argc <= 64 ? vals : malloc(sizeof(double) * (size_t)argc);
  if (!v) return js_throw(rt, ERR_InternalError, "out of memory");
  for (int i = 0; i < argc; i++) {
    double x;
    if (!js_to_number(rt, ARG(i), &x)) {
      if (v != vals) free(v);
      return VAL_EXCEPTION;
    }
    if (isinf(x)) inf = true;
    else if (x != x) nan = true;
    else if (fabs(x) > maxv) maxv = fabs(x);
    if (v) v[i] = x;
  }
  if (!inf && !nan && maxv > 0) {
    for (int i = 0; i < argc; i++) {
      double x = v[i] / maxv;
      sum += x * x;
    }
  }
  if (v != vals) free(v);
  if (inf) return val_from_double(INFINITY);
  if (nan) return val_from_double(NAN);
  if (maxv == 0) return val_from_int(0);
  return bi_number(sqrt(sum) * maxv);
}

typedef struct RandomState {
  GCHeader h; /* GC_KIND_BYTES */
  uint64_t s0, s1;
} RandomState;

NATIVE(math_random) {
  RandomState *st = val_to_ptr(obj_get_internal(val_to_object(func), FN_ENV));
  uint64_t s1 = st->s0, s0 = st->s1;
  st->s0 = s0;
  s1 ^= s1 << 23;
  s1 ^= s1 >> 17;
  s1 ^= s0;
  s1 ^= s0 >> 26;
  st->s1 = s1;
  /* 53 random bits in [0, 1). */
  return bi_number((double)((st->s0 + st->s1) >> 11) * (1.0 / 9007199254740992.0));
}

static uint64_t splitmix64(uint64_t *x) {
  uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

bool js_builtins_math(Runtime *rt, JsRealm *realm) {
  Object *m = obj_new(rt, realm->intrinsics[JS_INTR_ObjectPrototype], OBJ_CLASS_Object, 8);
  if (!m) return false;
  Value mv = obj_value(m);
  static const struct {
    const char *name;
    double v;
  } consts[] = {{"E", 2.718281828459045},   {"LN10", 2.302585092994046},
                {"LN2", 0.6931471805599453}, {"LOG10E", 0.4342944819032518},
                {"LOG2E", 1.4426950408889634}, {"PI", 3.141592653589793},
                {"SQRT1_2", 0.7071067811865476}, {"SQRT2", 1.4142135623730951}};
  for (size_t i = 0; i < sizeof consts / sizeof *consts; i++)
    if (!js_define_value(rt, mv, consts[i].name, bi_number(consts[i].v), 0)) return false;
  for (size_t i = 0; i < sizeof unary / sizeof *unary; i++)
    if (!js_define_method(rt, mv, unary[i].name, math_unary, 1, (int)i)) return false;
  if (!js_define_method(rt, mv, "atan2", math_atan2, 2, 0) ||
      !js_define_method(rt, mv, "pow", math_pow, 2, 0) ||
      !js_define_method(rt, mv, "imul", math_imul, 2, 0) ||
      !js_define_method(rt, mv, "clz32", math_clz32, 1, 0) ||
      !js_define_method(rt, mv, "max", math_minmax, 2, 0) ||
      !js_define_method(rt, mv, "min", math_minmax, 2, 1) ||
      !js_define_method(rt, mv, "hypot", math_hypot, 2, 0) ||
      !bi_to_string_tag(rt, mv, "Math"))
    return false;
  Value random = js_native_new(rt, realm, "random", math_random, 0, 0, 0);
  if (val_is_exception(random)) return false;
  RandomState *st = gc_alloc(rt->heap, GC_KIND_BYTES, sizeof *st);
  if (!st) return false;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  uint64_t seed = (uint64_t)ts.tv_sec * 1000000007ull ^ (uint64_t)ts.tv_nsec ^
                  (uint64_t)(uintptr_t)realm;
  st->s0 = splitmix64(&seed);
  st->s1 = splitmix64(&seed);
  if (!st->s0 && !st->s1) st->s1 = 1;
  obj_set_internal(rt, val_to_object(random), FN_ENV, val_from_ptr(st));
  if (!js_define_value(rt, mv, "random", random, BI_ATTR_METHOD)) return false;
  return bi_global(rt, realm, "Math", mv);
}
