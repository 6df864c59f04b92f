/* string.c: the String constructor, String.fromCharCode/fromCodePoint and
 * String.prototype (search, slicing, case, trim, pad, repeat, split with a
 * string separator, iteration by code point through %StringIteratorPrototype%).
 * Methods coerce `this` with RequireObjectCoercible + ToString. */
#include <string.h>

#include "js/builtins/builtins.h"

#define NATIVE(name)                                                                               \
  static Value name(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,         \
                    Value new_target, int magic)
#define UNUSED (void)func, (void)argc, (void)new_target, (void)magic

static Value this_str(Runtime *rt, Value this_val) {
  if (str_is_string(this_val)) return this_val;
  if (val_is_nullish(this_val))
    return js_throw(rt, ERR_TypeError, "String.prototype method called on null or undefined");
  return js_to_string(rt, this_val);
}

/* A flat string (so str_chars can read it). */
static Value this_flat(Runtime *rt, Value this_val) {
  Value s = this_str(rt, this_val);
  return val_is_exception(s) ? s : str_flatten(rt, s);
}

static bool is_js_space(uint32_t c) {
  switch (c) {
  case 9: case 10: case 11: case 12: case 13: case 32: case 0xA0: case 0x1680: case 0x2028:
  case 0x2029: case 0x202F: case 0x205F: case 0x3000: case 0xFEFF: return true;
  default: return c >= 0x2000 && c <= 0x200A;
  }
}

NATIVE(string_ctor) {
  Value s;
  if (argc == 0) s = str_empty(rt);
  else if (val_is_undefined(new_target) && sym_is_symbol(ARG(0))) {
    Value d = sym_description(ARG(0));
    StrBuilder b;
    str_builder_init(&b, rt);
    if (!str_builder_append_cstr(&b, "Symbol(") ||
        (str_is_string(d) && !str_builder_append_string(&b, d)) || !str_builder_append_char(&b, ')')) {
      str_builder_free(&b);
      return VAL_EXCEPTION;
    }
    return str_builder_finish(&b);
  } else s = js_to_string(rt, ARG(0));
  if (val_is_exception(s) || val_is_undefined(new_target)) return s;
  Value o = js_to_object(rt, s);
  if (val_is_exception(o)) return o;
  if (new_target != func) {
    Value proto = js_get_prototype_from_ctor(rt, new_target, JS_INTR_StringPrototype);
    if (val_is_exception(proto)) return proto;
    if (obj_set_prototype_of(rt, val_to_object(o), proto) == OBJ_ERROR) return VAL_EXCEPTION;
  }
  return o;
}

NATIVE(string_from_char_code) {
  StrBuilder b;
  str_builder_init(&b, rt);
  for (int i = 0; i < argc; i++) {
    uint32_t u;
    if (!js_to_uint32(rt, ARG(i), &u) || !str_builder_append_char(&b, (uint16_t)u)) {
      str_builder_free(&b);
      return VAL_EXCEPTION;
    }
  }
  return str_builder_finish(&b);
}

NATIVE(string_from_code_point) {
  StrBuilder b;
  str_builder_init(&b, rt);
  for (int i = 0; i < argc; i++) {
    double d;
    if (!js_to_number(rt, ARG(i), &d)) goto fail;
    if (d != trunc(d) || d < 0 || d > 0x10FFFF) {
      js_throw(rt, ERR_RangeError, "Invalid code point %g", d);
      goto fail;
    }
    if (!str_builder_append_code_point(&b, (uint32_t)d)) goto fail;
  }
  return str_builder_finish(&b);
fail:
  str_builder_free(&b);
  return VAL_EXCEPTION;
}

/* thisStringValue for toString/valueOf. */
NATIVE(proto_value_of) {
  UNUSED, (void)argv;
  if (str_is_string(this_val)) return this_val;
  if (val_is_object(this_val)) {
    Object *o = val_to_object(this_val);
    if (obj_n_internal(o) == 1 && (obj_class(o) == OBJ_CLASS_Object || obj_class(o) == OBJ_CLASS_String) &&
        str_is_string(obj_get_internal(o, 0)))
      return obj_get_internal(o, 0);
  }
  return js_throw(rt, ERR_TypeError, "String.prototype.valueOf requires that 'this' be a String");
}

