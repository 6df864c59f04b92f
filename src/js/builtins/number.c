/* number.c: Number (constructor, constants, isInteger & co, parseFloat and
 * parseInt, which are also the global functions) with Number.prototype
 * (toString in any radix, toFixed, toPrecision, toExponential, valueOf),
 * and Boolean with its prototype. */
#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "js/builtins/builtins.h"

#define NATIVE(name)                                                                               \
  static Value name(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,         \
                    Value new_target, int magic)
#define UNUSED (void)func, (void)argc, (void)new_target, (void)magic

static bool is_js_space(uint32_t c) {
  switch (c) {
  case 9: case 10: case 11: case 12: case 13: case 32: case 0xA0: case 0x1680: case 0x2028:
  case 0x2029: case 0x202F: case 0x205F: case 0x3000: case 0xFEFF: return true;
  default: return c >= 0x2000 && c <= 0x200A;
  }
}

/* A wrapper object of class cls around primitive v, prototype from new_target. */
static Value make_wrapper(Runtime *rt, Value func, Value new_target, ObjClass cls, Value v,
                          JsIntrinsic fallback) {
  Value proto = js_realm(rt)->intrinsics[fallback];
  if (new_target != func) {
    proto = js_get_prototype_from_ctor(rt, new_target, fallback);
    if (val_is_exception(proto)) return proto;
  }
  Object *o = obj_new_ex(rt, proto, cls, 1, 0);
  if (!o) return VAL_EXCEPTION;
  obj_set_internal(rt, o, 0, v);
  return obj_value(o);
}

/* --- Number ------------------------------------------------------------------------------ */

NATIVE(number_ctor) {
  double d = 0;
  if (argc > 0) {
    Value n;
    if (!js_to_numeric(rt, ARG(0), &n)) return VAL_EXCEPTION;
    if (!val_is_number(n)) return js_throw(rt, ERR_TypeError, "BigInt to Number is not supported yet");
    d = val_number(n);
  }
  Value v = bi_number(d);
  if (val_is_undefined(new_target)) return v;
  return make_wrapper(rt, func, new_target, OBJ_CLASS_Number, v, JS_INTR_NumberPrototype);
}

/* isFinite (0), isNaN (1), isInteger (2), isSafeInteger (3): no coercion. */
NATIVE(number_is) {
  if (!val_is_number(ARG(0))) return VAL_FALSE;
  double d = val_number(ARG(0));
  switch (magic) {
  case 0: return val_from_bool(isfinite(d));
  case 1: return val_from_bool(d != d);
  case 2: return val_from_bool(isfinite(d) && trunc(d) == d);
  default: return val_from_bool(isfinite(d) && trunc(d) == d && fabs(d) <= 9007199254740991.0);
  }
}

/* The trimmed code units of ToString(v), as a flat string. */
static Value flat_arg(Runtime *rt, Value v, StrChars *c, uint32_t *start) {
  Value s = js_to_string(rt, v);
  if (!val_is_exception(s)) s = str_flatten(rt, s);
  if (val_is_exception(s)) return s;
  *c = str_chars(s);
  uint32_t i = 0;
  while (i < c->length && is_js_space(str_chars_at(c, i))) i++;
  *start = i;
  return s;
}

