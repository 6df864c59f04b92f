/* atom.h: property keys. An atom is the Value of an interned String or of a
 * Symbol, so keys compare by identity, hash by a stored hash, and are traced
 * by the GC like any other value. The atom table holds interned strings
 * weakly. Integer-index keys ("0", "1", ...) go to element storage instead. */
#ifndef TANDEM_CORE_ATOM_H
#define TANDEM_CORE_ATOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/runtime.h"
#include "core/value.h"

typedef Value Atom;

/* Well-known atoms the engine uses by name, defined once: X(c_name, "text"). */
#define ATOM_LIST(X)                                                                               \
  X(empty, "")                                                                                     \
  X(length, "length")                                                                              \
  X(name, "name")                                                                                  \
  X(prototype, "prototype")                                                                        \
  X(constructor, "constructor")                                                                    \
  X(message, "message")                                                                            \
  X(stack, "stack")                                                                                \
  X(cause, "cause")                                                                                \
  X(toString, "toString")                                                                          \
  X(valueOf, "valueOf")                                                                            \
  X(value, "value")                                                                                \
  X(done, "done")                                                                                  \
  X(next, "next")                                                                                  \
  X(get, "get")                                                                                    \
  X(set, "set")                                                                                    \
  X(writable, "writable")                                                                          \
  X(enumerable, "enumerable")                                                                      \
  X(configurable, "configurable")                                                                  \
  X(undefined, "undefined")                                                                        \
  X(null, "null")                                                                                  \
  X(true_, "true")                                                                                 \
  X(false_, "false")                                                                               \
  X(arguments, "arguments")                                                                        \
  X(eval, "eval")                                                                                  \
  X(proto, "__proto__")                                                                            \
  X(then, "then")                                                                                  \
  X(default_, "default")

typedef enum AtomId {
#define ATOM_ENUM(c_name, text) ATOM_##c_name,
  ATOM_LIST(ATOM_ENUM)
#undef ATOM_ENUM
      ATOM_COUNT
} AtomId;

/* Creates the runtime's atom table and the well-known atoms. */
bool atom_table_init(Runtime *rt);
void atom_table_free(Runtime *rt);

/* A well-known atom. */
Atom atom_well_known(Runtime *rt, AtomId id);

/* Interns UTF-8 text (or Latin-1/UTF-16 through the String API). Returns
 * VAL_EXCEPTION (with an out-of-memory error pending) when allocation fails. */
Atom atom_from_utf8(Runtime *rt, const char *text, size_t len);
Atom atom_from_cstr(Runtime *rt, const char *text);
/* Interns code units straight from a buffer (a lexer's source text),
 * allocating only when the atom is new. */
Atom atom_from_latin1(Runtime *rt, const uint8_t *chars, size_t len);
Atom atom_from_utf16(Runtime *rt, const uint16_t *units, size_t len);
/* Interns a String value (returns the existing interned copy if any). */
Atom atom_from_string(Runtime *rt, Value str);

bool atom_is_symbol(Atom a);
uint32_t atom_hash(Atom a);
/* If the atom is a canonical array index ("0".."4294967294"), stores it. */
bool atom_is_array_index(Atom a, uint32_t *index);

#endif
