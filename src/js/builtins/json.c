/* json.c: the JSON object: JSON.parse (with a reviver) and JSON.stringify
 * (replacer function or property list, indentation, toJSON, cycle
 * detection, well-formed escaping). Installed by js_builtins_global. */
#include <stdlib.h>
#include <string.h>

#include "js/builtins/builtins.h"

#define NATIVE(name)                                                                               \
  static Value name(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,         \
                    Value new_target, int magic)

/* --- parse ------------------------------------------------------------------------------- */

typedef struct JsonParser {
  Runtime *rt;
  Value text; /* flat string */
  uint32_t pos, len;
} JsonParser;

static uint16_t jp_peek(JsonParser *p) {
  StrChars c = str_chars(p->text);
  return p->pos < p->len ? str_chars_at(&c, p->pos) : 0;
}

static void jp_skip_ws(JsonParser *p) {
  StrChars c = str_chars(p->text);
  while (p->pos < p->len) {
    uint16_t u = str_chars_at(&c, p->pos);
    if (u != ' ' && u != '\t' && u != '\n' && u != '\r') break;
    p->pos++;
  }
}

static Value jp_error(JsonParser *p, const char *what) {
  if (p->pos >= p->len)
    return js_throw(p->rt, ERR_SyntaxError, "Unexpected end of JSON input");
  return js_throw(p->rt, ERR_SyntaxError, "%s in JSON at position %u", what, p->pos);
}

static Value jp_string(JsonParser *p) {
  p->pos++; /* opening quote */
  StrBuilder b;
  str_builder_init(&b, p->rt);
  uint32_t run = p->pos;
  for (;;) {
    StrChars c = str_chars(p->text);
    if (p->pos >= p->len) goto bad;
    uint16_t u = str_chars_at(&c, p->pos);
    if (u == '"') {
      if (!str_builder_append_substring(&b, p->text, run, p->pos)) goto fail;
      p->pos++;
      return str_builder_finish(&b);
    }
    if (u < 0x20) goto bad;
    if (u != '\\') {
      p->pos++;
      continue;
    }
    if (!str_builder_append_substring(&b, p->text, run, p->pos)) goto fail;
    if (p->pos + 1 >= p->len) goto bad;
    uint16_t e = str_chars_at(&c, p->pos + 1), out;
    p->pos += 2;
    switch (e) {
    case '"': out = '"'; break;
    case '\\': out = '\\'; break;
    case '/': out = '/'; break;
    case 'b': out = '\b'; break;
    case 'f': out = '\f'; break;
    case 'n': out = '\n'; break;
    case 'r': out = '\r'; break;
    case 't': out = '\t'; break;
    case 'u': {
      if (p->len - p->pos < 4) goto bad;
      out = 0;
      for (int i = 0; i < 4; i++) {
        uint16_t h = str_chars_at(&c, p->pos + (uint32_t)i);
        int v = h >= '0' && h <= '9' ? h - '0' : (h | 0x20) >= 'a' && (h | 0x20) <= 'f' ? (h | 0x20) - 'a' + 10 : -1;
        if (v < 0) goto bad;
        out = (uint16_t)(out << 4 | v);
      }
      p->pos += 4;
      break;
    }
    default: p->pos--; goto bad;
    }
    if (!str_builder_append_char(&b, out)) goto fail;
    run = p->pos;
  }
bad:
  jp_error(p, "Bad string");
fail:
  str_builder_free(&b);
  return VAL_EXCEPTION;
}

