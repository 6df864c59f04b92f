/* object.h: JavaScript objects (GC_KIND_OBJECT cells) and the ordinary
 * object internal methods: get/define own property with the full
 * ValidateAndApplyPropertyDescriptor rules, [[Get]]/[[Set]] along the
 * prototype chain, delete, own keys, integrity levels and the lookup entry
 * point inline caches are filled from. See docs/objects.md. */
#ifndef TANDEM_CORE_OBJECT_H
#define TANDEM_CORE_OBJECT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/atom.h"
#include "core/runtime.h"
#include "core/shape.h"
#include "core/value.h"
#include "gc/gc.h"

/* Object classes, defined once: X(name, exotic). An exotic class overrides
 * some internal methods itself; the ordinary paths below stop at such an
 * object and hand it to the caller (OBJ_EXOTIC). Arrays are handled here. */
#define OBJ_CLASS_LIST(X)                                                                          \
  X(Object, 0)                                                                                     \
  X(Array, 0)                                                                                      \
  X(Function, 0)                                                                                   \
  X(BoundFunction, 0)                                                                              \
  X(Error, 0)                                                                                      \
  X(Boolean, 0)                                                                                    \
  X(Number, 0)                                                                                     \
  X(String, 1) /* string index properties and length */                                            \
  X(Symbol, 0)                                                                                     \
  X(BigInt, 0)                                                                                     \
  X(Date, 0)                                                                                       \
  X(RegExp, 0)                                                                                     \
  X(Map, 0)                                                                                        \
  X(Set, 0)                                                                                        \
  X(WeakMap, 0)                                                                                    \
  X(WeakSet, 0)                                                                                    \
  X(WeakRef, 0)                                                                                    \
  X(FinalizationRegistry, 0)                                                                       \
  X(Promise, 0)                                                                                    \
  X(Proxy, 1)                                                                                      \
  X(ArrayBuffer, 0)                                                                                \
  X(SharedArrayBuffer, 0)                                                                          \
  X(DataView, 0)                                                                                   \
  X(TypedArray, 1) /* integer-indexed exotic */                                                    \
  X(Arguments, 0)                                                                                  \
  X(MappedArguments, 1)                                                                            \
  X(Generator, 0)                                                                                  \
  X(AsyncGenerator, 0)                                                                             \
  X(AsyncFunction, 0)                                                                              \
  X(AsyncFromSyncIterator, 0)                                                                      \
  X(ArrayIterator, 0)                                                                              \
  X(MapIterator, 0)                                                                                \
  X(SetIterator, 0)                                                                                \
  X(StringIterator, 0)                                                                             \
  X(RegExpStringIterator, 0)                                                                       \
  X(IteratorHelper, 0)                                                                             \
  X(ForInIterator, 0)                                                                              \
  X(ModuleNamespace, 1)                                                                            \
  X(Global, 0)                                                                                     \
  X(WasmModule, 0)                                                                                 \
  X(WasmInstance, 0)                                                                               \
  X(WasmMemory, 0)                                                                                 \
  X(WasmTable, 0)                                                                                  \
  X(WasmGlobal, 0)                                                                                 \
  X(WasmTag, 0)                                                                                    \
  X(WasmException, 0)                                                                              \
  X(WasmFunction, 0)

typedef enum ObjClass {
#define OBJ_CLASS_ENUM(name, exotic) OBJ_CLASS_##name,
  OBJ_CLASS_LIST(OBJ_CLASS_ENUM)
#undef OBJ_CLASS_ENUM
      OBJ_CLASS_COUNT
} ObjClass;

const char *obj_class_name(ObjClass cls);
bool obj_class_is_exotic(ObjClass cls);

/* Object flags (h.flags). */
enum {
  OBJ_F_EXTENSIBLE = 1 << 0,
  OBJ_F_IS_PROTO = 1 << 1,     /* used as some shape's prototype: changes bump the epoch */
  OBJ_F_SPARSE = 1 << 2,       /* elements is a dictionary (index -> value, attrs) */
  OBJ_F_LENGTH_RO = 1 << 3,    /* Array: length is not writable */
  OBJ_F_EXOTIC = 1 << 4,       /* class overrides internal methods (see OBJ_CLASS_LIST) */
  OBJ_F_ELEMS_SEALED = 1 << 5, /* dense elements read as non-configurable */
  OBJ_F_ELEMS_FROZEN = 1 << 6, /* dense elements read as non-configurable, non-writable */
};

/* Layout. Fields hold n_internal class-specific Values, then n_inline
 * property slots. Named property i lives in fields[n_internal + i] when
 * i < n_inline, else in slots->v[i - n_inline]. In dictionary mode `slots`
 * is the property dictionary (core/prop_dict.h) and inline slots are unused.
 * Dense elements: elements->v[0 .. elem_count), holes are VAL_HOLE. */
