/* symbol.h: JavaScript symbols, heap cells of GC_KIND_SYMBOL. Each holds a
 * description (a string or undefined) and a hash; symbols are atoms (property
 * keys) by identity. Also the per-runtime well-known symbols and the
 * Symbol.for registry. See docs/strings.md. */
#ifndef TANDEM_CORE_SYMBOL_H
#define TANDEM_CORE_SYMBOL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/runtime.h"
#include "core/value.h"
#include "gc/gc.h"

/* The well-known symbols, defined once: X(name); the description is
 * "Symbol.<name>". */
#define SYM_WELL_KNOWN_LIST(X)                                                                     \
  X(asyncIterator)                                                                                 \
  X(hasInstance)                                                                                   \
  X(isConcatSpreadable)                                                                            \
  X(iterator)                                                                                      \
  X(match)                                                                                         \
  X(matchAll)                                                                                      \
  X(replace)                                                                                       \
  X(search)                                                                                        \
  X(species)                                                                                       \
  X(split)                                                                                         \
  X(toPrimitive)                                                                                   \
  X(toStringTag)                                                                                   \
  X(unscopables)

typedef enum SymWellKnown {
#define SYM_WK_ENUM(name) SYM_##name,
  SYM_WELL_KNOWN_LIST(SYM_WK_ENUM)
#undef SYM_WK_ENUM
      SYM_WELL_KNOWN_COUNT
} SymWellKnown;

/* h.flags bits. */
enum {
  SYM_FLAG_REGISTERED = 1 << 0, /* made by Symbol.for; its description is the key */
  SYM_FLAG_WELL_KNOWN = 1 << 1,
  SYM_FLAG_PRIVATE = 1 << 2, /* a class private name (#x): never enumerated or proxied */
};

typedef struct Symbol {
  GCHeader h; /* h.aux: hash */
  Value description;
} Symbol;

static inline bool sym_is_symbol(Value v) {
  return val_is_ptr(v) && ((GCHeader *)val_to_ptr(v))->kind == GC_KIND_SYMBOL;
}
static inline Symbol *sym_ptr(Value v) { return (Symbol *)val_to_ptr(v); }
/* A string Value, or VAL_UNDEFINED for Symbol(). */
static inline Value sym_description(Value s) { return sym_ptr(s)->description; }
static inline uint32_t sym_hash(Value s) { return sym_ptr(s)->h.aux; }
static inline bool sym_is_private(Value s) { return (sym_ptr(s)->h.flags & SYM_FLAG_PRIVATE) != 0; }

/* A new unique symbol; description is a string or VAL_UNDEFINED. Returns
 * VAL_EXCEPTION when out of memory. */
Value sym_new(Runtime *rt, Value description);
/* A new private name (description is its source text, e.g. "#x"). */
Value sym_new_private(Runtime *rt, Value description);
/* The runtime's Symbol.<name>. */
Value sym_well_known(Runtime *rt, SymWellKnown id);
/* Symbol.for(key): the registry's symbol for the string key, made on first
 * use. VAL_EXCEPTION when out of memory. */
Value sym_for(Runtime *rt, Value key);
/* Symbol.keyFor(sym): the key of a registered symbol, else VAL_UNDEFINED. */
Value sym_key_for(Runtime *rt, Value sym);

#endif