static Value jp_number(JsonParser *p) {
  StrChars c = str_chars(p->text);
  uint32_t start = p->pos;
  if (jp_peek(p) == '-') p->pos++;
  uint16_t u = jp_peek(p);
  if (u == '0') p->pos++;
  else if (u >= '1' && u <= '9')
    while (p->pos < p->len && str_chars_at(&c, p->pos) >= '0' && str_chars_at(&c, p->pos) <= '9') p->pos++;
  else return jp_error(p, "Unexpected token");
  if (jp_peek(p) == '.') {
    p->pos++;
    if (!(jp_peek(p) >= '0' && jp_peek(p) <= '9')) return jp_error(p, "Unterminated fractional number");
    while (jp_peek(p) >= '0' && jp_peek(p) <= '9') p->pos++;
  }
  if ((jp_peek(p) | 0x20) == 'e') {
    p->pos++;
    if (jp_peek(p) == '+' || jp_peek(p) == '-') p->pos++;
    if (!(jp_peek(p) >= '0' && jp_peek(p) <= '9')) return jp_error(p, "Exponent part is missing a number");
    while (jp_peek(p) >= '0' && jp_peek(p) <= '9') p->pos++;
  }
  uint32_t n = p->pos - start;
  char small[64], *buf = n < sizeof small ? small : malloc(n + 1);
  if (!buf) return js_throw(p->rt, ERR_InternalError, "out of memory");
  c = str_chars(p->text);
  for (uint32_t i = 0; i < n; i++) buf[i] = (char)str_chars_at(&c, start + i);
  buf[n] = '\0';
  double d = strtod(buf, NULL);
  if (buf != small) free(buf);
  return bi_number(d);
}

static bool jp_literal(JsonParser *p, const char *word) {
  size_t n = strlen(word);
  if (p->len - p->pos < n) return false;
  StrChars c = str_chars(p->text);
  for (size_t i = 0; i < n; i++)
    if (str_chars_at(&c, p->pos + (uint32_t)i) != (uint8_t)word[i]) return false;
  p->pos += (uint32_t)n;
  return true;
}

static Value jp_value(JsonParser *p) {
  Runtime *rt = p->rt;
  if (rt_check_stack(rt)) return VAL_EXCEPTION;
  jp_skip_ws(p);
  uint16_t u = jp_peek(p);
  if (u == '"') return jp_string(p);
  if (u == '-' || (u >= '0' && u <= '9')) return jp_number(p);
  if (u == 't' && jp_literal(p, "true")) return VAL_TRUE;
  if (u == 'f' && jp_literal(p, "false")) return VAL_FALSE;
  if (u == 'n' && jp_literal(p, "null")) return VAL_NULL;
  if (u == '[') {
    p->pos++;
    Value a = js_array_new(rt, 0, NULL);
    if (val_is_exception(a)) return a;
    jp_skip_ws(p);
    if (jp_peek(p) == ']') {
      p->pos++;
      return a;
    }
    for (;;) {
      Value v = jp_value(p);
      if (val_is_exception(v) || !bi_create_index(rt, a, val_to_object(a)->length, v)) return VAL_EXCEPTION;
      jp_skip_ws(p);
      u = jp_peek(p);
      p->pos++;
      if (u == ']') return a;
      if (u != ',') {
        p->pos--;
        return jp_error(p, "Unexpected token");
      }
    }
  }
  if (u == '{') {
    p->pos++;
    Object *o = obj_new(rt, js_realm(rt)->intrinsics[JS_INTR_ObjectPrototype], OBJ_CLASS_Object, 4);
    if (!o) return VAL_EXCEPTION;
    Value ov = obj_value(o);
    jp_skip_ws(p);
    if (jp_peek(p) == '}') {
      p->pos++;
      return ov;
    }
    for (;;) {
      jp_skip_ws(p);
      if (jp_peek(p) != '"') return jp_error(p, "Expected property name");
      Value k = jp_string(p);
      if (val_is_exception(k)) return k;
      Atom key = atom_from_string(rt, k);
      if (val_is_exception(key)) return key;
      jp_skip_ws(p);
      if (jp_peek(p) != ':') return jp_error(p, "Expected ':' after property name");
      p->pos++;
      Value v = jp_value(p);
      if (val_is_exception(v) || !js_create_data_property(rt, o, key, v)) return VAL_EXCEPTION;
      jp_skip_ws(p);
      u = jp_peek(p);
      p->pos++;
      if (u == '}') return ov;
      if (u != ',') {
        p->pos--;
        return jp_error(p, "Expected ',' or '}' after property value");
      }
    }
  }
  return jp_error(p, "Unexpected token");
}