typedef struct Object {
  GCHeader h; /* h.flags: OBJ_F_*; h.bits: ObjClass; h.aux: n_internal | n_inline << 8 */
  Shape *shape;
  GCValueArray *slots;    /* out-of-line named slots, or the dictionary */
  GCValueArray *elements; /* dense store, or the sparse dictionary (OBJ_F_SPARSE) */
  uint32_t elem_count;    /* dense: slots of `elements` in use */
  uint32_t length;        /* Array: the length property */
  Shape *proto_roots;     /* root shapes of objects that have this one as prototype */
  Value fields[];
} Object;

#define OBJ_MAX_INLINE   64
#define OBJ_MAX_INTERNAL 32
/* Named properties beyond this make an object switch to dictionary mode. */
#define OBJ_DICT_THRESHOLD 64

static inline ObjClass obj_class(const Object *o) { return (ObjClass)o->h.bits; }
static inline uint32_t obj_n_internal(const Object *o) { return o->h.aux & 0xff; }
static inline uint32_t obj_n_inline(const Object *o) { return (o->h.aux >> 8) & 0xff; }
static inline bool obj_is_dict(const Object *o) { return shape_is_dict(o->shape); }
static inline bool obj_is_extensible(const Object *o) {
  return (o->h.flags & OBJ_F_EXTENSIBLE) != 0;
}
static inline Value obj_proto(const Object *o) { return o->shape->proto; }
static inline Value obj_value(const Object *o) { return val_from_ptr(o); }
static inline bool val_is_object(Value v) {
  return val_is_ptr(v) && ((GCHeader *)val_to_ptr(v))->kind == GC_KIND_OBJECT;
}
static inline Object *val_to_object(Value v) { return (Object *)val_to_ptr(v); }

static inline Value obj_get_internal(const Object *o, uint32_t i) { return o->fields[i]; }
void obj_set_internal(Runtime *rt, Object *o, uint32_t i, Value v);

/* The per-object location of property slot i of a fast-mode shape. */
static inline Value *obj_slot_ref(Object *o, uint32_t i) {
  uint32_t ni = obj_n_inline(o);
  return i < ni ? &o->fields[obj_n_internal(o) + i] : &o->slots->v[i - ni];
}

/* Installs the GC callbacks of objects and shapes (idempotent). */
void object_init_gc_kinds(void);

/* A new ordinary object of `cls` with prototype proto (an object or
 * VAL_NULL). n_inline named slots live in the object itself. NULL with an
 * error pending on failure. */
Object *obj_new(Runtime *rt, Value proto, ObjClass cls, uint32_t n_inline);
Object *obj_new_ex(Runtime *rt, Value proto, ObjClass cls, uint32_t n_internal, uint32_t n_inline);
/* An Array (class Array) of the given length (elements absent). */
Object *obj_new_array(Runtime *rt, Value proto, uint32_t length);

/* Results of the internal methods. */
typedef enum ObjResult {
  OBJ_ERROR = -1,        /* an exception is pending */
  OBJ_FALSE = 0,         /* rejected / not found */
  OBJ_TRUE = 1,          /* done / found */
  OBJ_CALL_ACCESSOR = 2, /* the caller calls the getter/setter it was given */
  OBJ_EXOTIC = 3,        /* an exotic object was reached: the caller runs its method */
} ObjResult;

/* Property descriptor with a present-flag per field (spec PropertyDescriptor). */
enum {
  PD_VALUE = 1 << 0,
  PD_WRITABLE = 1 << 1,
  PD_GET = 1 << 2,
  PD_SET = 1 << 3,
  PD_ENUMERABLE = 1 << 4,
  PD_CONFIGURABLE = 1 << 5,
};

typedef struct PropertyDescriptor {
  uint8_t present; /* PD_* */
  uint8_t attrs;   /* PROP_WRITABLE/ENUMERABLE/CONFIGURABLE, meaningful where present */
  Value value, get, set;
} PropertyDescriptor;

static inline bool pd_is_accessor(const PropertyDescriptor *d) {
  return (d->present & (PD_GET | PD_SET)) != 0;
}
static inline bool pd_is_data(const PropertyDescriptor *d) {
  return (d->present & (PD_VALUE | PD_WRITABLE)) != 0;
}
/* A complete data descriptor {value, attrs}. */
static inline PropertyDescriptor pd_data(Value v, uint8_t attrs) {
  PropertyDescriptor d = {PD_VALUE | PD_WRITABLE | PD_ENUMERABLE | PD_CONFIGURABLE, attrs, v,
                          VAL_UNDEFINED, VAL_UNDEFINED};
  return d;
}
/* A complete accessor descriptor (getter/setter undefined when absent). */
static inline PropertyDescriptor pd_accessor(Value get, Value set, uint8_t attrs) {
  PropertyDescriptor d = {PD_GET | PD_SET | PD_ENUMERABLE | PD_CONFIGURABLE,
                          (uint8_t)(attrs & ~PROP_WRITABLE), VAL_UNDEFINED, get, set};
  return d;
}

