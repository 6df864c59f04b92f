/* ops.c: the ECMAScript abstract operations on values: type conversions
 * (ToPrimitive, ToNumber, ToString, ToPropertyKey, ToObject), number
 * formatting and parsing, equality, relational comparison and the arithmetic
 * operators. Every function that can run user code (valueOf, toString,
 * Symbol.toPrimitive) reports failure by return value. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "js/vm.h"

bool js_to_boolean(Value v) {
  if (val_is_int(v)) return val_to_int(v) != 0;
  if (val_is_double(v)) {
    double d = val_to_double(v);
    return d == d && d != 0;
  }
  if (v == VAL_TRUE) return true;
  if (!val_is_ptr(v)) return false; /* false, undefined, null, holes */
  if (str_is_string(v)) return str_length(v) != 0;
  return true;
}

/* --- numbers <-> strings ------------------------------------------------------------ */

int js_format_number(double d, char *buf, size_t size) {
  if (d != d) return snprintf(buf, size, "NaN");
  if (d == 0) return snprintf(buf, size, "0");
  if (isinf(d)) return snprintf(buf, size, d < 0 ? "-Infinity" : "Infinity");
  /* Integers print all their digits only while every digit is significant;
   * beyond 2^53 the shortest round-trip digits are padded with zeros. */
  if (fabs(d) < 9007199254740992.0 && d == (double)(int64_t)d) return snprintf(buf, size, "%.0f", d);

  /* Shortest digit string that reads back as d: glibc's printf is exact, so
   * trying each precision in turn gives the shortest correctly rounded one. */
  char tmp[40];
  int prec;
  for (prec = 1; prec <= 17; prec++) {
    snprintf(tmp, sizeof tmp, "%.*e", prec - 1, d);
    if (strtod(tmp, NULL) == d) break;
  }
  /* tmp is "[-]d.ddde[+-]xx": split into sign, digits, exponent. */
  const char *p = tmp;
  bool neg = *p == '-';
  if (neg) p++;
  char digits[20];
  int k = 0;
  for (; *p && *p != 'e'; p++)
    if (*p != '.') digits[k++] = *p;
  while (k > 1 && digits[k - 1] == '0') k--;
  digits[k] = '\0';
  int n = atoi(p + 1) + 1; /* value = 0.digits x 10^n */

  char out[64];
  int o = 0;
  if (neg) out[o++] = '-';
  if (k <= n && n <= 21) {
    memcpy(out + o, digits, (size_t)k);
    o += k;
    for (int i = 0; i < n - k; i++) out[o++] = '0';
  } else if (0 < n && n <= 21) {
    memcpy(out + o, digits, (size_t)n);
    o += n;
    out[o++] = '.';
    memcpy(out + o, digits + n, (size_t)(k - n));
    o += k - n;
  } else if (-6 < n && n <= 0) {
    out[o++] = '0';
    out[o++] = '.';
    for (int i = 0; i < -n; i++) out[o++] = '0';
    memcpy(out + o, digits, (size_t)k);
    o += k;
  } else {
    out[o++] = digits[0];
    if (k > 1) {
      out[o++] = '.';
      memcpy(out + o, digits + 1, (size_t)(k - 1));
      o += k - 1;
    }
    o += snprintf(out + o, sizeof out - (size_t)o, "e%c%d", n - 1 < 0 ? '-' : '+', abs(n - 1));
  }
  out[o] = '\0';
  return snprintf(buf, size, "%s", out);
}

Value js_number_to_string(Runtime *rt, double d) {
  if (d >= 0 && d <= 2147483647.0 && d == (double)(int32_t)d) return str_from_int(rt, (int32_t)d);
  char buf[64];
  int n = js_format_number(d, buf, sizeof buf);
  return str_from_latin1(rt, (const uint8_t *)buf, (size_t)n);
}

static bool is_js_space(uint32_t c) {
  switch (c) {
  case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D: case 0x20: case 0xA0: case 0x1680:
  case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000: case 0xFEFF:
    return true;
  default:
    return c >= 0x2000 && c <= 0x200A;
  }
}

