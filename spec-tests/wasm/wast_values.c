/* wast_values.c: the values of wast2json scripts. Numbers come as decimal
 * strings of their bits (floats too), v128 as one string per lane, and
 * expected floats may be the patterns nan:canonical / nan:arithmetic. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wast.h"

Value wast_extern_ref(uint64_t n) {
  return n <= INT32_MAX ? val_from_int((int32_t)n) : val_from_double((double)n);
}

uint8_t wast_type_code(const char *name) {
  if (!name) return 0;
  static const struct {
    const char *name;
    uint8_t code;
  } types[] = {{"i32", WASM_I32},
               {"i64", WASM_I64},
               {"f32", WASM_F32},
               {"f64", WASM_F64},
               {"v128", WASM_V128},
               {"funcref", WASM_FUNCREF},
               {"externref", WASM_EXTERNREF}};
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
    if (strcmp(types[i].name, name) == 0) return types[i].code;
  return 0;
}

/* Decimal (optionally negative) to the low `bits` bits. */
static bool parse_bits(const char *s, unsigned bits, uint64_t *out) {
  if (!s || !*s) return false;
  char *end;
  errno = 0;
  uint64_t v;
  if (s[0] == '-') {
    long long sv = strtoll(s, &end, 10);
    v = (uint64_t)sv;
  } else {
    v = strtoull(s, &end, 10);
  }
  if (*end || errno) return false;
  if (bits < 64) v &= (1ULL << bits) - 1;
  *out = v;
  return true;
}

static unsigned lane_bits(const char *lane_type) {
  if (!lane_type) return 0;
  if (strcmp(lane_type, "i8") == 0) return 8;
  if (strcmp(lane_type, "i16") == 0) return 16;
  if (strcmp(lane_type, "i32") == 0 || strcmp(lane_type, "f32") == 0) return 32;
  if (strcmp(lane_type, "i64") == 0 || strcmp(lane_type, "f64") == 0) return 64;
  return 0;
}

static void store_lane(uint8_t *bytes, unsigned bits, size_t i, uint64_t v) {
  for (unsigned b = 0; b < bits / 8; b++) bytes[i * (bits / 8) + b] = (uint8_t)(v >> (8 * b));
}

static uint64_t load_lane(const uint8_t *bytes, unsigned bits, size_t i) {
  uint64_t v = 0;
  for (unsigned b = 0; b < bits / 8; b++) v |= (uint64_t)bytes[i * (bits / 8) + b] << (8 * b);
  return v;
}

bool wast_parse_value(const JsonNode *node, WasmVal *out, char *err, size_t err_size) {
  const char *type = json_get_str(node, "type");
  uint8_t code = wast_type_code(type);
  memset(out, 0, sizeof *out);
  out->type = code;
  JsonNode *value = json_get(node, "value");
  switch (code) {
  case WASM_I32:
  case WASM_F32: {
    uint64_t v;
    if (!value || !parse_bits(value->str, 32, &v)) break;
    out->of.i32 = (uint32_t)v;
    return true;
  }
  case WASM_I64:
  case WASM_F64: {
    uint64_t v;
    if (!value || !parse_bits(value->str, 64, &v)) break;
    out->of.i64 = v;
    return true;
  }
  case WASM_V128: {
    unsigned bits = lane_bits(json_get_str(node, "lane_type"));
    if (!bits || !value || value->type != JSON_ARRAY || value->count != 128 / bits) break;
    for (size_t i = 0; i < value->count; i++) {
      uint64_t v;
      if (!parse_bits(value->items[i]->str, bits, &v)) goto bad;
      store_lane(out->of.v128, bits, i, v);
    }
    return true;
  }
  case WASM_FUNCREF:
  case WASM_EXTERNREF: {
    if (!value || !value->str) break;
    if (strcmp(value->str, "null") == 0) {
      out->of.ref = VAL_NULL;
      return true;
    }
    uint64_t n;
    /* A non-null funcref cannot be written in a script; only externref can. */
    if (code == WASM_FUNCREF || !parse_bits(value->str, 64, &n)) break;
    out->of.ref = wast_extern_ref(n);
    return true;
  }
  default: break;
  }
bad:
  snprintf(err, err_size, "cannot read script value of type %s", type ? type : "(none)");
  return false;
}

static bool f32_matches(const char *pattern, uint32_t bits) {
  if (strcmp(pattern, "nan:canonical") == 0) return (bits & 0x7FFFFFFFu) == 0x7FC00000u;
  if (strcmp(pattern, "nan:arithmetic") == 0) return (bits & 0x7FC00000u) == 0x7FC00000u;
  uint64_t v;
  return parse_bits(pattern, 32, &v) && (uint32_t)v == bits;
}

static bool f64_matches(const char *pattern, uint64_t bits) {
  if (strcmp(pattern, "nan:canonical") == 0)
    return (bits & 0x7FFFFFFFFFFFFFFFull) == 0x7FF8000000000000ull;
  if (strcmp(pattern, "nan:arithmetic") == 0)
    return (bits & 0x7FF8000000000000ull) == 0x7FF8000000000000ull;
  uint64_t v;
  return parse_bits(pattern, 64, &v) && v == bits;
}

