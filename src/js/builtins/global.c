/* global.c: the global object's own bindings: globalThis, NaN, Infinity,
 * undefined, parseInt/parseFloat (the Number functions), isNaN/isFinite,
 * and a minimal print/console (log, info, debug to stdout; warn, error to
 * stderr) through JsRuntime.print when the host sets it. The full console
 * (formatting, inspection) belongs to the host layer and comes later. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "js/builtins/builtins.h"

#define NATIVE(name)                                                                               \
  static Value name(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,         \
                    Value new_target, int magic)

/* isNaN (0), isFinite (1): with ToNumber. */
NATIVE(global_is) {
  double d;
  if (!js_to_number(rt, ARG(0), &d)) return VAL_EXCEPTION;
  return val_from_bool(magic ? isfinite(d) : d != d);
}

/* print / console.log & co: magic 1 writes to stderr. */
NATIVE(global_print) {
  StrBuilder b;
  str_builder_init(&b, rt);
  for (int i = 0; i < argc; i++) {
    Value s = js_to_string(rt, ARG(i));
    if (val_is_exception(s) || (i > 0 && !str_builder_append_char(&b, ' ')) ||
        !str_builder_append_string(&b, s)) {
      str_builder_free(&b);
      return VAL_EXCEPTION;
    }
  }
  if (!str_builder_append_char(&b, '\n')) {
    str_builder_free(&b);
    return VAL_EXCEPTION;
  }
  Value line = str_builder_finish(&b);
  if (val_is_exception(line)) return line;
  size_t len;
  char *text = str_to_utf8(rt, line, &len);
  if (!text) return VAL_EXCEPTION;
  JsRuntime *jr = js_rt(rt);
  if (jr->print) {
    jr->print(rt, text, len);
  } else {
    FILE *out = magic ? stderr : stdout;
    fwrite(text, 1, len, out);
    fflush(out);
  }
  free(text);
  return VAL_UNDEFINED;
}

/* --- URI encoding (Encode / Decode of the spec) --------------------------------------------- */

static bool uri_unreserved(uint16_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         (c && c < 128 && strchr("-_.!~*'()", c));
}

static bool uri_reserved(uint16_t c) { return c && c < 128 && strchr(";/?:@&=+$,#", c); }

static int hex_value(uint16_t c) {
  if (c >= '0' && c <= '9') return c - '0';
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') return (c | 0x20) - 'a' + 10;
  return -1;
}

/* encodeURI (0), encodeURIComponent (1). */
NATIVE(global_encode) {
  Value s = js_to_string(rt, ARG(0));
  if (!val_is_exception(s)) s = str_flatten(rt, s);
  if (val_is_exception(s)) return s;
  StrBuilder b;
  str_builder_init(&b, rt);
  uint32_t n = str_length(s);
  for (uint32_t k = 0; k < n; k++) {
    StrChars c = str_chars(s);
    uint16_t u = str_chars_at(&c, k);
    if (uri_unreserved(u) || (magic == 0 && uri_reserved(u))) {
      if (!str_builder_append_char(&b, u)) goto fail;
      continue;
    }
    uint32_t cp = u;
    if (u >= 0xDC00 && u <= 0xDFFF) goto malformed;
    if (u >= 0xD800 && u <= 0xDBFF) {
      uint16_t lo = k + 1 < n ? str_chars_at(&c, k + 1) : 0;
      if (lo < 0xDC00 || lo > 0xDFFF) goto malformed;
      cp = 0x10000 + ((uint32_t)(u - 0xD800) << 10) + (lo - 0xDC00);
      k++;
    }
    uint8_t bytes[4];
    int nb;
    if (cp < 0x80) bytes[0] = (uint8_t)cp, nb = 1;
    else if (cp < 0x800) bytes[0] = (uint8_t)(0xC0 | cp >> 6), bytes[1] = (uint8_t)(0x80 | (cp & 0x3F)), nb = 2;
    else if (cp < 0x10000)
      bytes[0] = (uint8_t)(0xE0 | cp >> 12), bytes[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F)),
      bytes[2] = (uint8_t)(0x80 | (cp & 0x3F)), nb = 3;
    else
      bytes[0] = (uint8_t)(0xF0 | cp >> 18), bytes[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F)),
      bytes[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F)), bytes[3] = (uint8_t)(0x80 | (cp & 0x3F)), nb = 4;
    for (int i = 0; i < nb; i++) {
      char esc[4];
      snprintf(esc, sizeof esc, "%%%02X", bytes[i]);
      if (!str_builder_append_cstr(&b, esc)) goto fail;
    }
  }
  return str_builder_finish(&b);
malformed:
  js_throw(rt, ERR_URIError, "URI malformed");
fail:
  str_builder_free(&b);
  return VAL_EXCEPTION;
}

