/* object_internal.h: what object.c (named properties, the internal methods)
 * and elements.c (indexed storage, array length, own keys, integrity levels)
 * share. Nothing outside src/core includes this file. */
#ifndef TANDEM_CORE_OBJECT_INTERNAL_H
#define TANDEM_CORE_OBJECT_INTERNAL_H

#include "core/object.h"
#include "core/prop_dict.h"

/* A property key: an atom, or an array index (elements). */
typedef struct PKey {
  Atom atom; /* VAL_HOLE for index keys reached through the element API */
  uint32_t index;
  bool is_index;
} PKey;

/* An own property as found in storage. */
typedef struct OwnProp {
  PropLocKind loc;
  uint32_t index; /* slot / dictionary entry / element index */
  uint8_t attrs;
  Value *ref; /* the stored Value (data value or accessor pair); NULL for LOC_LENGTH */
  void *cell; /* the heap cell holding *ref (for the write barrier) */
} OwnProp;

static inline bool obj_attrs_configurable(uint8_t a) { return (a & PROP_CONFIGURABLE) != 0; }

/* Accessor pairs are two-entry value arrays {getter, setter}. */
GCValueArray *obj_new_accessor_pair(Runtime *rt, Value get, Value set);

/* Notes that o's property layout changed: bumps the prototype epoch when o
 * is a prototype, invalidating chain caches. */
void obj_layout_changed(Runtime *rt, Object *o);

/* elements.c */
bool elem_find_own(Object *o, uint32_t index, OwnProp *p);
/* Adds an absent element (o extensible, attrs possibly non-default).
 * OBJ_FALSE when an Array's length is read-only and index >= length. */
ObjResult elem_add(Runtime *rt, Object *o, uint32_t index, Value stored, uint8_t attrs);
/* Makes element storage sparse (to hold attributes or accessors). */
bool elem_to_sparse(Runtime *rt, Object *o);
ObjResult elem_delete(Runtime *rt, Object *o, uint32_t index);
/* The dense attributes (all default unless sealed/frozen). */
static inline uint8_t elem_dense_attrs(const Object *o) {
  uint8_t a = PROP_DEFAULT;
  if (o->h.flags & (OBJ_F_ELEMS_SEALED | OBJ_F_ELEMS_FROZEN)) a &= (uint8_t)~PROP_CONFIGURABLE;
  if (o->h.flags & OBJ_F_ELEMS_FROZEN) a &= (uint8_t)~PROP_WRITABLE;
  return a;
}
/* ArraySetLength for a defineProperty("length", d) on an Array. */
ObjResult elem_define_length(Runtime *rt, Object *o, const PropertyDescriptor *d);

#endif