static double parse_radix_digits(const uint8_t *s, size_t len, int radix) {
  if (len == 0) return NAN;
  double v = 0;
  for (size_t i = 0; i < len; i++) {
    int c = s[i], dgt;
    if (c >= '0' && c <= '9') dgt = c - '0';
    else if (c >= 'a' && c <= 'z') dgt = c - 'a' + 10;
    else if (c >= 'A' && c <= 'Z') dgt = c - 'A' + 10;
    else return NAN;
    if (dgt >= radix) return NAN;
    v = v * radix + dgt;
  }
  /* Binary/octal/hex are exact up to 2^53; beyond that the spec rounds the
   * mathematical value, which needs exact arithmetic for hex: redo it. */
  if (v >= 9007199254740992.0 && (radix == 16 || radix == 8 || radix == 2)) {
    int bits = radix == 16 ? 4 : radix == 8 ? 3 : 1;
    /* Collect the value's bits, then round to 53 bits (nearest, ties to even). */
    size_t i = 0;
    while (i < len && s[i] == '0') i++;
    uint64_t mant = 0;
    int nbits = 0, exp = 0;
    bool sticky = false;
    for (; i < len; i++) {
      int c = s[i];
      int dgt = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
      for (int b = bits - 1; b >= 0; b--) {
        int bit = (dgt >> b) & 1;
        if (nbits == 0 && !bit) continue;
        if (nbits < 64) {
          mant = mant << 1 | (uint64_t)bit;
          nbits++;
        } else {
          exp++;
          sticky |= bit;
        }
      }
    }
    /* mant holds the top (up to 64) bits; exp counts dropped low bits. */
    int shift = nbits - 53;
    uint64_t top = mant >> shift;
    uint64_t rest = mant & ((1ULL << shift) - 1);
    uint64_t half = 1ULL << (shift - 1);
    if (rest > half || (rest == half && (sticky || (top & 1)))) top++;
    return ldexp((double)top, shift + exp);
  }
  return v;
}

double js_string_to_number(const uint8_t *s, size_t len) {
  while (len && is_js_space(s[0])) s++, len--;
  while (len && is_js_space(s[len - 1])) len--;
  if (len == 0) return 0;
  if (len > 2 && s[0] == '0') {
    int c = s[1] | 0x20;
    if (c == 'x') return parse_radix_digits(s + 2, len - 2, 16);
    if (c == 'o') return parse_radix_digits(s + 2, len - 2, 8);
    if (c == 'b') return parse_radix_digits(s + 2, len - 2, 2);
  }
  size_t i = 0;
  bool neg = false;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    i++;
  }
  if (len - i == 8 && memcmp(s + i, "Infinity", 8) == 0) return neg ? -INFINITY : INFINITY;
  /* StrDecimalLiteral: digits [. digits] [e [sign] digits], or . digits. */
  size_t start = i, int_digits = 0, frac_digits = 0;
  while (i < len && s[i] >= '0' && s[i] <= '9') i++, int_digits++;
  if (i < len && s[i] == '.') {
    i++;
    while (i < len && s[i] >= '0' && s[i] <= '9') i++, frac_digits++;
  }
  if (int_digits + frac_digits == 0) return NAN;
  if (i < len && (s[i] | 0x20) == 'e') {
    i++;
    if (i < len && (s[i] == '+' || s[i] == '-')) i++;
    size_t exp_digits = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9') i++, exp_digits++;
    if (!exp_digits) return NAN;
  }
  if (i != len) return NAN;
  char small[128];
  char *buf = len - start < sizeof small ? small : malloc(len - start + 1);
  if (!buf) return NAN;
  memcpy(buf, s + start, len - start);
  buf[len - start] = '\0';
  double d = strtod(buf, NULL);
  if (buf != small) free(buf);
  return neg ? -d : d;
}

static double string_value_to_number(Runtime *rt, Value s) {
  StrChars c = str_chars(s);
  if (c.latin1) return js_string_to_number(c.latin1, c.length);
  /* UTF-16: only ASCII can be part of a numeric literal; map everything
   * else (except white space, which is trimmed) to an invalid byte. */
  uint8_t small[256];
  uint8_t *buf = c.length <= sizeof small ? small : malloc(c.length);
  if (!buf) return NAN;
  size_t start = 0, end = c.length;
  while (start < end && is_js_space(c.utf16[start])) start++;
  while (end > start && is_js_space(c.utf16[end - 1])) end--;
  for (size_t i = start; i < end; i++) buf[i - start] = c.utf16[i] < 0x80 ? (uint8_t)c.utf16[i] : '!';
  double d = js_string_to_number(buf, end - start);
  if (buf != small) free(buf);
  (void)rt;
  return d;
}