/* charAt (0), charCodeAt (1), codePointAt (2), at (3). */
NATIVE(proto_char_at) {
  Value s = this_str(rt, this_val);
  if (val_is_exception(s)) return s;
  double pos;
  if (!js_to_integer_or_infinity(rt, ARG(0), &pos)) return VAL_EXCEPTION;
  double len = str_length(s);
  if (magic == 3 && pos < 0) pos += len;
  if (pos < 0 || pos >= len) {
    if (magic == 0) return str_empty(rt);
    return magic == 1 ? val_from_double(NAN) : VAL_UNDEFINED;
  }
  int32_t c = magic == 2 ? str_code_point_at(rt, s, (uint32_t)pos) : str_char_at(rt, s, (uint32_t)pos);
  if (c < 0) return VAL_EXCEPTION;
  if (magic == 1 || magic == 2) return val_from_int(c);
  return str_from_char(rt, (uint16_t)c);
}

/* IsRegExp: Symbol.match decides when present, else [[RegExpMatcher]]. */
static bool is_regexp(Runtime *rt, Value v, bool *out) {
  *out = false;
  if (!val_is_object(v)) return true;
  Value m = js_get(rt, v, sym_well_known(rt, SYM_match));
  if (val_is_exception(m)) return false;
  *out = val_is_undefined(m) ? obj_class(val_to_object(v)) == OBJ_CLASS_RegExp : js_to_boolean(m);
  return true;
}

NATIVE(proto_index_of) {
  UNUSED;
  Value s = this_str(rt, this_val);
  if (val_is_exception(s)) return s;
  Value search = js_to_string(rt, ARG(0));
  if (val_is_exception(search)) return search;
  double pos;
  if (!js_to_integer_or_infinity(rt, ARG(1), &pos)) return VAL_EXCEPTION;
  double len = str_length(s);
  pos = pos < 0 ? 0 : pos > len ? len : pos;
  int32_t out;
  if (!str_index_of(rt, s, search, (uint32_t)pos, &out)) return VAL_EXCEPTION;
  return val_from_int(out);
}

NATIVE(proto_last_index_of) {
  UNUSED;
  Value s = this_str(rt, this_val);
  if (val_is_exception(s)) return s;
  Value search = js_to_string(rt, ARG(0));
  if (val_is_exception(search)) return search;
  double num;
  if (!js_to_number(rt, ARG(1), &num)) return VAL_EXCEPTION;
  double len = str_length(s), pos = num != num ? INFINITY : trunc(num);
  pos = pos < 0 ? 0 : pos > len ? len : pos;
  int32_t out;
  if (!str_last_index_of(rt, s, search, (uint32_t)pos, &out)) return VAL_EXCEPTION;
  return val_from_int(out);
}

/* includes (0), startsWith (1), endsWith (2). */
NATIVE(proto_includes) {
  Value s = this_str(rt, this_val);
  if (val_is_exception(s)) return s;
  bool re;
  if (!is_regexp(rt, ARG(0), &re)) return VAL_EXCEPTION;
  if (re) return js_throw(rt, ERR_TypeError, "First argument must not be a regular expression");
  Value search = js_to_string(rt, ARG(0));
  if (val_is_exception(search)) return search;
  uint32_t len = str_length(s), slen = str_length(search);
  double pos;
  if (magic == 2 && val_is_undefined(ARG(1))) pos = len;
  else if (!js_to_integer_or_infinity(rt, ARG(1), &pos)) return VAL_EXCEPTION;
  pos = pos < 0 ? 0 : pos > len ? len : pos;
  uint32_t p = (uint32_t)pos;
  if (magic == 0) {
    int32_t out;
    if (!str_index_of(rt, s, search, p, &out)) return VAL_EXCEPTION;
    return val_from_bool(out >= 0);
  }
  uint32_t start = magic == 1 ? p : p - (slen <= p ? slen : p);
  if (magic == 2 && slen > p) return VAL_FALSE;
  if (start + slen > len) return VAL_FALSE;
  Value sub = str_substring(rt, s, start, start + slen);
  bool eq;
  if (val_is_exception(sub) || !str_equals(rt, sub, search, &eq)) return VAL_EXCEPTION;
  return val_from_bool(eq);
}