/* InternalizeJSONProperty. */
static Value internalize(Runtime *rt, Value holder, Value name, Value reviver) {
  if (rt_check_stack(rt)) return VAL_EXCEPTION;
  Value val = js_get_v(rt, holder, name);
  if (val_is_exception(val)) return val;
  if (val_is_object(val)) {
    if (obj_class(val_to_object(val)) == OBJ_CLASS_Array) {
      uint64_t len;
      if (!bi_length(rt, val, &len)) return VAL_EXCEPTION;
      for (uint64_t i = 0; i < len; i++) {
        Atom key = bi_index_atom(rt, i);
        Value e = val_is_exception(key) ? key : internalize(rt, val, key, reviver);
        if (val_is_exception(e)) return e;
        /* [[Delete]] and CreateDataProperty: a refusal is not an error. */
        bool out;
        if (val_is_undefined(e)) {
          if (!js_delete(rt, val, key, false, &out)) return VAL_EXCEPTION;
        } else {
          PropertyDescriptor d = pd_data(e, PROP_WRITABLE | PROP_ENUMERABLE | PROP_CONFIGURABLE);
          if (obj_define_own_property(rt, val_to_object(val), key, &d) == OBJ_ERROR) return VAL_EXCEPTION;
        }
      }
    } else {
      uint32_t count;
      GCValueArray *keys = obj_own_keys(rt, val_to_object(val), OBJ_KEYS_STRINGS | OBJ_KEYS_ENUMERABLE_ONLY, &count);
      if (!keys) return VAL_EXCEPTION;
      Value keys_v = val_from_ptr(keys);
      for (uint32_t i = 0; i < count; i++) {
        Atom k = ((GCValueArray *)val_to_ptr(keys_v))->v[i];
        Value e = internalize(rt, val, k, reviver);
        if (val_is_exception(e)) return e;
        bool out;
        if (val_is_undefined(e)) {
          if (!js_delete(rt, val, k, false, &out)) return VAL_EXCEPTION;
        } else {
          PropertyDescriptor d = pd_data(e, PROP_WRITABLE | PROP_ENUMERABLE | PROP_CONFIGURABLE);
          if (obj_define_own_property(rt, val_to_object(val), k, &d) == OBJ_ERROR) return VAL_EXCEPTION;
        }
      }
    }
  }
  Value key = str_is_string(name) ? name : js_to_string(rt, name);
  if (val_is_exception(key)) return key;
  Value args[2] = {key, val};
  return js_call(rt, reviver, holder, 2, args);
}

NATIVE(json_parse) {
  Value text = js_to_string(rt, ARG(0));
  if (!val_is_exception(text)) text = str_flatten(rt, text);
  if (val_is_exception(text)) return text;
  JsonParser p = {rt, text, 0, str_length(text)};
  Value v = jp_value(&p);
  if (val_is_exception(v)) return v;
  jp_skip_ws(&p);
  if (p.pos < p.len) return jp_error(&p, "Unexpected non-whitespace character after JSON");
  if (!js_is_callable(ARG(1))) return v;
  Object *root = obj_new(rt, js_realm(rt)->intrinsics[JS_INTR_ObjectPrototype], OBJ_CLASS_Object, 1);
  if (!root) return VAL_EXCEPTION;
  Value rv = obj_value(root);
  if (!js_create_data_property(rt, root, atom_well_known(rt, ATOM_empty), v)) return VAL_EXCEPTION;
  return internalize(rt, rv, atom_well_known(rt, ATOM_empty), ARG(1));
}

/* --- stringify --------------------------------------------------------------------------- */

typedef struct JsonWriter {
  Runtime *rt;
  StrBuilder b;
  Value replacer;  /* function or undefined */
  Value keys;      /* property list (array of strings) or undefined */
  Value gap;       /* string */
  Value stack;     /* array of the objects being serialized */
  uint32_t depth;
} JsonWriter;