/* --- ToPrimitive and friends ------------------------------------------------------------ */

static Value ordinary_to_primitive(Runtime *rt, Value o, int hint) {
  AtomId order[2] = {ATOM_valueOf, ATOM_toString};
  if (hint == 2) order[0] = ATOM_toString, order[1] = ATOM_valueOf;
  for (int i = 0; i < 2; i++) {
    Value method = js_get(rt, o, atom_well_known(rt, order[i]));
    if (val_is_exception(method)) return VAL_EXCEPTION;
    if (js_is_callable(method)) {
      Value r = js_call(rt, method, o, 0, NULL);
      if (val_is_exception(r) || !val_is_object(r)) return r;
    }
  }
  return js_throw(rt, ERR_TypeError, "Cannot convert object to primitive value");
}

Value js_to_primitive(Runtime *rt, Value v, int hint) {
  if (!val_is_object(v)) return v;
  Value exotic = js_get(rt, v, sym_well_known(rt, SYM_toPrimitive));
  if (val_is_exception(exotic)) return VAL_EXCEPTION;
  if (!val_is_nullish(exotic)) {
    if (!js_is_callable(exotic))
      return js_throw(rt, ERR_TypeError, "Symbol.toPrimitive is not a function");
    const char *names[] = {"default", "number", "string"};
    Value h = str_from_cstr(rt, names[hint]);
    if (val_is_exception(h)) return h;
    Value r = js_call(rt, exotic, v, 1, &h);
    if (val_is_exception(r)) return r;
    if (val_is_object(r)) return js_throw(rt, ERR_TypeError, "Cannot convert object to primitive value");
    return r;
  }
  return ordinary_to_primitive(rt, v, hint == 0 ? 1 : hint);
}

bool js_to_number(Runtime *rt, Value v, double *out) {
  for (;;) {
    if (val_is_int(v)) {
      *out = val_to_int(v);
      return true;
    }
    if (val_is_double(v)) {
      *out = val_to_double(v);
      return true;
    }
    switch (v) {
    case VAL_UNDEFINED: *out = NAN; return true;
    case VAL_NULL: case VAL_FALSE: *out = 0; return true;
    case VAL_TRUE: *out = 1; return true;
    default: break;
    }
    if (!val_is_ptr(v)) {
      *out = NAN;
      return true;
    }
    if (str_is_string(v)) {
      *out = string_value_to_number(rt, v);
      return true;
    }
    if (sym_is_symbol(v)) {
      js_throw(rt, ERR_TypeError, "Cannot convert a Symbol value to a number");
      return false;
    }
    if (!val_is_object(v)) {
      js_throw(rt, ERR_TypeError, "Cannot convert a BigInt value to a number");
      return false;
    }
    v = js_to_primitive(rt, v, 1);
    if (val_is_exception(v)) return false;
  }
}

bool js_to_numeric(Runtime *rt, Value v, Value *out) {
  if (val_is_number(v)) {
    *out = v;
    return true;
  }
  v = js_to_primitive(rt, v, 1);
  if (val_is_exception(v)) return false;
  double d;
  if (!js_to_number(rt, v, &d)) return false;
  *out = val_from_number(d);
  return true;
}

int32_t js_double_to_int32(double d) {
  if (d != d || isinf(d)) return 0;
  if (d >= -2147483648.0 && d <= 2147483647.0) return (int32_t)d;
  double m = fmod(trunc(d), 4294967296.0);
  if (m < 0) m += 4294967296.0;
  return (int32_t)(uint32_t)m;
}

bool js_to_int32(Runtime *rt, Value v, int32_t *out) {
  if (val_is_int(v)) {
    *out = val_to_int(v);
    return true;
  }
  double d;
  if (!js_to_number(rt, v, &d)) return false;
  *out = js_double_to_int32(d);
  return true;
}