NATIVE(number_parse_float) {
  UNUSED, (void)this_val;
  StrChars c;
  uint32_t i;
  Value s = flat_arg(rt, ARG(0), &c, &i);
  if (val_is_exception(s)) return s;
  char *buf = malloc(c.length - i + 2);
  if (!buf) return js_throw(rt, ERR_InternalError, "out of memory");
  size_t n = 0;
  uint32_t p = i;
  bool neg = false;
  if (p < c.length && (str_chars_at(&c, p) == '+' || str_chars_at(&c, p) == '-')) {
    neg = str_chars_at(&c, p) == '-';
    buf[n++] = (char)str_chars_at(&c, p++);
  }
  static const char inf[] = "Infinity";
  bool is_inf = c.length - p >= 8;
  for (int k = 0; is_inf && k < 8; k++) is_inf = str_chars_at(&c, p + (uint32_t)k) == (uint16_t)inf[k];
  if (is_inf) {
    free(buf);
    return val_from_double(neg ? -INFINITY : INFINITY);
  }
  size_t digits = 0;
  while (p < c.length && str_chars_at(&c, p) >= '0' && str_chars_at(&c, p) <= '9')
    buf[n++] = (char)str_chars_at(&c, p++), digits++;
  if (p < c.length && str_chars_at(&c, p) == '.') {
    buf[n++] = '.';
    p++;
    while (p < c.length && str_chars_at(&c, p) >= '0' && str_chars_at(&c, p) <= '9')
      buf[n++] = (char)str_chars_at(&c, p++), digits++;
  }
  if (digits > 0 && p < c.length && (str_chars_at(&c, p) | 0x20) == 'e') {
    uint32_t q = p + 1;
    size_t m = n;
    char ebuf[2] = {'e', 0};
    buf[m++] = ebuf[0];
    if (q < c.length && (str_chars_at(&c, q) == '+' || str_chars_at(&c, q) == '-'))
      buf[m++] = (char)str_chars_at(&c, q++);
    if (q < c.length && str_chars_at(&c, q) >= '0' && str_chars_at(&c, q) <= '9') {
      while (q < c.length && str_chars_at(&c, q) >= '0' && str_chars_at(&c, q) <= '9')
        buf[m++] = (char)str_chars_at(&c, q++);
      n = m;
    }
  }
  buf[n] = '\0';
  double d = digits ? strtod(buf, NULL) : NAN;
  free(buf);
  return bi_number(d);
}

static int digit_value(uint16_t ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z') return (ch | 0x20) - 'a' + 10;
  return 99;
}

NATIVE(number_parse_int) {
  UNUSED, (void)this_val;
  StrChars c;
  uint32_t p;
  Value s = flat_arg(rt, ARG(0), &c, &p);
  if (val_is_exception(s)) return s;
  int32_t r;
  if (!js_to_int32(rt, ARG(1), &r)) return VAL_EXCEPTION;
  c = str_chars(s); /* re-read: the radix conversion may have allocated */
  double sign = 1;
  if (p < c.length && (str_chars_at(&c, p) == '+' || str_chars_at(&c, p) == '-'))
    sign = str_chars_at(&c, p++) == '-' ? -1 : 1;
  bool strip = true;
  if (r != 0) {
    if (r < 2 || r > 36) return val_from_double(NAN);
    if (r != 16) strip = false;
  } else {
    r = 10;
  }
  if (strip && c.length - p >= 2 && str_chars_at(&c, p) == '0' && (str_chars_at(&c, p + 1) | 0x20) == 'x') {
    p += 2;
    r = 16;
  }
  uint32_t end = p;
  while (end < c.length && digit_value(str_chars_at(&c, end)) < r) end++;
  if (end == p) return val_from_double(NAN);
  double v = 0;
  if (r == 10) {
    /* Correctly rounded through strtod. */
    char *buf = malloc(end - p + 1);
    if (!buf) return js_throw(rt, ERR_InternalError, "out of memory");
    for (uint32_t i = p; i < end; i++) buf[i - p] = (char)str_chars_at(&c, i);
    buf[end - p] = '\0';
    v = strtod(buf, NULL);
    free(buf);
  } else {
    for (uint32_t i = p; i < end; i++) v = v * r + digit_value(str_chars_at(&c, i));
  }
  return bi_number(sign * v);
}

static bool this_number(Runtime *rt, Value v, double *out) {
  if (val_is_number(v)) {
    *out = val_number(v);
    return true;
  }
  if (val_is_object(v) && obj_class(val_to_object(v)) == OBJ_CLASS_Number) {
    *out = val_number(obj_get_internal(val_to_object(v), 0));
    return true;
  }
  js_throw(rt, ERR_TypeError, "Number.prototype method called on incompatible receiver");
  return false;
}

/* Number::toString(x, radix) for radix != 10: the shortest digits that read
 * back as x (the algorithm V8 uses: digits are produced until the remaining
 * fraction is below half the distance to the next double). */