static bool quote(StrBuilder *b, Value s) {
  Value f = str_flatten(b->rt, s);
  if (val_is_exception(f) || !str_builder_append_char(b, '"')) return false;
  uint32_t n = str_length(f), run = 0;
  for (uint32_t i = 0; i < n; i++) {
    StrChars c = str_chars(f);
    uint16_t u = str_chars_at(&c, i);
    const char *esc = NULL;
    char buf[8];
    switch (u) {
    case '"': esc = "\\\""; break;
    case '\\': esc = "\\\\"; break;
    case '\b': esc = "\\b"; break;
    case '\f': esc = "\\f"; break;
    case '\n': esc = "\\n"; break;
    case '\r': esc = "\\r"; break;
    case '\t': esc = "\\t"; break;
    default:
      if (u < 0x20) {
        snprintf(buf, sizeof buf, "\\u%04x", u);
        esc = buf;
      } else if (u >= 0xD800 && u <= 0xDFFF) {
        bool paired = u <= 0xDBFF ? i + 1 < n && str_chars_at(&c, i + 1) >= 0xDC00 &&
                                        str_chars_at(&c, i + 1) <= 0xDFFF
                                  : i > 0 && str_chars_at(&c, i - 1) >= 0xD800 &&
                                        str_chars_at(&c, i - 1) <= 0xDBFF;
        if (!paired) {
          snprintf(buf, sizeof buf, "\\u%04x", u);
          esc = buf;
        }
      }
    }
    if (!esc) continue;
    if (!str_builder_append_substring(b, f, run, i) || !str_builder_append_cstr(b, esc)) return false;
    run = i + 1;
  }
  return str_builder_append_substring(b, f, run, n) && str_builder_append_char(b, '"');
}

static bool newline_indent(JsonWriter *w) {
  if (str_length(w->gap) == 0) return true;
  if (!str_builder_append_char(&w->b, '\n')) return false;
  for (uint32_t i = 0; i < w->depth; i++)
    if (!str_builder_append_string(&w->b, w->gap)) return false;
  return true;
}

static int serialize(JsonWriter *w, Value holder, Value key);

static bool enter(JsonWriter *w, Value v) {
  Object *st = val_to_object(w->stack);
  for (uint32_t i = 0; i < st->length; i++)
    if (st->elements->v[i] == v) {
      js_throw(w->rt, ERR_TypeError, "Converting circular structure to JSON");
      return false;
    }
  if (rt_check_stack(w->rt)) return false;
  w->depth++;
  return js_array_push(w->rt, st, v);
}

static void leave(JsonWriter *w) {
  Object *st = val_to_object(w->stack);
  w->depth--;
  obj_array_set_length(w->rt, st, st->length - 1);
}

static int serialize_object(JsonWriter *w, Value v) {
  Runtime *rt = w->rt;
  if (!enter(w, v)) return -1;
  Value keys = w->keys;
  if (val_is_undefined(keys)) {
    uint32_t count;
    GCValueArray *ks = obj_own_keys(rt, val_to_object(v), OBJ_KEYS_STRINGS | OBJ_KEYS_ENUMERABLE_ONLY, &count);
    if (!ks) return -1;
    Value kv = val_from_ptr(ks);
    keys = js_array_new(rt, count, ((GCValueArray *)val_to_ptr(kv))->v);
    if (val_is_exception(keys)) return -1;
  }
  if (!str_builder_append_char(&w->b, '{')) return -1;
  bool any = false;
  for (uint32_t i = 0; i < val_to_object(keys)->length; i++) {
    Value k = val_to_object(keys)->elements->v[i];
    uint32_t mark = w->b.length;
    if ((any && !str_builder_append_char(&w->b, ',')) || !newline_indent(w) || !quote(&w->b, k) ||
        !str_builder_append_char(&w->b, ':') ||
        (str_length(w->gap) && !str_builder_append_char(&w->b, ' ')))
      return -1;
    int r = serialize(w, v, k);
    if (r < 0) return -1;
    if (r == 0) w->b.length = mark; /* undefined: drop the member */
    else any = true;
  }
  leave(w);
  if (any && !newline_indent(w)) return -1;
  return str_builder_append_char(&w->b, '}') ? 1 : -1;
}