NATIVE(proto_slice) {
  UNUSED;
  Value s = this_str(rt, this_val);
  if (val_is_exception(s)) return s;
  uint64_t len = str_length(s), from, to;
  if (!bi_relative_index(rt, ARG(0), len, 0, &from) || !bi_relative_index(rt, ARG(1), len, len, &to))
    return VAL_EXCEPTION;
  if (from >= to) return str_empty(rt);
  return str_substring(rt, s, (uint32_t)from, (uint32_t)to);
}

static bool clamp_arg(Runtime *rt, Value v, double len, double dflt, double *out) {
  if (val_is_undefined(v)) {
    *out = dflt;
    return true;
  }
  if (!js_to_integer_or_infinity(rt, v, out)) return false;
  *out = *out < 0 ? 0 : *out > len ? len : *out;
  return true;
}

NATIVE(proto_substring) {
  UNUSED;
  Value s = this_str(rt, this_val);
  if (val_is_exception(s)) return s;
  double len = str_length(s), a, b;
  if (!clamp_arg(rt, ARG(0), len, 0, &a) || !clamp_arg(rt, ARG(1), len, len, &b))
    return VAL_EXCEPTION;
  if (a > b) {
    double t = a;
    a = b;
    b = t;
  }
  return str_substring(rt, s, (uint32_t)a, (uint32_t)b);
}

NATIVE(proto_substr) {
  UNUSED;
  Value s = this_str(rt, this_val);
  if (val_is_exception(s)) return s;
  uint64_t len = str_length(s), start;
  if (!bi_relative_index(rt, ARG(0), len, 0, &start)) return VAL_EXCEPTION;
  double n;
  if (val_is_undefined(ARG(1))) n = (double)len;
  else if (!js_to_integer_or_infinity(rt, ARG(1), &n)) return VAL_EXCEPTION;
  double end = fmin(fmax((double)start + n, (double)start), (double)len);
  if (end <= (double)start) return str_empty(rt);
  return str_substring(rt, s, (uint32_t)start, (uint32_t)end);
}

/* toUpperCase (0), toLowerCase (1). */
NATIVE(proto_case) {
  UNUSED, (void)argv;
  Value s = this_str(rt, this_val);
  if (val_is_exception(s)) return s;
  return magic & 1 ? str_to_lower(rt, s, NULL) : str_to_upper(rt, s, NULL);
}

/* trim (3), trimStart (1), trimEnd (2). */
NATIVE(proto_trim) {
  Value s = this_flat(rt, this_val);
  if (val_is_exception(s)) return s;
  StrChars c = str_chars(s);
  uint32_t a = 0, b = c.length;
  if (magic & 1)
    while (a < b && is_js_space(str_chars_at(&c, a))) a++;
  if (magic & 2)
    while (b > a && is_js_space(str_chars_at(&c, b - 1))) b--;
  return str_substring(rt, s, a, b);
}