bool js_to_uint32(Runtime *rt, Value v, uint32_t *out) {
  int32_t i;
  if (!js_to_int32(rt, v, &i)) return false;
  *out = (uint32_t)i;
  return true;
}

bool js_to_integer_or_infinity(Runtime *rt, Value v, double *out) {
  double d;
  if (!js_to_number(rt, v, &d)) return false;
  *out = d != d ? 0 : isinf(d) ? d : trunc(d) + 0.0; /* + 0.0 turns -0 into +0 */
  return true;
}

bool js_to_length(Runtime *rt, Value v, uint64_t *out) {
  double d;
  if (!js_to_integer_or_infinity(rt, v, &d)) return false;
  if (d <= 0) *out = 0;
  else if (d >= 9007199254740991.0) *out = 9007199254740991ULL;
  else *out = (uint64_t)d;
  return true;
}

Value js_to_string(Runtime *rt, Value v) {
  for (;;) {
    if (val_is_int(v)) return str_from_int(rt, val_to_int(v));
    if (val_is_double(v)) return js_number_to_string(rt, val_to_double(v));
    switch (v) {
    case VAL_UNDEFINED: return atom_well_known(rt, ATOM_undefined);
    case VAL_NULL: return atom_well_known(rt, ATOM_null);
    case VAL_TRUE: return atom_well_known(rt, ATOM_true_);
    case VAL_FALSE: return atom_well_known(rt, ATOM_false_);
    default: break;
    }
    if (str_is_string(v)) return v;
    if (sym_is_symbol(v)) return js_throw(rt, ERR_TypeError, "Cannot convert a Symbol value to a string");
    if (!val_is_object(v)) return js_throw(rt, ERR_TypeError, "Cannot convert value to a string");
    v = js_to_primitive(rt, v, 2);
    if (val_is_exception(v)) return v;
  }
}

Value js_to_property_key(Runtime *rt, Value v) {
  if (val_is_ptr(v) && ((str_is_string(v) && str_is_atom(v)) || sym_is_symbol(v))) return v;
  if (val_is_object(v)) {
    v = js_to_primitive(rt, v, 2);
    if (val_is_exception(v)) return v;
    if (sym_is_symbol(v)) return v;
  }
  Value s = js_to_string(rt, v);
  if (val_is_exception(s)) return s;
  return atom_from_string(rt, s);
}

Value js_typeof(Runtime *rt, Value v) {
  const char *t;
  if (val_is_number(v)) t = "number";
  else if (v == VAL_UNDEFINED) t = "undefined";
  else if (v == VAL_NULL) t = "object";
  else if (val_is_bool(v)) t = "boolean";
  else if (str_is_string(v)) t = "string";
  else if (sym_is_symbol(v)) t = "symbol";
  else if (val_is_object(v)) t = js_is_callable(v) ? "function" : "object";
  else if (val_is_ptr(v) && ((GCHeader *)val_to_ptr(v))->kind == GC_KIND_BIGINT) t = "bigint";
  else t = "undefined";
  return atom_from_cstr(rt, t);
}

/* --- equality ---------------------------------------------------------------------- */

static bool string_equals(Runtime *rt, Value a, Value b) {
  if (a == b) return true;
  if (str_is_atom(a) && str_is_atom(b)) return false;
  if (str_length(a) != str_length(b)) return false;
  bool eq = false;
  if (!str_equals(rt, a, b, &eq)) {
    rt_clear_exception(rt); /* flattening failed: fall back to comparing by units */
    for (uint32_t i = 0; i < str_length(a); i++)
      if (str_char_at(rt, a, i) != str_char_at(rt, b, i)) return false;
    return true;
  }
  return eq;
}

bool js_strict_equals(Runtime *rt, Value a, Value b) {
  if (val_is_number(a) && val_is_number(b)) {
    if (val_is_int(a) && val_is_int(b)) return a == b;
    return val_number(a) == val_number(b);
  }
  if (a == b) return true;
  if (val_is_ptr(a) && val_is_ptr(b) && str_is_string(a) && str_is_string(b))
    return string_equals(rt, a, b);
  return false;
}