static int serialize_array(JsonWriter *w, Value v) {
  if (!enter(w, v)) return -1;
  uint64_t len;
  if (!bi_length(w->rt, v, &len) || !str_builder_append_char(&w->b, '[')) return -1;
  for (uint64_t i = 0; i < len; i++) {
    if ((i > 0 && !str_builder_append_char(&w->b, ',')) || !newline_indent(w)) return -1;
    int r = serialize(w, v, bi_index_key(i));
    if (r < 0) return -1;
    if (r == 0 && !str_builder_append_cstr(&w->b, "null")) return -1;
  }
  leave(w);
  if (len > 0 && !newline_indent(w)) return -1;
  return str_builder_append_char(&w->b, ']') ? 1 : -1;
}

/* SerializeJSONProperty: 1 written, 0 undefined (nothing written), -1 error. */
static int serialize(JsonWriter *w, Value holder, Value key) {
  Runtime *rt = w->rt;
  Value v = js_get_v(rt, holder, key);
  if (val_is_exception(v)) return -1;
  if (val_is_object(v)) {
    Value to_json = js_get(rt, v, atom_from_cstr(rt, "toJSON"));
    if (val_is_exception(to_json)) return -1;
    if (js_is_callable(to_json)) {
      Value ks = js_to_string(rt, key);
      if (val_is_exception(ks) || val_is_exception(v = js_call(rt, to_json, v, 1, &ks))) return -1;
    }
  }
  if (!val_is_undefined(w->replacer)) {
    Value args[2] = {js_to_string(rt, key), v};
    if (val_is_exception(args[0]) || val_is_exception(v = js_call(rt, w->replacer, holder, 2, args)))
      return -1;
  }
  if (val_is_object(v)) {
    Object *o = val_to_object(v);
    Value s = bi_wrapped_string(v);
    if (obj_class(o) == OBJ_CLASS_Number) {
      double d;
      if (!js_to_number(rt, v, &d)) return -1;
      v = bi_number(d);
    } else if (!val_is_undefined(s) || obj_class(o) == OBJ_CLASS_String) {
      if (val_is_exception(v = js_to_string(rt, v))) return -1;
    } else if (obj_class(o) == OBJ_CLASS_Boolean) {
      v = obj_get_internal(o, 0);
    }
  }
  if (val_is_null(v)) return str_builder_append_cstr(&w->b, "null") ? 1 : -1;
  if (val_is_bool(v)) return str_builder_append_cstr(&w->b, v == VAL_TRUE ? "true" : "false") ? 1 : -1;
  if (str_is_string(v)) return quote(&w->b, v) ? 1 : -1;
  if (val_is_number(v)) {
    double d = val_number(v);
    if (!isfinite(d)) return str_builder_append_cstr(&w->b, "null") ? 1 : -1;
    Value s = js_number_to_string(rt, d);
    return !val_is_exception(s) && str_builder_append_string(&w->b, s) ? 1 : -1;
  }
  if (val_is_object(v) && !js_is_callable(v)) {
    if (obj_class(val_to_object(v)) == OBJ_CLASS_Array) return serialize_array(w, v);
    return serialize_object(w, v);
  }
  if (!val_is_object(v) && !val_is_undefined(v) && !sym_is_symbol(v)) {
    js_throw(rt, ERR_TypeError, "Do not know how to serialize a BigInt");
    return -1;
  }
  return 0;
}