/* padStart (0), padEnd (1). */
NATIVE(proto_pad) {
  Value s = this_str(rt, this_val);
  if (val_is_exception(s)) return s;
  uint64_t max;
  if (!js_to_length(rt, ARG(0), &max)) return VAL_EXCEPTION;
  uint32_t len = str_length(s);
  if (max <= len) return s;
  Value fill = val_is_undefined(ARG(1)) ? str_from_char(rt, ' ') : js_to_string(rt, ARG(1));
  if (val_is_exception(fill)) return fill;
  if (str_length(fill) == 0) return s;
  if (max > STR_MAX_LENGTH) return js_throw(rt, ERR_RangeError, "Invalid string length");
  uint32_t need = (uint32_t)max - len, flen = str_length(fill);
  StrBuilder b;
  str_builder_init(&b, rt);
  bool ok = !magic || str_builder_append_string(&b, s);
  for (uint32_t done = 0; ok && done < need; done += flen)
    ok = str_builder_append_substring(&b, fill, 0, need - done < flen ? need - done : flen);
  ok = ok && (magic || str_builder_append_string(&b, s));
  if (!ok) {
    str_builder_free(&b);
    return VAL_EXCEPTION;
  }
  return str_builder_finish(&b);
}

NATIVE(proto_repeat) {
  UNUSED;
  Value s = this_str(rt, this_val);
  if (val_is_exception(s)) return s;
  double n;
  if (!js_to_integer_or_infinity(rt, ARG(0), &n)) return VAL_EXCEPTION;
  if (n < 0 || n == INFINITY) return js_throw(rt, ERR_RangeError, "Invalid count value: %g", n);
  if (n == 0 || str_length(s) == 0) return str_empty(rt);
  if (n * str_length(s) > STR_MAX_LENGTH) return js_throw(rt, ERR_RangeError, "Invalid string length");
  StrBuilder b;
  str_builder_init(&b, rt);
  for (double i = 0; i < n; i++)
    if (!str_builder_append_string(&b, s)) {
      str_builder_free(&b);
      return VAL_EXCEPTION;
    }
  return str_builder_finish(&b);
}

NATIVE(proto_concat) {
  Value s = this_str(rt, this_val);
  for (int i = 0; i < argc && !val_is_exception(s); i++) {
    Value t = js_to_string(rt, ARG(i));
    s = val_is_exception(t) ? t : str_concat(rt, s, t);
  }
  return s;
}

/* GetSubstitution for a string pattern (no captures): $$, $&, $`, $'. */
static bool append_substitution(StrBuilder *b, Value str, Value matched, uint32_t position,
                                Value tmpl) {
  Value t = str_flatten(b->rt, tmpl);
  if (val_is_exception(t)) return false;
  uint32_t n = str_length(t), mlen = str_length(matched), slen = str_length(str);
  uint32_t run = 0;
  for (uint32_t i = 0; i < n; i++) {
    StrChars c = str_chars(t);
    if (str_chars_at(&c, i) != '$' || i + 1 >= n) continue;
    uint16_t next = str_chars_at(&c, i + 1);
    bool ok;
    if (next == '$') ok = str_builder_append_substring(b, t, run, i) && str_builder_append_char(b, '$');
    else if (next == '&')
      ok = str_builder_append_substring(b, t, run, i) && str_builder_append_string(b, matched);
    else if (next == '`')
      ok = str_builder_append_substring(b, t, run, i) && str_builder_append_substring(b, str, 0, position);
    else if (next == '\'')
      ok = str_builder_append_substring(b, t, run, i) &&
           str_builder_append_substring(b, str, position + mlen < slen ? position + mlen : slen, slen);
    else continue;
    if (!ok) return false;
    i++;
    run = i + 1;
  }
  return str_builder_append_substring(b, t, run, n);
}

/* replace (0), replaceAll (1) with a string pattern; patterns with a
 * Symbol.replace method (RegExps) are handed to it. */