bool js_same_value_zero(Runtime *rt, Value a, Value b) {
  if (val_is_number(a) && val_is_number(b)) {
    double x = val_number(a), y = val_number(b);
    return x == y || (x != x && y != y);
  }
  return js_strict_equals(rt, a, b);
}

bool js_same_value(Runtime *rt, Value a, Value b) {
  if (val_is_number(a) && val_is_number(b)) {
    double x = val_number(a), y = val_number(b);
    if (x != x) return y != y;
    return x == y && signbit(x) == signbit(y);
  }
  return js_strict_equals(rt, a, b);
}

bool js_loose_equals(Runtime *rt, Value a, Value b, bool *out) {
  for (;;) {
    if (val_is_number(a) && val_is_number(b)) {
      *out = val_number(a) == val_number(b);
      return true;
    }
    bool sa = val_is_ptr(a) && str_is_string(a), sb = val_is_ptr(b) && str_is_string(b);
    if (sa && sb) {
      *out = string_equals(rt, a, b);
      return true;
    }
    if (val_is_nullish(a) || val_is_nullish(b)) {
      *out = val_is_nullish(a) && val_is_nullish(b);
      return true;
    }
    bool oa = val_is_object(a), ob = val_is_object(b);
    if (oa && ob) {
      *out = a == b;
      return true;
    }
    if (val_is_bool(a)) {
      a = val_from_int(a == VAL_TRUE);
      continue;
    }
    if (val_is_bool(b)) {
      b = val_from_int(b == VAL_TRUE);
      continue;
    }
    if (val_is_number(a) && sb) {
      *out = val_number(a) == string_value_to_number(rt, b);
      return true;
    }
    if (sa && val_is_number(b)) {
      *out = string_value_to_number(rt, a) == val_number(b);
      return true;
    }
    if (oa && !ob && !val_is_nullish(b)) {
      a = js_to_primitive(rt, a, 0);
      if (val_is_exception(a)) return false;
      continue;
    }
    if (ob && !oa) {
      b = js_to_primitive(rt, b, 0);
      if (val_is_exception(b)) return false;
      continue;
    }
    *out = a == b; /* symbols by identity; mismatched types are unequal */
    return true;
  }
}

/* --- relational comparison and arithmetic --------------------------------------------------- */

bool js_less_than(Runtime *rt, Value a, Value b, bool left_first, int *out) {
  if (val_is_int(a) && val_is_int(b)) {
    *out = val_to_int(a) < val_to_int(b);
    return true;
  }
  Value pa, pb;
  if (left_first) {
    pa = js_to_primitive(rt, a, 1);
    if (val_is_exception(pa)) return false;
    pb = js_to_primitive(rt, b, 1);
    if (val_is_exception(pb)) return false;
  } else {
    pb = js_to_primitive(rt, b, 1);
    if (val_is_exception(pb)) return false;
    pa = js_to_primitive(rt, a, 1);
    if (val_is_exception(pa)) return false;
  }
  if (val_is_ptr(pa) && val_is_ptr(pb) && str_is_string(pa) && str_is_string(pb)) {
    int c;
    if (!str_compare(rt, pa, pb, &c)) return false;
    *out = c < 0;
    return true;
  }
  double x, y;
  if (!js_to_number(rt, pa, &x) || !js_to_number(rt, pb, &y)) return false;
  *out = (x != x || y != y) ? -1 : x < y;
  return true;
}

Value js_add(Runtime *rt, Value a, Value b) {
  if (val_is_number(a) && val_is_number(b)) return val_from_number(val_number(a) + val_number(b));
  Value pa = js_to_primitive(rt, a, 0);
  if (val_is_exception(pa)) return pa;
  Value pb = js_to_primitive(rt, b, 0);
  if (val_is_exception(pb)) return pb;
  bool sa = val_is_ptr(pa) && str_is_string(pa), sb = val_is_ptr(pb) && str_is_string(pb);
  if (sa || sb) {
    Value x = sa ? pa : js_to_string(rt, pa);
    if (val_is_exception(x)) return x;
    Value y = sb ? pb : js_to_string(rt, pb);
    if (val_is_exception(y)) return y;
    return str_concat(rt, x, y);
  }
  double x, y;
  if (!js_to_number(rt, pa, &x) || !js_to_number(rt, pb, &y)) return VAL_EXCEPTION;
  return val_from_number(x + y);
}