bool wast_value_matches(const JsonNode *expected, const WasmVal *actual) {
  uint8_t code = wast_type_code(json_get_str(expected, "type"));
  JsonNode *value = json_get(expected, "value");
  if (code == 0 || code != actual->type) return false;
  switch (code) {
  case WASM_I32: {
    uint64_t v;
    return value && parse_bits(value->str, 32, &v) && (uint32_t)v == actual->of.i32;
  }
  case WASM_I64: {
    uint64_t v;
    return value && parse_bits(value->str, 64, &v) && v == actual->of.i64;
  }
  case WASM_F32: return value && value->str && f32_matches(value->str, actual->of.f32);
  case WASM_F64: return value && value->str && f64_matches(value->str, actual->of.f64);
  case WASM_V128: {
    const char *lane_type = json_get_str(expected, "lane_type");
    unsigned bits = lane_bits(lane_type);
    if (!bits || !value || value->type != JSON_ARRAY || value->count != 128 / bits) return false;
    bool is_float = lane_type[0] == 'f';
    for (size_t i = 0; i < value->count; i++) {
      const char *lane = value->items[i]->str;
      uint64_t got = load_lane(actual->of.v128, bits, i);
      if (!lane) return false;
      if (is_float) {
        if (!(bits == 32 ? f32_matches(lane, (uint32_t)got) : f64_matches(lane, got))) return false;
      } else {
        uint64_t want;
        if (!parse_bits(lane, bits, &want) || want != got) return false;
      }
    }
    return true;
  }
  case WASM_FUNCREF:
  case WASM_EXTERNREF: {
    /* No value at all (newer scripts' `ref.func` / `ref.extern` without an
     * argument) means "any non-null reference". */
    if (!value || !value->str) return !val_is_null(actual->of.ref);
    if (strcmp(value->str, "null") == 0) return val_is_null(actual->of.ref);
    if (code == WASM_FUNCREF) return !val_is_null(actual->of.ref);
    uint64_t n;
    return parse_bits(value->str, 64, &n) && actual->of.ref == wast_extern_ref(n);
  }
  default: return false;
  }
}

static void format_v128(const uint8_t *bytes, char *buf, size_t size) {
  size_t n = (size_t)snprintf(buf, size, "v128:i32x4");
  for (int i = 0; i < 4 && n < size; i++)
    n += (size_t)snprintf(buf + n, size - n, " 0x%08" PRIx64, load_lane(bytes, 32, (size_t)i));
}

void wast_format_value(const WasmVal *v, char *buf, size_t size) {
  float f;
  double d;
  switch (v->type) {
  case WASM_I32:
    snprintf(buf, size, "i32:%" PRIu32 " (0x%08" PRIx32 ")", v->of.i32, v->of.i32);
    break;
  case WASM_I64:
    snprintf(buf, size, "i64:%" PRIu64 " (0x%016" PRIx64 ")", v->of.i64, v->of.i64);
    break;
  case WASM_F32:
    memcpy(&f, &v->of.f32, 4);
    snprintf(buf, size, "f32:%" PRIu32 " (0x%08" PRIx32 " = %.9g)", v->of.f32, v->of.f32,
             (double)f);
    break;
  case WASM_F64:
    memcpy(&d, &v->of.f64, 8);
    snprintf(buf, size, "f64:%" PRIu64 " (0x%016" PRIx64 " = %.17g)", v->of.f64, v->of.f64, d);
    break;
  case WASM_V128: format_v128(v->of.v128, buf, size); break;
  case WASM_FUNCREF:
  case WASM_EXTERNREF:
    if (val_is_null(v->of.ref))
      snprintf(buf, size, "%s:null", v->type == WASM_FUNCREF ? "funcref" : "externref");
    else if (val_is_int(v->of.ref))
      snprintf(buf, size, "%s:%d", v->type == WASM_FUNCREF ? "funcref" : "externref",
               val_to_int(v->of.ref));
    else
      snprintf(buf, size, "%s:0x%" PRIx64, v->type == WASM_FUNCREF ? "funcref" : "externref",
               (uint64_t)v->of.ref);
    break;
  default: snprintf(buf, size, "(value of type 0x%02x)", v->type); break;
  }
}

void wast_format_expected(const JsonNode *expected, char *buf, size_t size) {
  const char *type = json_get_str(expected, "type");
  JsonNode *value = json_get(expected, "value");
  size_t n = (size_t)snprintf(buf, size, "%s", type ? type : "?");
  const char *lane_type = json_get_str(expected, "lane_type");
  if (lane_type && n < size) n += (size_t)snprintf(buf + n, size - n, "(%s)", lane_type);
  if (!value) return;
  if (value->type == JSON_ARRAY) {
    for (size_t i = 0; i < value->count && n < size; i++)
      n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? " " : ":",
                            value->items[i]->str ? value->items[i]->str : "?");
  } else if (value->str && n < size) {
    snprintf(buf + n, size - n, ":%s", value->str);
  }
}