NATIVE(proto_replace) {
  if (val_is_nullish(this_val))
    return js_throw(rt, ERR_TypeError, "String.prototype.replace called on null or undefined");
  Value search = ARG(0), repl = ARG(1);
  /* Only objects are asked for Symbol.replace (primitives' prototypes are not). */
  bool re;
  if (val_is_object(search)) {
    if (magic == 1 && !is_regexp(rt, search, &re)) return VAL_EXCEPTION;
    if (magic == 1 && re) {
      Value flags = js_get(rt, search, atom_from_cstr(rt, "flags"));
      if (val_is_exception(flags)) return flags;
      if (val_is_nullish(flags)) return js_throw(rt, ERR_TypeError, "flags is null or undefined");
      Value fs = js_to_string(rt, flags);
      int32_t at;
      Value g = str_from_char(rt, 'g');
      if (val_is_exception(fs) || val_is_exception(g) || !str_index_of(rt, fs, g, 0, &at))
        return VAL_EXCEPTION;
      if (at < 0)
        return js_throw(rt, ERR_TypeError, "replaceAll must be called with a global RegExp");
    }
    Value replacer = js_get(rt, search, sym_well_known(rt, SYM_replace));
    if (val_is_exception(replacer)) return replacer;
    if (!val_is_nullish(replacer)) {
      Value args[2] = {this_val, repl};
      return js_call(rt, replacer, search, 2, args);
    }
  }
  Value str = js_to_string(rt, this_val);
  if (val_is_exception(str)) return str;
  Value pat = js_to_string(rt, search);
  if (val_is_exception(pat)) return pat;
  bool functional = js_is_callable(repl);
  if (!functional) {
    repl = js_to_string(rt, repl);
    if (val_is_exception(repl)) return repl;
  }
  uint32_t plen = str_length(pat), slen = str_length(str), advance = plen ? plen : 1;
  /* Match positions go into a JS array (kept reachable, and the list is
   * complete before any replacer runs, as the spec orders it). */
  Value positions = js_array_new(rt, 0, NULL);
  if (val_is_exception(positions)) return positions;
  int32_t pos;
  if (!str_index_of(rt, str, pat, 0, &pos)) return VAL_EXCEPTION;
  while (pos >= 0) {
    if (!js_array_push(rt, val_to_object(positions), val_from_int(pos))) return VAL_EXCEPTION;
    if (magic == 0 || (uint32_t)pos + advance > slen) break;
    if (!str_index_of(rt, str, pat, (uint32_t)pos + advance, &pos)) return VAL_EXCEPTION;
  }
  Object *po = val_to_object(positions);
  if (po->length == 0) return str;
  StrBuilder b;
  str_builder_init(&b, rt);
  uint32_t end = 0;
  for (uint32_t i = 0; i < po->length; i++) {
    uint32_t p = (uint32_t)val_to_int(po->elements->v[i]);
    if (!str_builder_append_substring(&b, str, end, p)) goto fail;
    if (functional) {
      Value args[3] = {pat, val_from_int((int32_t)p), str};
      Value r = js_call(rt, repl, VAL_UNDEFINED, 3, args);
      if (val_is_exception(r) || val_is_exception(r = js_to_string(rt, r)) ||
          !str_builder_append_string(&b, r))
        goto fail;
    } else if (!append_substitution(&b, str, pat, p, repl)) {
      goto fail;
    }
    end = p + plen;
  }
  if (!str_builder_append_substring(&b, str, end, slen)) goto fail;
  return str_builder_finish(&b);
fail:
  str_builder_free(&b);
  return VAL_EXCEPTION;
}

NATIVE(string_raw) {
  Value cooked = js_to_object(rt, ARG(0));
  if (val_is_exception(cooked)) return cooked;
  Value raw = js_get(rt, cooked, atom_from_cstr(rt, "raw"));
  if (val_is_exception(raw) || val_is_exception(raw = js_to_object(rt, raw))) return VAL_EXCEPTION;
  uint64_t len;
  if (!bi_length(rt, raw, &len)) return VAL_EXCEPTION;
  StrBuilder b;
  str_builder_init(&b, rt);
  for (uint64_t i = 0; i < len; i++) {
    Value seg = bi_get_index(rt, raw, i);
    if (val_is_exception(seg) || val_is_exception(seg = js_to_string(rt, seg)) ||
        !str_builder_append_string(&b, seg))
      goto fail;
    if (i + 1 < len && (int)i + 1 < argc) {
      Value sub = js_to_string(rt, argv[i + 1]);
      if (val_is_exception(sub) || !str_builder_append_string(&b, sub)) goto fail;
    }
  }
  return str_builder_finish(&b);
fail:
  str_builder_free(&b);
  return VAL_EXCEPTION;
}