static Value radix_string(Runtime *rt, double value, int radix) {
  static const char chars[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  char buffer[2200];
  int integer_cursor = 1100, fraction_cursor = 1100;
  bool negative = value < 0;
  if (negative) value = -value;
  double integer = floor(value), fraction = value - integer;
  double delta = 0.5 * (nextafter(value, INFINITY) - value);
  if (delta < nextafter(0.0, 1.0)) delta = nextafter(0.0, 1.0);
  if (fraction >= delta) {
    buffer[fraction_cursor++] = '.';
    do {
      fraction *= radix;
      delta *= radix;
      int digit = (int)fraction;
      buffer[fraction_cursor++] = chars[digit];
      fraction -= digit;
      if (fraction > 0.5 || (fraction == 0.5 && (digit & 1))) {
        if (fraction + delta > 1) {
          /* Round up, propagating carries. */
          for (;;) {
            fraction_cursor--;
            if (fraction_cursor == 1100) {
              integer += 1;
              break;
            }
            char ch = buffer[fraction_cursor];
            digit = ch > '9' ? ch - 'a' + 10 : ch - '0';
            if (digit + 1 < radix) {
              buffer[fraction_cursor++] = chars[digit + 1];
              break;
            }
          }
          break;
        }
      }
    } while (fraction >= delta && fraction_cursor < (int)sizeof buffer - 1);
  }
  /* Integer digits; below the last 53 significant bits they are zeros. */
  while (integer / radix >= 9007199254740992.0) {
    integer /= radix;
    buffer[--integer_cursor] = '0';
  }
  do {
    double rem = fmod(integer, radix);
    buffer[--integer_cursor] = chars[(int)rem];
    integer = (integer - rem) / radix;
  } while (integer > 0);
  if (negative) buffer[--integer_cursor] = '-';
  return str_from_utf8(rt, buffer + integer_cursor, (size_t)(fraction_cursor - integer_cursor));
}

NATIVE(number_to_string) {
  UNUSED;
  double x;
  if (!this_number(rt, this_val, &x)) return VAL_EXCEPTION;
  double radix = 10;
  if (!val_is_undefined(ARG(0)) && !js_to_integer_or_infinity(rt, ARG(0), &radix))
    return VAL_EXCEPTION;
  if (radix < 2 || radix > 36)
    return js_throw(rt, ERR_RangeError, "toString() radix must be between 2 and 36");
  if (radix == 10 || !isfinite(x)) return js_number_to_string(rt, x);
  if (x == 0) return str_from_char(rt, '0');
  return radix_string(rt, x, (int)radix);
}

NATIVE(number_value_of) {
  UNUSED, (void)argv;
  double x;
  if (!this_number(rt, this_val, &x)) return VAL_EXCEPTION;
  return bi_number(x);
}

/* Rounds the exact decimal expansion in digits[0..n) (no point) half up at
 * position keep; returns the new digit count (a carry may add one). */
static size_t round_digits(char *digits, size_t n, size_t keep) {
  if (keep >= n) return n;
  bool up = digits[keep] >= '5';
  n = keep;
  if (!up) return n;
  size_t i = n;
  while (i > 0) {
    if (digits[i - 1] == '9') {
      digits[--i] = '0';
      continue;
    }
    digits[i - 1]++;
    return n;
  }
  memmove(digits + 1, digits, n);
  digits[0] = '1';
  return n + 1;
}

NATIVE(number_to_fixed) {
  UNUSED;
  double x, f;
  if (!this_number(rt, this_val, &x) || !js_to_integer_or_infinity(rt, ARG(0), &f))
    return VAL_EXCEPTION;
  if (!isfinite(f) || f < 0 || f > 100)
    return js_throw(rt, ERR_RangeError, "toFixed() digits argument must be between 0 and 100");
  if (x != x) return str_from_cstr(rt, "NaN");
  if (fabs(x) >= 1e21) return js_number_to_string(rt, x);
  /* glibc prints the exact binary value; the spec breaks ties upward, so
   * print every digit and round here. */
  char exact[1400], out[1400];
  int len = snprintf(exact, sizeof exact, "%.1100f", fabs(x));
  char *dot = strchr(exact, '.');
  size_t int_len = (size_t)(dot - exact);
  char digits[1400];
  memcpy(digits, exact, int_len);
  memcpy(digits + int_len, dot + 1, (size_t)len - int_len - 1);
  size_t n = round_digits(digits, (size_t)len - 1, int_len + (size_t)f);
  size_t ilen = n - (size_t)f, o = 0;
  if (x < 0) out[o++] = '-';
  memcpy(out + o, digits, ilen);
  o += ilen;
  if (f > 0) {
    out[o++] = '.';
    memcpy(out + o, digits + ilen, (size_t)f);
    o += (size_t)f;
  }
  return str_from_utf8(rt, out, o);
}

/* toExponential (0) and toPrecision (1) through printf's %e (exact value,
 * round-half-even only on exact ties, which need an exactly representable
 * halfway value; those round up per spec: handled by re-rounding). */
static Value exp_format(Runtime *rt, double x, int frac_digits, bool precision_mode) {
  char exact[1400];
  int len = snprintf(exact, sizeof exact, "%.1100e", fabs(x));
  /* exact: d.ddddde±XX */
  char *e = strchr(exact, 'e');
  int exp10 = atoi(e + 1);
  char digits[1200];
  size_t n = 0;
  digits[n++] = exact[0];
  for (char *p = exact + 2; p < e; p++) digits[n++] = *p;
  (void)len;
  size_t m = round_digits(digits, n, (size_t)frac_digits + 1);
  if (m > (size_t)frac_digits + 1) {
    exp10++;
    m--;
  }
  char out[1300];
  size_t o = 0;
  if (x < 0) out[o++] = '-';
  if (precision_mode && exp10 >= -6 && exp10 < frac_digits + 1) {
    int p = frac_digits + 1;
    if (exp10 >= 0) {
      memcpy(out + o, digits, (size_t)exp10 + 1);
      o += (size_t)exp10 + 1;
      if (p > exp10 + 1) {
        out[o++] = '.';
        memcpy(out + o, digits + exp10 + 1, (size_t)(p - exp10 - 1));
        o += (size_t)(p - exp10 - 1);
      }
    } else {
      out[o++] = '0';
      out[o++] = '.';
      for (int i = 0; i < -exp10 - 1; i++) out[o++] = '0';
      memcpy(out + o, digits, (size_t)p);
      o += (size_t)p;
    }
    return str_from_utf8(rt, out, o);
  }
  out[o++] = digits[0];
  if (frac_digits > 0) {
    out[o++] = '.';
    memcpy(out + o, digits + 1, (size_t)frac_digits);
    o += (size_t)frac_digits;
  }
  o += (size_t)snprintf(out + o, sizeof out - o, "e%c%d", exp10 < 0 ? '-' : '+', abs(exp10));
  return str_from_utf8(rt, out, o);
}

NATIVE(number_to_exponential) {
  UNUSED;
  double x, f;
  if (!this_number(rt, this_val, &x) || !js_to_integer_or_infinity(rt, ARG(0), &f))
    return VAL_EXCEPTION;
  if (!isfinite(x)) return js_number_to_string(rt, x);
  if (f < 0 || f > 100)
    return js_throw(rt, ERR_RangeError, "toExponential() argument must be between 0 and 100");
  if (val_is_undefined(ARG(0))) {
    /* As many digits as needed: those of the shortest round trip. */
    char buf[64];
    snprintf(buf, sizeof buf, "%.17g", fabs(x));
    for (int p = 1; p <= 17; p++) {
      snprintf(buf, sizeof buf, "%.*e", p - 1, fabs(x));
      if (strtod(buf, NULL) == fabs(x)) {
        f = p - 1;
        break;
      }
    }
  }
  if (x == 0) x = 0;
  return exp_format(rt, x, (int)f, false);
}

NATIVE(number_to_precision) {
  UNUSED;
  double x, p;
  if (!this_number(rt, this_val, &x)) return VAL_EXCEPTION;
  if (val_is_undefined(ARG(0))) return js_number_to_string(rt, x);
  if (!js_to_integer_or_infinity(rt, ARG(0), &p)) return VAL_EXCEPTION;
  if (!isfinite(x)) return js_number_to_string(rt, x);
  if (p < 1 || p > 100)
    return js_throw(rt, ERR_RangeError, "toPrecision() argument must be between 1 and 100");
  if (x == 0) x = 0;
  return exp_format(rt, x, (int)p - 1, true);
}

/* --- Boolean ----------------------------------------------------------------------------- */

NATIVE(boolean_ctor) {
  Value b = val_from_bool(js_to_boolean(ARG(0)));
  if (val_is_undefined(new_target)) return b;
  return make_wrapper(rt, func, new_target, OBJ_CLASS_Boolean, b, JS_INTR_BooleanPrototype);
}

static bool this_boolean(Runtime *rt, Value v, bool *out) {
  if (val_is_bool(v)) {
    *out = val_to_bool(v);
    return true;
  }
  if (val_is_object(v) && obj_class(val_to_object(v)) == OBJ_CLASS_Boolean) {
    *out = val_to_bool(obj_get_internal(val_to_object(v), 0));
    return true;
  }
  js_throw(rt, ERR_TypeError, "Boolean.prototype method called on incompatible receiver");
  return false;
}

/* toString (0), valueOf (1). */
NATIVE(boolean_proto) {
  bool b;
  if (!this_boolean(rt, this_val, &b)) return VAL_EXCEPTION;
  if (magic) return val_from_bool(b);
  return atom_well_known(rt, b ? ATOM_true_ : ATOM_false_);
}

bool js_builtins_number(Runtime *rt, JsRealm *realm) {
  Object *np = obj_new_ex(rt, realm->intrinsics[JS_INTR_ObjectPrototype], OBJ_CLASS_Number, 1, 4);
  if (!np) return false;
  obj_set_internal(rt, np, 0, val_from_int(0));
  Value npv = obj_value(np);
  realm->intrinsics[JS_INTR_NumberPrototype] = npv;
  Value ctor = bi_ctor(rt, realm, "Number", number_ctor, 1, 0, npv);
  if (val_is_exception(ctor)) return false;
  static const struct {
    const char *name;
    double v;
  } consts[] = {{"MAX_SAFE_INTEGER", 9007199254740991.0},
                {"MIN_SAFE_INTEGER", -9007199254740991.0},
                {"EPSILON", DBL_EPSILON},
                {"MAX_VALUE", DBL_MAX},
                {"MIN_VALUE", 5e-324},
                {"NaN", NAN},
                {"POSITIVE_INFINITY", INFINITY},
                {"NEGATIVE_INFINITY", -INFINITY}};
  for (size_t i = 0; i < sizeof consts / sizeof *consts; i++)
    if (!js_define_value(rt, ctor, consts[i].name, bi_number(consts[i].v), 0)) return false;
  if (!js_define_method(rt, ctor, "isFinite", number_is, 1, 0) ||
      !js_define_method(rt, ctor, "isNaN", number_is, 1, 1) ||
      !js_define_method(rt, ctor, "isInteger", number_is, 1, 2) ||
      !js_define_method(rt, ctor, "isSafeInteger", number_is, 1, 3) ||
      !js_define_method(rt, ctor, "parseFloat", number_parse_float, 1, 0) ||
      !js_define_method(rt, ctor, "parseInt", number_parse_int, 2, 0))
    return false;
  if (!js_define_method(rt, npv, "toString", number_to_string, 1, 0) ||
      !js_define_method(rt, npv, "toLocaleString", number_to_string, 0, 0) ||
      !js_define_method(rt, npv, "valueOf", number_value_of, 0, 0) ||
      !js_define_method(rt, npv, "toFixed", number_to_fixed, 1, 0) ||
      !js_define_method(rt, npv, "toExponential", number_to_exponential, 1, 0) ||
      !js_define_method(rt, npv, "toPrecision", number_to_precision, 1, 0))
    return false;
  if (!bi_global(rt, realm, "Number", ctor)) return false;

  Object *bp = obj_new_ex(rt, realm->intrinsics[JS_INTR_ObjectPrototype], OBJ_CLASS_Boolean, 1, 2);
  if (!bp) return false;
  obj_set_internal(rt, bp, 0, VAL_FALSE);
  Value bpv = obj_value(bp);
  realm->intrinsics[JS_INTR_BooleanPrototype] = bpv;
  Value bctor = bi_ctor(rt, realm, "Boolean", boolean_ctor, 1, 0, bpv);
  if (val_is_exception(bctor) || !js_define_method(rt, bpv, "toString", boolean_proto, 0, 0) ||
      !js_define_method(rt, bpv, "valueOf", boolean_proto, 0, 1))
    return false;
  return bi_global(rt, realm, "Boolean", bctor);
}