/* The byte of "%XX" at k, or -1. */
static int escaped_byte(const StrChars *c, uint32_t k) {
  if (k >= c->length || c->length - k < 3) return -1;
  if (str_chars_at(c, k) != '%') return -1;
  int h = hex_value(str_chars_at(c, k + 1)), l = hex_value(str_chars_at(c, k + 2));
  return h < 0 || l < 0 ? -1 : h * 16 + l;
}

/* decodeURI (0), decodeURIComponent (1). */
NATIVE(global_decode) {
  Value s = js_to_string(rt, ARG(0));
  if (!val_is_exception(s)) s = str_flatten(rt, s);
  if (val_is_exception(s)) return s;
  StrBuilder b;
  str_builder_init(&b, rt);
  uint32_t n = str_length(s);
  for (uint32_t k = 0; k < n; k++) {
    StrChars c = str_chars(s);
    uint16_t u = str_chars_at(&c, k);
    if (u != '%') {
      if (!str_builder_append_char(&b, u)) goto fail;
      continue;
    }
    int byte = escaped_byte(&c, k);
    if (byte < 0) goto malformed;
    if (byte < 0x80) {
      bool ok = magic == 0 && uri_reserved((uint16_t)byte)
                    ? str_builder_append_substring(&b, s, k, k + 3)
                    : str_builder_append_char(&b, (uint16_t)byte);
      if (!ok) goto fail;
      k += 2;
      continue;
    }
    int len = (byte & 0xE0) == 0xC0 ? 2 : (byte & 0xF0) == 0xE0 ? 3 : (byte & 0xF8) == 0xF0 ? 4 : 0;
    if (!len) goto malformed;
    uint32_t cp = (uint32_t)byte & (0x7F >> len);
    for (int i = 1; i < len; i++) {
      int cont = escaped_byte(&c, k + 3 * (uint32_t)i);
      if (cont < 0 || (cont & 0xC0) != 0x80) goto malformed;
      cp = cp << 6 | (uint32_t)(cont & 0x3F);
    }
    static const uint32_t min_cp[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_cp[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) goto malformed;
    if (!str_builder_append_code_point(&b, cp)) goto fail;
    k += 3 * (uint32_t)len - 1;
  }
  return str_builder_finish(&b);
malformed:
  js_throw(rt, ERR_URIError, "URI malformed");
fail:
  str_builder_free(&b);
  return VAL_EXCEPTION;
}

bool js_builtins_global(Runtime *rt, JsRealm *realm) {
  Value g = realm->global;
  if (!bi_global(rt, realm, "globalThis", g) ||
      !js_define_value(rt, g, "NaN", val_from_double(NAN), 0) ||
      !js_define_value(rt, g, "Infinity", val_from_double(INFINITY), 0) ||
      !js_define_value(rt, g, "undefined", VAL_UNDEFINED, 0))
    return false;
  /* parseInt and parseFloat are the very functions on Number. */
  Value number = js_get(rt, g, atom_from_cstr(rt, "Number"));
  if (val_is_exception(number)) return false;
  Value pi = js_get(rt, number, atom_from_cstr(rt, "parseInt"));
  Value pf = val_is_exception(pi) ? pi : js_get(rt, number, atom_from_cstr(rt, "parseFloat"));
  if (val_is_exception(pf) || !bi_global(rt, realm, "parseInt", pi) ||
      !bi_global(rt, realm, "parseFloat", pf))
    return false;
  if (!js_define_method(rt, g, "isNaN", global_is, 1, 0) ||
      !js_define_method(rt, g, "isFinite", global_is, 1, 1) ||
      !js_define_method(rt, g, "print", global_print, 0, 0) ||
      !js_define_method(rt, g, "encodeURI", global_encode, 1, 0) ||
      !js_define_method(rt, g, "encodeURIComponent", global_encode, 1, 1) ||
      !js_define_method(rt, g, "decodeURI", global_decode, 1, 0) ||
      !js_define_method(rt, g, "decodeURIComponent", global_decode, 1, 1))
    return false;
  Object *console = obj_new(rt, realm->intrinsics[JS_INTR_ObjectPrototype], OBJ_CLASS_Object, 8);
  if (!console) return false;
  Value cv = obj_value(console);
  static const struct {
    const char *name;
    int to_stderr;
  } methods[] = {{"log", 0}, {"info", 0}, {"debug", 0}, {"warn", 1}, {"error", 1}};
  for (size_t i = 0; i < sizeof methods / sizeof *methods; i++)
    if (!js_define_method(rt, cv, methods[i].name, global_print, 0, methods[i].to_stderr))
      return false;
  return bi_global(rt, realm, "console", cv) && js_builtins_json(rt, realm);
}