NATIVE(proto_split) {
  UNUSED;
  if (val_is_nullish(this_val))
    return js_throw(rt, ERR_TypeError, "String.prototype.split called on null or undefined");
  Value sep = ARG(0), limit = ARG(1);
  if (val_is_object(sep)) {
    Value splitter = js_get(rt, sep, sym_well_known(rt, SYM_split));
    if (val_is_exception(splitter)) return splitter;
    if (!val_is_nullish(splitter)) {
      Value args[2] = {this_val, limit};
      return js_call(rt, splitter, sep, 2, args);
    }
  }
  Value s = js_to_string(rt, this_val);
  if (val_is_exception(s)) return s;
  uint32_t lim = UINT32_MAX;
  if (!val_is_undefined(limit) && !js_to_uint32(rt, limit, &lim)) return VAL_EXCEPTION;
  Value r = js_to_string(rt, sep);
  if (val_is_exception(r)) return r;
  Value a = js_array_new(rt, 0, NULL);
  if (val_is_exception(a)) return a;
  Object *ao = val_to_object(a);
  if (lim == 0) return a;
  if (val_is_undefined(sep)) return js_array_push(rt, ao, s) ? a : VAL_EXCEPTION;
  uint32_t len = str_length(s), rlen = str_length(r);
  if (rlen == 0) {
    for (uint32_t i = 0; i < len && ao->length < lim; i++) {
      Value ch = str_substring(rt, s, i, i + 1);
      if (val_is_exception(ch) || !js_array_push(rt, ao, ch)) return VAL_EXCEPTION;
    }
    return a;
  }
  if (len == 0) return js_array_push(rt, ao, s) ? a : VAL_EXCEPTION;
  uint32_t p = 0;
  for (;;) {
    int32_t q;
    if (!str_index_of(rt, s, r, p, &q)) return VAL_EXCEPTION;
    if (q < 0) break;
    Value part = str_substring(rt, s, p, (uint32_t)q);
    if (val_is_exception(part) || !js_array_push(rt, ao, part)) return VAL_EXCEPTION;
    if (ao->length >= lim) return a;
    p = (uint32_t)q + rlen;
  }
  Value tail = str_substring(rt, s, p, len);
  if (val_is_exception(tail) || !js_array_push(rt, ao, tail)) return VAL_EXCEPTION;
  return a;
}

NATIVE(proto_locale_compare) {
  UNUSED;
  Value s = this_str(rt, this_val);
  if (val_is_exception(s)) return s;
  Value t = js_to_string(rt, ARG(0));
  if (val_is_exception(t)) return t;
  /* Canonically equivalent strings compare equal: compare NFC forms (code
   * unit order stands in for a collation until Intl arrives). */
  s = str_normalize(rt, s, STR_NFC);
  if (!val_is_exception(s)) t = str_normalize(rt, t, STR_NFC);
  if (val_is_exception(s) || val_is_exception(t)) return VAL_EXCEPTION;
  int out;
  if (!str_compare(rt, s, t, &out)) return VAL_EXCEPTION;
  return val_from_int(out < 0 ? -1 : out > 0);
}

NATIVE(proto_normalize) {
  UNUSED;
  Value s = this_str(rt, this_val);
  if (val_is_exception(s)) return s;
  StrNormForm form = STR_NFC;
  if (!val_is_undefined(ARG(0))) {
    Value f = js_to_string(rt, ARG(0));
    if (val_is_exception(f)) return f;
    char buf[8];
    str_to_utf8_buf(rt, f, buf, sizeof buf);
    if (str_length(f) == 3 && !strcmp(buf, "NFC")) form = STR_NFC;
    else if (str_length(f) == 3 && !strcmp(buf, "NFD")) form = STR_NFD;
    else if (str_length(f) == 4 && !strcmp(buf, "NFKC")) form = STR_NFKC;
    else if (str_length(f) == 4 && !strcmp(buf, "NFKD")) form = STR_NFKD;
    else return js_throw(rt, ERR_RangeError, "The normalization form should be one of NFC, NFD, NFKC, NFKD.");
  }
  return str_normalize(rt, s, form);
}