/* [[GetOwnProperty]]: OBJ_TRUE with a complete descriptor, OBJ_FALSE if absent. */
ObjResult obj_get_own_property(Runtime *rt, Object *o, Atom key, PropertyDescriptor *out);
/* [[DefineOwnProperty]] with ValidateAndApplyPropertyDescriptor: OBJ_TRUE,
 * OBJ_FALSE when rejected, OBJ_ERROR on out of memory (o unchanged). Array
 * `length` follows ArraySetLength; its value must already be a number (the
 * caller does ToNumber/ToUint32 first); a non-uint32 throws RangeError. */
ObjResult obj_define_own_property(Runtime *rt, Object *o, Atom key, const PropertyDescriptor *d);
/* CreateDataProperty / builtin setup: define {value, attrs} (replacing). */
ObjResult obj_define_value(Runtime *rt, Object *o, Atom key, Value v, uint8_t attrs);
ObjResult obj_define_accessor(Runtime *rt, Object *o, Atom key, Value get, Value set,
                              uint8_t attrs);

/* Where a property was found. */
typedef enum PropLocKind {
  LOC_NONE,
  LOC_INLINE,  /* fields[index] */
  LOC_SLOTS,   /* slots->v[index] */
  LOC_DICT,    /* dictionary entry `index` of holder->slots */
  LOC_ELEMENT, /* element `index` (dense or sparse) */
  LOC_LENGTH,  /* Array length */
} PropLocKind;

/* Result of a prototype-chain lookup. */
typedef struct PropertyLookup {
  ObjResult result; /* OBJ_FALSE absent, OBJ_TRUE data, OBJ_CALL_ACCESSOR, OBJ_EXOTIC */
  Object *holder;   /* object owning the property (or the exotic object reached) */
  Shape *shape;     /* holder's shape at lookup time */
  PropLocKind loc;
  uint32_t index; /* meaning depends on loc */
  uint8_t attrs;
  Value value;    /* data value */
  Value get, set; /* accessor functions (VAL_UNDEFINED when absent) */
} PropertyLookup;

/* Walks o and its prototypes for key. */
void obj_lookup(Runtime *rt, Object *o, Atom key, PropertyLookup *out);
void obj_lookup_element(Runtime *rt, Object *o, uint32_t index, PropertyLookup *out);

/* [[Get]]: OBJ_TRUE with *out the value (undefined when absent);
 * OBJ_CALL_ACCESSOR with *out the getter (undefined: result is undefined);
 * OBJ_EXOTIC with *exotic the object whose own [[Get]] the caller runs. */
ObjResult obj_get(Runtime *rt, Object *o, Atom key, Value *out, Object **exotic);
ObjResult obj_get_element(Runtime *rt, Object *o, uint32_t index, Value *out, Object **exotic);
/* [[Set]] (OrdinarySet) with receiver (usually obj_value(o)): OBJ_TRUE done;
 * OBJ_FALSE rejected; OBJ_CALL_ACCESSOR with *fn the setter to call with
 * receiver; OBJ_EXOTIC: *exotic is an exotic object on the chain or the
 * receiver, whose method the caller runs (also: an Array's length set to a
 * non-number, *exotic == o: the caller does ToNumber/ToUint32 and calls
 * obj_array_set_length); OBJ_ERROR (out of memory, invalid length). */
ObjResult obj_set(Runtime *rt, Object *o, Atom key, Value v, Value receiver, Value *fn,
                  Object **exotic);
ObjResult obj_set_element(Runtime *rt, Object *o, uint32_t index, Value v, Value receiver,
                          Value *fn, Object **exotic);
/* [[HasProperty]]: OBJ_TRUE / OBJ_FALSE / OBJ_EXOTIC (*exotic set). */
ObjResult obj_has_property(Runtime *rt, Object *o, Atom key, Object **exotic);
/* [[Delete]] of an own property: OBJ_TRUE (also when absent), OBJ_FALSE when
 * non-configurable, OBJ_ERROR on out of memory. */
ObjResult obj_delete(Runtime *rt, Object *o, Atom key);
ObjResult obj_delete_element(Runtime *rt, Object *o, uint32_t index);

