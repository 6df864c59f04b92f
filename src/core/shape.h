/* shape.h: hidden classes. A shape fixes an object's prototype, class, slot
 * layout and the key/attributes of every named property, so one pointer
 * compare proves all of them (the inline-cache and JIT guard). Shapes form a
 * transition tree rooted per (prototype, class, layout). See docs/objects.md. */
#ifndef TANDEM_CORE_SHAPE_H
#define TANDEM_CORE_SHAPE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/atom.h"
#include "core/runtime.h"
#include "core/value.h"
#include "gc/gc.h"

/* Property attributes, as stored in shapes and dictionaries. An accessor
 * property has PROP_ACCESSOR and no PROP_WRITABLE; its slot holds a
 * two-entry GCValueArray {getter, setter}. */
enum {
  PROP_WRITABLE = 1 << 0,
  PROP_ENUMERABLE = 1 << 1,
  PROP_CONFIGURABLE = 1 << 2,
  PROP_ACCESSOR = 1 << 3,
  PROP_DEFAULT = PROP_WRITABLE | PROP_ENUMERABLE | PROP_CONFIGURABLE,
};

/* Shape flags (h.flags). */
enum {
  SHAPE_F_ROOT = 1 << 0,   /* no properties; start of a transition tree */
  SHAPE_F_DICT = 1 << 1,   /* dictionary mode: properties live in the object's own table */
  SHAPE_F_NONEXT = 1 << 2, /* object is not extensible */
  SHAPE_F_SEALED = 1 << 3, /* every property reads as non-configurable */
  SHAPE_F_FROZEN = 1 << 4, /* ... and every data property as non-writable */
};

/* The ordered property list shared by the shapes of one transition chain:
 * a shape with n properties uses entries [0, n). Entry i lives in slot i.
 * Malloc'd and reference-counted by the shapes using it. */
typedef struct ShapeProp {
  Atom key;
  uint32_t hash;
  uint8_t attrs;
} ShapeProp;

typedef struct PropTable {
  uint32_t refs;
  uint32_t count, cap; /* entries in use / allocated */
  uint32_t mask;       /* buckets - 1 */
  ShapeProp *props;
  uint32_t *buckets; /* entry index + 1; 0 = empty */
  size_t bytes;      /* reported to the heap as external memory */
} PropTable;

typedef struct ShapeTransitions ShapeTransitions;

typedef struct Shape {
  GCHeader h;           /* h.flags: SHAPE_F_*; h.bits: object class; h.aux: property count */
  Value proto;          /* an object or VAL_NULL */
  struct Shape *parent; /* strong: a shape keeps its chain alive */
  Atom key;             /* property added by the transition from parent (VAL_HOLE on roots) */
  PropTable *table;     /* NULL when the shape has no properties */
  ShapeTransitions *transitions; /* weak: children die when no object uses them */
  struct Shape *dict_shape;      /* roots: the shared dictionary-mode shape */
  struct Shape *next_root;       /* roots: the next root of the same prototype */
  uint8_t attrs;                 /* attributes of `key` */
  uint8_t n_internal;            /* internal Value fields after the object header */
  uint8_t n_inline;              /* inline property slots after those */
  uint8_t registered;            /* in the runtime's list of shapes with transitions */
} Shape;

static inline uint32_t shape_prop_count(const Shape *s) { return s->h.aux; }
static inline bool shape_is_dict(const Shape *s) { return (s->h.flags & SHAPE_F_DICT) != 0; }
static inline unsigned shape_class(const Shape *s) { return s->h.bits; }

/* Per-runtime state of the object model (rt->objects). */
typedef struct ObjectRuntime {
  Shape *null_roots;  /* root shapes of objects whose prototype is null */
  Shape **with_trans; /* shapes holding a transition table (weakly purged) */
  uint32_t n_with_trans, cap_with_trans;
  /* Bumped whenever an object used as a prototype changes its property
   * layout or its own prototype: a prototype-chain cache is valid while the
   * epoch it recorded is current. */
  uint32_t proto_epoch;
  uint64_t shapes_created;
} ObjectRuntime;

/* Creates rt->objects on first use. False (out of memory pending) on failure. */
bool shape_runtime_init(Runtime *rt);
/* Frees rt->objects; called from rt_free after the heap is gone. */
void obj_runtime_free(Runtime *rt);

/* Root shape for (proto, class, layout), created on first use. proto_roots
 * is the prototype's list head (Object.proto_roots) or NULL for a null proto.
 * NULL with out of memory pending on failure. */
Shape *shape_root(Runtime *rt, Value proto, Shape **proto_roots, unsigned cls, uint8_t n_internal,
                  uint8_t n_inline);
/* The shared dictionary-mode shape of the tree `s` belongs to. */
Shape *shape_dict_for(Runtime *rt, Shape *s);
/* Follows or creates the transition adding (key, attrs). */
Shape *shape_add(Runtime *rt, Shape *s, Atom key, uint8_t attrs);
/* Follows or creates the transition to the same layout with `flag` set
 * (SHAPE_F_NONEXT, SHAPE_F_SEALED, SHAPE_F_FROZEN; the latter two imply NONEXT). */
Shape *shape_with_flag(Runtime *rt, Shape *s, unsigned flag);

/* Index of key among s's properties (its slot index), or -1. */
int32_t shape_find(const Shape *s, Atom key);
/* Attributes of property i as this shape presents them (frozen/sealed applied). */
static inline uint8_t shape_prop_attrs(const Shape *s, uint32_t i) {
  uint8_t a = s->table->props[i].attrs;
  if (s->h.flags & (SHAPE_F_SEALED | SHAPE_F_FROZEN)) a &= (uint8_t)~PROP_CONFIGURABLE;
  if ((s->h.flags & SHAPE_F_FROZEN) && !(a & PROP_ACCESSOR)) a &= (uint8_t)~PROP_WRITABLE;
  return a;
}
static inline Atom shape_prop_key(const Shape *s, uint32_t i) { return s->table->props[i].key; }

/* Installs the GC callbacks of shapes (idempotent). */
void shape_init_gc_kind(void);

#endif