double js_number_mod(double x, double y) {
  if (y != y || x != x || isinf(x) || y == 0) return NAN;
  if (isinf(y)) return x;
  if (x == 0) return x;
  double r = fmod(x, y);
  return r == 0 ? copysign(0.0, x) : r;
}

double js_number_pow(double x, double y) {
  if (y != y) return NAN;
  if (y == 0) return 1;
  if ((x == 1 || x == -1) && isinf(y)) return NAN;
  return pow(x, y);
}

Value js_arith(Runtime *rt, int op, Value a, Value b) {
  double x, y;
  if (val_is_number(a) && val_is_number(b)) {
    x = val_number(a);
    y = val_number(b);
  } else {
    Value na, nb;
    if (!js_to_numeric(rt, a, &na) || !js_to_numeric(rt, b, &nb)) return VAL_EXCEPTION;
    if (!val_is_number(na) || !val_is_number(nb))
      return js_throw(rt, ERR_InternalError, "BigInt arithmetic is not supported yet");
    x = val_number(na);
    y = val_number(nb);
  }
  switch (op) {
  case OP_SUB: return val_from_number(x - y);
  case OP_MUL: return val_from_number(x * y);
  case OP_DIV: return val_from_number(x / y);
  case OP_MOD: return val_from_number(js_number_mod(x, y));
  case OP_EXP: return val_from_number(js_number_pow(x, y));
  case OP_BITAND: return val_from_int(js_double_to_int32(x) & js_double_to_int32(y));
  case OP_BITOR: return val_from_int(js_double_to_int32(x) | js_double_to_int32(y));
  case OP_BITXOR: return val_from_int(js_double_to_int32(x) ^ js_double_to_int32(y));
  case OP_SHL: return val_from_int((int32_t)((uint32_t)js_double_to_int32(x) << (js_double_to_int32(y) & 31)));
  case OP_SAR: return val_from_int(js_double_to_int32(x) >> (js_double_to_int32(y) & 31));
  case OP_SHR:
    return val_from_number((double)((uint32_t)js_double_to_int32(x) >> (js_double_to_int32(y) & 31)));
  default: return js_throw(rt, ERR_InternalError, "bad arithmetic operator %d", op);
  }
}

bool js_instance_of(Runtime *rt, Value v, Value target, bool *out) {
  if (!val_is_object(target)) {
    js_throw(rt, ERR_TypeError, "Right-hand side of 'instanceof' is not an object");
    return false;
  }
  Value handler = js_get(rt, target, sym_well_known(rt, SYM_hasInstance));
  if (val_is_exception(handler)) return false;
  if (!val_is_nullish(handler)) {
    if (!js_is_callable(handler)) {
      js_throw(rt, ERR_TypeError, "Symbol.hasInstance is not callable");
      return false;
    }
    Value r = js_call(rt, handler, target, 1, &v);
    if (val_is_exception(r)) return false;
    *out = js_to_boolean(r);
    return true;
  }
  if (!js_is_callable(target)) {
    js_throw(rt, ERR_TypeError, "Right-hand side of 'instanceof' is not callable");
    return false;
  }
  /* OrdinaryHasInstance (bound functions unwrap to their target). */
  Object *f = val_to_object(target);
  if (obj_class(f) == OBJ_CLASS_BoundFunction)
    return js_instance_of(rt, v, obj_get_internal(f, FN_ENV), out);
  if (!val_is_object(v)) {
    *out = false;
    return true;
  }
  Value proto = js_get(rt, target, atom_well_known(rt, ATOM_prototype));
  if (val_is_exception(proto)) return false;
  if (!val_is_object(proto)) {
    js_throw(rt, ERR_TypeError, "Function has non-object prototype in instanceof check");
    return false;
  }
  Value p = obj_proto(val_to_object(v));
  while (val_is_object(p)) {
    if (p == proto) {
      *out = true;
      return true;
    }
    p = obj_proto(val_to_object(p));
  }
  *out = false;
  return true;
}