/* isWellFormed (0), toWellFormed (1): lone surrogates. */
NATIVE(proto_well_formed) {
  Value s = this_flat(rt, this_val);
  if (val_is_exception(s)) return s;
  StrChars c = str_chars(s);
  if (c.latin1) return magic ? s : VAL_TRUE;
  uint32_t n = c.length;
  bool well = true;
  for (uint32_t i = 0; i < n && well; i++) {
    uint16_t u = c.utf16[i];
    if (u >= 0xD800 && u <= 0xDBFF && i + 1 < n && c.utf16[i + 1] >= 0xDC00 && c.utf16[i + 1] <= 0xDFFF)
      i++;
    else if (u >= 0xD800 && u <= 0xDFFF)
      well = false;
  }
  if (!magic) return val_from_bool(well);
  if (well) return s;
  StrBuilder b;
  str_builder_init(&b, rt);
  for (uint32_t i = 0; i < n; i++) {
    c = str_chars(s); /* the builder may allocate */
    uint16_t u = c.utf16[i];
    bool ok;
    if (u >= 0xD800 && u <= 0xDBFF && i + 1 < n && c.utf16[i + 1] >= 0xDC00 && c.utf16[i + 1] <= 0xDFFF) {
      ok = str_builder_append_char(&b, u) && str_builder_append_char(&b, c.utf16[i + 1]);
      i++;
    } else {
      ok = str_builder_append_char(&b, u >= 0xD800 && u <= 0xDFFF ? 0xFFFD : u);
    }
    if (!ok) {
      str_builder_free(&b);
      return VAL_EXCEPTION;
    }
  }
  return str_builder_finish(&b);
}

/* --- iteration --------------------------------------------------------------------------- */

enum { SI_STRING, SI_POS, SI_COUNT };

NATIVE(proto_iterator) {
  UNUSED, (void)argv;
  Value s = this_str(rt, this_val);
  if (val_is_exception(s)) return s;
  Object *it = obj_new_ex(rt, js_realm(rt)->intrinsics[JS_INTR_StringIteratorPrototype],
                          OBJ_CLASS_StringIterator, SI_COUNT, 0);
  if (!it) return VAL_EXCEPTION;
  obj_set_internal(rt, it, SI_STRING, s);
  obj_set_internal(rt, it, SI_POS, val_from_int(0));
  return obj_value(it);
}

NATIVE(string_iter_next) {
  UNUSED, (void)argv;
  if (!val_is_object(this_val) || obj_class(val_to_object(this_val)) != OBJ_CLASS_StringIterator)
    return js_throw(rt, ERR_TypeError, "next method called on incompatible receiver");
  Object *it = val_to_object(this_val);
  Value s = obj_get_internal(it, SI_STRING);
  if (val_is_undefined(s)) return bi_iter_result(rt, VAL_UNDEFINED, true);
  uint32_t pos = (uint32_t)val_to_int(obj_get_internal(it, SI_POS));
  if (pos >= str_length(s)) {
    obj_set_internal(rt, it, SI_STRING, VAL_UNDEFINED);
    return bi_iter_result(rt, VAL_UNDEFINED, true);
  }
  int32_t cp = str_code_point_at(rt, s, pos);
  if (cp < 0) return VAL_EXCEPTION;
  uint32_t n = cp > 0xFFFF ? 2 : 1;
  obj_set_internal(rt, it, SI_POS, val_from_int((int32_t)(pos + n)));
  Value ch = str_substring(rt, s, pos, pos + n);
  if (val_is_exception(ch)) return ch;
  return bi_iter_result(rt, ch, false);
}