NATIVE(json_stringify) {
  JsonWriter w = {.rt = rt, .replacer = VAL_UNDEFINED, .keys = VAL_UNDEFINED};
  Value replacer = ARG(1), space = ARG(2);
  if (js_is_callable(replacer)) {
    w.replacer = replacer;
  } else if (val_is_object(replacer) && obj_class(val_to_object(replacer)) == OBJ_CLASS_Array) {
    w.keys = js_array_new(rt, 0, NULL);
    if (val_is_exception(w.keys)) return w.keys;
    uint64_t len;
    if (!bi_length(rt, replacer, &len)) return VAL_EXCEPTION;
    for (uint64_t i = 0; i < len; i++) {
      Value e = bi_get_index(rt, replacer, i), item = VAL_UNDEFINED;
      if (val_is_exception(e)) return e;
      if (str_is_string(e) || val_is_number(e)) item = js_to_string(rt, e);
      else if (val_is_object(e) && (obj_class(val_to_object(e)) == OBJ_CLASS_Number ||
                                    !val_is_undefined(bi_wrapped_string(e)) ||
                                    obj_class(val_to_object(e)) == OBJ_CLASS_String))
        item = js_to_string(rt, e);
      if (val_is_exception(item)) return item;
      if (val_is_undefined(item)) continue;
      bool dup = false;
      Object *ko = val_to_object(w.keys);
      for (uint32_t j = 0; j < ko->length && !dup; j++) {
        bool eq;
        if (!str_equals(rt, ko->elements->v[j], item, &eq)) return VAL_EXCEPTION;
        dup = eq;
      }
      if (!dup && !js_array_push(rt, ko, item)) return VAL_EXCEPTION;
    }
  }
  if (val_is_object(space)) {
    Object *so = val_to_object(space);
    if (obj_class(so) == OBJ_CLASS_Number) {
      double d;
      if (!js_to_number(rt, space, &d)) return VAL_EXCEPTION;
      space = bi_number(d);
    } else if (!val_is_undefined(bi_wrapped_string(space)) || obj_class(so) == OBJ_CLASS_String) {
      if (val_is_exception(space = js_to_string(rt, space))) return space;
    }
  }
  w.gap = str_empty(rt);
  if (val_is_number(space)) {
    double n;
    if (!js_to_integer_or_infinity(rt, space, &n)) return VAL_EXCEPTION;
    n = n > 10 ? 10 : n;
    w.gap = n >= 1 ? str_from_cstr(rt, "          ") : w.gap;
    if (n >= 1 && !val_is_exception(w.gap)) w.gap = str_substring(rt, w.gap, 0, (uint32_t)n);
  } else if (str_is_string(space)) {
    w.gap = str_length(space) > 10 ? str_substring(rt, space, 0, 10) : space;
  }
  if (val_is_exception(w.gap)) return VAL_EXCEPTION;
  w.stack = js_array_new(rt, 0, NULL);
  if (val_is_exception(w.stack)) return w.stack;
  Object *wrapper = obj_new(rt, js_realm(rt)->intrinsics[JS_INTR_ObjectPrototype], OBJ_CLASS_Object, 1);
  if (!wrapper) return VAL_EXCEPTION;
  Value wv = obj_value(wrapper);
  if (!js_create_data_property(rt, wrapper, atom_well_known(rt, ATOM_empty), ARG(0))) return VAL_EXCEPTION;
  str_builder_init(&w.b, rt);
  int r = serialize(&w, wv, atom_well_known(rt, ATOM_empty));
  if (r <= 0) {
    str_builder_free(&w.b);
    return r < 0 ? VAL_EXCEPTION : VAL_UNDEFINED;
  }
  return str_builder_finish(&w.b);
}

bool js_builtins_json(Runtime *rt, JsRealm *realm) {
  Object *json = obj_new(rt, realm->intrinsics[JS_INTR_ObjectPrototype], OBJ_CLASS_Object, 4);
  if (!json) return false;
  Value jv = obj_value(json);
  if (!js_define_method(rt, jv, "parse", json_parse, 2, 0) ||
      !js_define_method(rt, jv, "stringify", json_stringify, 3, 0) || !bi_to_string_tag(rt, jv, "JSON"))
    return false;
  return bi_global(rt, realm, "JSON", jv);
}