/* Own element fast path: OBJ_TRUE with the data value, OBJ_FALSE when absent
 * (or an accessor/exotic: use obj_lookup_element). Never fails. */
static inline ObjResult obj_get_own_dense(const Object *o, uint32_t index, Value *out) {
  if (!(o->h.flags & OBJ_F_SPARSE) && index < o->elem_count) {
    Value v = o->elements->v[index];
    if (v != VAL_HOLE) {
      *out = v;
      return OBJ_TRUE;
    }
  }
  return OBJ_FALSE;
}

/* Own property keys. */
enum {
  OBJ_KEYS_STRINGS = 1 << 0, /* integer indices and strings */
  OBJ_KEYS_SYMBOLS = 1 << 1,
  OBJ_KEYS_ENUMERABLE_ONLY = 1 << 2,
  OBJ_KEYS_ALL = OBJ_KEYS_STRINGS | OBJ_KEYS_SYMBOLS,
};
/* [[OwnPropertyKeys]] order: array indices ascending, then strings, then
 * symbols, each in creation order. Returns a fresh GCValueArray of atoms
 * with *count used entries, or NULL with an error pending. */
GCValueArray *obj_own_keys(Runtime *rt, Object *o, unsigned flags, uint32_t *count);

/* Integrity. */
ObjResult obj_prevent_extensions(Runtime *rt, Object *o);
/* SetIntegrityLevel(sealed / frozen). */
ObjResult obj_seal(Runtime *rt, Object *o);
ObjResult obj_freeze(Runtime *rt, Object *o);
/* TestIntegrityLevel. */
bool obj_is_sealed(Runtime *rt, Object *o);
bool obj_is_frozen(Runtime *rt, Object *o);

/* [[SetPrototypeOf]]: OBJ_FALSE when not extensible (and different) or when
 * it would create a cycle. */
ObjResult obj_set_prototype_of(Runtime *rt, Object *o, Value proto);

/* Arrays. */
static inline uint32_t obj_array_length(const Object *o) { return o->length; }
/* ArraySetLength with a uint32: deletes elements from the end; OBJ_FALSE
 * when length is read-only or a non-configurable element stops it. */
ObjResult obj_array_set_length(Runtime *rt, Object *o, uint32_t len);

/* Switches o to dictionary mode (normally automatic). */
bool obj_to_dict(Runtime *rt, Object *o);

/* --- inline caches -------------------------------------------------------------
 * obj_ic_lookup fills an ICInfo for a named load. When `cacheable`:
 *   own (holder == receiver):  if (o->shape == shape) value = slot(o, loc, index)
 *   prototype (holder != o):   if (o->shape == shape && *obj_proto_epoch_ref(rt) == epoch)
 *                                value = slot(holder, loc, index)
 * LOC_INLINE index is into holder->fields; LOC_SLOTS into holder->slots->v;
 * LOC_DICT (prototype holders only) is a dictionary entry of holder->slots,
 * stable while the epoch is unchanged. Accessors give the pair's slot. */
typedef struct ICInfo {
  bool cacheable;
  bool found;
  bool accessor;
  Shape *shape; /* receiver's shape */
  Object *holder;
  PropLocKind loc;
  uint32_t index;
  uint8_t attrs;
  uint32_t epoch;
} ICInfo;

void obj_ic_lookup(Runtime *rt, Object *o, Atom key, ICInfo *out);

/* Store caches. obj_set_ic performs obj_set and tells how to repeat it:
 *   replace (!add): if (o->shape == shape) write slot(o, loc, index)
 *   add:            if (o->shape == shape && *obj_proto_epoch_ref(rt) == epoch)
 *                     obj_ic_add_store(rt, o, ic, v)   (installs new_shape)
 * Only for receiver == o, named keys, fast-mode objects. */
typedef struct ICStoreInfo {
  bool cacheable;
  bool add;
  Shape *shape;     /* receiver's shape before the store */
  Shape *new_shape; /* add: shape after */
  PropLocKind loc;  /* LOC_INLINE (index into fields) or LOC_SLOTS */
  uint32_t index;
  uint32_t epoch;
} ICStoreInfo;

ObjResult obj_set_ic(Runtime *rt, Object *o, Atom key, Value v, Value *fn, Object **exotic,
                     ICStoreInfo *ic);
/* Repeats a cached add on an object the cache's guards accepted. Grows the
 * out-of-line slots when needed: OBJ_ERROR (o unchanged) when that fails. */
ObjResult obj_ic_add_store(Runtime *rt, Object *o, const ICStoreInfo *ic, Value v);
uint32_t obj_proto_epoch(Runtime *rt);
const uint32_t *obj_proto_epoch_ref(Runtime *rt);

#endif