typedef struct MethodDef {
  const char *name;
  JsNativeFn fn;
  int length, magic;
} MethodDef;

static const MethodDef proto_methods[] = {
    {"toString", proto_value_of, 0, 0},
    {"valueOf", proto_value_of, 0, 0},
    {"charAt", proto_char_at, 1, 0},
    {"charCodeAt", proto_char_at, 1, 1},
    {"codePointAt", proto_char_at, 1, 2},
    {"at", proto_char_at, 1, 3},
    {"indexOf", proto_index_of, 1, 0},
    {"lastIndexOf", proto_last_index_of, 1, 0},
    {"includes", proto_includes, 1, 0},
    {"startsWith", proto_includes, 1, 1},
    {"endsWith", proto_includes, 1, 2},
    {"slice", proto_slice, 2, 0},
    {"substring", proto_substring, 2, 0},
    {"substr", proto_substr, 2, 0},
    {"toUpperCase", proto_case, 0, 0},
    {"toLowerCase", proto_case, 0, 1},
    {"toLocaleUpperCase", proto_case, 0, 0},
    {"toLocaleLowerCase", proto_case, 0, 1},
    {"trim", proto_trim, 0, 3},
    {"trimStart", proto_trim, 0, 1},
    {"trimEnd", proto_trim, 0, 2},
    {"padStart", proto_pad, 1, 0},
    {"padEnd", proto_pad, 1, 1},
    {"repeat", proto_repeat, 1, 0},
    {"concat", proto_concat, 1, 0},
    {"split", proto_split, 2, 0},
    {"replace", proto_replace, 2, 0},
    {"replaceAll", proto_replace, 2, 1},
    {"localeCompare", proto_locale_compare, 1, 0},
    {"normalize", proto_normalize, 0, 0},
    {"isWellFormed", proto_well_formed, 0, 0},
    {"toWellFormed", proto_well_formed, 0, 1},
};

bool js_builtins_string(Runtime *rt, JsRealm *realm) {
  /* String.prototype is itself a String object whose value is "". */
  Object *proto = obj_new_ex(rt, realm->intrinsics[JS_INTR_ObjectPrototype], OBJ_CLASS_Object, 1, 4);
  if (!proto) return false;
  Value pv = obj_value(proto);
  obj_set_internal(rt, proto, 0, str_empty(rt));
  if (obj_define_value(rt, proto, atom_well_known(rt, ATOM_length), val_from_int(0), 0) == OBJ_ERROR)
    return false;
  realm->intrinsics[JS_INTR_StringPrototype] = pv;
  Value ctor = bi_ctor(rt, realm, "String", string_ctor, 1, 0, pv);
  if (val_is_exception(ctor)) return false;
  if (!js_define_method(rt, ctor, "fromCharCode", string_from_char_code, 1, 0) ||
      !js_define_method(rt, ctor, "fromCodePoint", string_from_code_point, 1, 0) ||
      !js_define_method(rt, ctor, "raw", string_raw, 1, 0))
    return false;
  for (size_t i = 0; i < sizeof proto_methods / sizeof *proto_methods; i++)
    if (!js_define_method(rt, pv, proto_methods[i].name, proto_methods[i].fn,
                          proto_methods[i].length, proto_methods[i].magic))
      return false;
  if (!bi_define_symbol_method(rt, pv, SYM_iterator, "[Symbol.iterator]", proto_iterator, 0,
                               BI_ATTR_METHOD))
    return false;
  Object *sip = obj_new(rt, realm->intrinsics[JS_INTR_IteratorPrototype], OBJ_CLASS_Object, 2);
  if (!sip) return false;
  Value sipv = obj_value(sip);
  realm->intrinsics[JS_INTR_StringIteratorPrototype] = sipv;
  if (!js_define_method(rt, sipv, "next", string_iter_next, 0, 0) ||
      !bi_to_string_tag(rt, sipv, "String Iterator"))
    return false;
  return bi_global(rt, realm, "String", ctor);
}
