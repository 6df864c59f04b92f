/* json.h: a small JSON reader for the command files wast2json writes. The
 * whole document is parsed into a tree of nodes held in one arena; strings
 * are decoded to UTF-8 with an explicit length (names may contain NUL). */
#ifndef TANDEM_SPEC_WASM_JSON_H
#define TANDEM_SPEC_WASM_JSON_H

#include <stdbool.h>
#include <stddef.h>

typedef enum JsonType {
  JSON_NULL,
  JSON_BOOL,
  JSON_NUMBER,
  JSON_STRING,
  JSON_ARRAY,
  JSON_OBJECT
} JsonType;

typedef struct JsonNode JsonNode;
struct JsonNode {
  JsonType type;
  bool boolean;
  double number;
  char *str; /* JSON_STRING: decoded, NUL-terminated; len excludes the NUL */
  size_t len;
  /* JSON_ARRAY / JSON_OBJECT: children in order; for objects keys[i] names items[i]. */
  JsonNode **items;
  char **keys;
  size_t count;
};

typedef struct JsonDoc JsonDoc;

/* Parses text[0..len). Returns NULL and writes a message to err on a syntax
 * error or when memory runs out. */
JsonDoc *json_parse(const char *text, size_t len, char *err, size_t err_size);
JsonNode *json_root(JsonDoc *doc);
void json_free(JsonDoc *doc);

/* Member lookup; NULL when obj is not an object or has no such key. */
JsonNode *json_get(const JsonNode *obj, const char *key);
/* The member's string, or NULL when absent or not a string. */
const char *json_get_str(const JsonNode *obj, const char *key);

#endif
