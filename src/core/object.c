/* object.c: object cells, named-property storage (shape slots or the
 * dictionary), the ordinary internal methods ([[GetOwnProperty]],
 * [[DefineOwnProperty]], [[Get]], [[Set]], [[Delete]], [[SetPrototypeOf]])
 * and the inline-cache lookup. Indexed storage is in elements.c. */
#include <math.h>
#include <stdlib.h>

#include "core/object_internal.h"
#include "core/string.h"

/* --- classes ------------------------------------------------------------------ */

static const char *const class_names[OBJ_CLASS_COUNT] = {
#define OBJ_CLASS_NAME(name, exotic) #name,
    OBJ_CLASS_LIST(OBJ_CLASS_NAME)
#undef OBJ_CLASS_NAME
};

static const bool class_exotic[OBJ_CLASS_COUNT] = {
#define OBJ_CLASS_EXOTIC(name, exotic) exotic,
    OBJ_CLASS_LIST(OBJ_CLASS_EXOTIC)
#undef OBJ_CLASS_EXOTIC
};

const char *obj_class_name(ObjClass cls) {
  return (unsigned)cls < OBJ_CLASS_COUNT ? class_names[cls] : "Object";
}

bool obj_class_is_exotic(ObjClass cls) {
  return (unsigned)cls < OBJ_CLASS_COUNT && class_exotic[cls];
}

/* --- GC kind ---------------------------------------------------------------------- */

static void object_trace(Heap *heap, void *p) {
  Object *o = p;
  if (o->shape) gc_mark_ptr(heap, o->shape);
  if (o->slots) gc_mark_ptr(heap, o->slots);
  if (o->elements) gc_mark_ptr(heap, o->elements);
  if (o->proto_roots) gc_mark_ptr(heap, o->proto_roots);
  uint32_t n = obj_n_internal(o) + obj_n_inline(o);
  for (uint32_t i = 0; i < n; i++) gc_mark_value(heap, o->fields[i]);
}

static const GCKindOps object_ops = {"object", object_trace, NULL};

void object_init_gc_kinds(void) {
  gc_set_kind_ops(GC_KIND_OBJECT, &object_ops);
  shape_init_gc_kind();
}

/* --- creation ------------------------------------------------------------------------ */

/* The root-shape list head for objects whose prototype is proto. */
static Shape **roots_of(Value proto) {
  if (!val_is_object(proto)) return NULL;
  Object *p = val_to_object(proto);
  p->h.flags |= OBJ_F_IS_PROTO;
  return &p->proto_roots;
}

Object *obj_new_ex(Runtime *rt, Value proto, ObjClass cls, uint32_t n_internal, uint32_t n_inline) {
  if (n_internal > OBJ_MAX_INTERNAL) n_internal = OBJ_MAX_INTERNAL;
  if (n_inline > OBJ_MAX_INLINE) n_inline = OBJ_MAX_INLINE;
  if (!val_is_object(proto)) proto = VAL_NULL;
  Shape *root = shape_root(rt, proto, roots_of(proto), cls, (uint8_t)n_internal, (uint8_t)n_inline);
  if (!root) return NULL;
  size_t size = sizeof(Object) + sizeof(Value) * (n_internal + n_inline);
  Object *o = gc_alloc(rt->heap, GC_KIND_OBJECT, size);
  if (!o) {
    rt_throw_out_of_memory(rt);
    return NULL;
  }
  o->h.bits = (uint16_t)cls;
  o->h.aux = n_internal | (n_inline << 8);
  o->h.flags = OBJ_F_EXTENSIBLE | (obj_class_is_exotic(cls) ? OBJ_F_EXOTIC : 0);
  for (uint32_t i = 0; i < n_internal + n_inline; i++) o->fields[i] = VAL_UNDEFINED;
  o->shape = root;
  return o;
}

Object *obj_new(Runtime *rt, Value proto, ObjClass cls, uint32_t n_inline) {
  return obj_new_ex(rt, proto, cls, 0, n_inline);
}

Object *obj_new_array(Runtime *rt, Value proto, uint32_t length) {
  Object *a = obj_new_ex(rt, proto, OBJ_CLASS_Array, 0, 0);
  if (a) a->length = length;
  return a;
}

void obj_set_internal(Runtime *rt, Object *o, uint32_t i, Value v) {
  GC_WRITE_BARRIER(rt->heap, o, v);
  o->fields[i] = v;
}

GCValueArray *obj_new_accessor_pair(Runtime *rt, Value get, Value set) {
  GCValueArray *pair = gc_alloc_value_array(rt->heap, 2);
  if (!pair) {
    rt_throw_out_of_memory(rt);
    return NULL;
  }
  pair->v[0] = get;
  pair->v[1] = set;
  return pair;
}

void obj_layout_changed(Runtime *rt, Object *o) {
  if ((o->h.flags & OBJ_F_IS_PROTO) && rt->objects) ((ObjectRuntime *)rt->objects)->proto_epoch++;
}

uint32_t obj_proto_epoch(Runtime *rt) {
  return rt->objects ? ((ObjectRuntime *)rt->objects)->proto_epoch : 0;
}

const uint32_t *obj_proto_epoch_ref(Runtime *rt) {
  if (!shape_runtime_init(rt)) return NULL;
  return &((ObjectRuntime *)rt->objects)->proto_epoch;
}

/* --- keys and own lookup ------------------------------------------------------------ */

static PKey key_of(Atom a) {
  PKey k = {.atom = a, .index = 0, .is_index = false};
  if (atom_is_array_index(a, &k.index)) k.is_index = true;
  return k;
}

static PKey key_index(uint32_t index) {
  PKey k = {.atom = VAL_HOLE, .index = index, .is_index = true};
  return k;
}

static bool is_length_key(Runtime *rt, const Object *o, PKey k) {
  return !k.is_index && obj_class(o) == OBJ_CLASS_Array &&
         k.atom == atom_well_known(rt, ATOM_length);
}

static bool find_own(Runtime *rt, Object *o, PKey k, OwnProp *p) {
  if (k.is_index) return elem_find_own(o, k.index, p);
  if (is_length_key(rt, o, k)) {
    p->loc = LOC_LENGTH;
    p->index = 0;
    p->attrs = (o->h.flags & OBJ_F_LENGTH_RO) ? 0 : PROP_WRITABLE;
    p->ref = NULL;
    p->cell = o;
    return true;
  }
  Shape *s = o->shape;
  if (shape_is_dict(s)) {
    int32_t e = pdict_find(o->slots, k.atom);
    if (e < 0) return false;
    p->loc = LOC_DICT;
    p->index = (uint32_t)e;
    p->attrs = pdict_attrs(o->slots, (uint32_t)e);
    p->ref = pdict_value_ref(o->slots, (uint32_t)e);
    p->cell = o->slots;
    return true;
  }
  int32_t i = shape_find(s, k.atom);
  if (i < 0) return false;
  uint32_t ni = obj_n_inline(o);
  p->attrs = shape_prop_attrs(s, (uint32_t)i);
  p->ref = obj_slot_ref(o, (uint32_t)i);
  if ((uint32_t)i < ni) {
    p->loc = LOC_INLINE;
    p->index = obj_n_internal(o) + (uint32_t)i;
    p->cell = o;
  } else {
    p->loc = LOC_SLOTS;
    p->index = (uint32_t)i - ni;
    p->cell = o->slots;
  }
  return true;
}

/* Reads a found property into a descriptor. */
static void read_own(Object *o, const OwnProp *p, PropertyDescriptor *d) {
  d->attrs = p->attrs & PROP_DEFAULT;
  d->value = d->get = d->set = VAL_UNDEFINED;
  if (p->attrs & PROP_ACCESSOR) {
    GCValueArray *pair = val_to_ptr(*p->ref);
    d->present = PD_GET | PD_SET | PD_ENUMERABLE | PD_CONFIGURABLE;
    d->attrs &= (uint8_t)~PROP_WRITABLE;
    d->get = pair->v[0];
    d->set = pair->v[1];
  } else {
    d->present = PD_VALUE | PD_WRITABLE | PD_ENUMERABLE | PD_CONFIGURABLE;
    d->value = p->loc == LOC_LENGTH ? val_from_number((double)o->length) : *p->ref;
  }
}

static void write_ref(Runtime *rt, const OwnProp *p, Value v) {
  GC_WRITE_BARRIER(rt->heap, p->cell, v);
  *p->ref = v;
}

ObjResult obj_get_own_property(Runtime *rt, Object *o, Atom key, PropertyDescriptor *out) {
  OwnProp p;
  if (!find_own(rt, o, key_of(key), &p)) return OBJ_FALSE;
  read_own(o, &p, out);
  return OBJ_TRUE;
}

/* --- named storage -------------------------------------------------------------------- */

bool obj_to_dict(Runtime *rt, Object *o) {
  Shape *s = o->shape;
  if (shape_is_dict(s)) return true;
  uint32_t n = shape_prop_count(s);
  Shape *ds = shape_dict_for(rt, s);
  if (!ds) return false;
  GCValueArray *d = pdict_new(rt, n + n / 2 + 4);
  if (!d) return false;
  for (uint32_t i = 0; i < n; i++) {
    GCValueArray *tmp = d;
    /* Cannot resize (room for n entries), so cannot fail. */
    pdict_add(rt, NULL, &tmp, shape_prop_key(s, i), *obj_slot_ref(o, i), shape_prop_attrs(s, i));
  }
  uint32_t ni = obj_n_inline(o), base = obj_n_internal(o);
  for (uint32_t i = 0; i < ni; i++) o->fields[base + i] = VAL_UNDEFINED;
  GC_WRITE_BARRIER(rt->heap, o, d);
  o->slots = d;
  o->shape = ds;
  obj_layout_changed(rt, o);
  return true;
}

/* Adds an absent named property holding `stored` (value or accessor pair). */
static ObjResult add_named(Runtime *rt, Object *o, Atom key, Value stored, uint8_t attrs) {
  Shape *s = o->shape;
  if (!shape_is_dict(s) && shape_prop_count(s) >= OBJ_DICT_THRESHOLD) {
    if (!obj_to_dict(rt, o)) return OBJ_ERROR;
    s = o->shape;
  }
  if (shape_is_dict(s)) {
    if (pdict_add(rt, o, &o->slots, key, stored, attrs) < 0) return OBJ_ERROR;
    obj_layout_changed(rt, o);
    return OBJ_TRUE;
  }
  uint32_t i = shape_prop_count(s), ni = obj_n_inline(o);
  /* Grow the out-of-line slots first (a bigger array with the same contents
   * is a consistent state), then take the transition: the new shape is held
   * weakly by its parent, so no allocation may come between creating it and
   * installing it. A failure leaves o's properties untouched. */
  if (i >= ni) {
    uint32_t oi = i - ni, cap = o->slots ? o->slots->h.aux : 0;
    if (oi >= cap) {
      uint32_t ncap = cap ? cap * 2 : 4;
      GCValueArray *a = gc_alloc_value_array(rt->heap, ncap);
      if (!a) {
        rt_throw_out_of_memory(rt);
        return OBJ_ERROR;
      }
      for (uint32_t j = 0; j < cap; j++) {
        GC_WRITE_BARRIER(rt->heap, a, o->slots->v[j]);
        a->v[j] = o->slots->v[j];
      }
      for (uint32_t j = cap; j < ncap; j++) a->v[j] = VAL_UNDEFINED;
      GC_WRITE_BARRIER(rt->heap, o, a);
      o->slots = a;
    }
  }
  Shape *ns = shape_add(rt, s, key, attrs);
  if (!ns) return OBJ_ERROR;
  if (i >= ni) {
    GC_WRITE_BARRIER(rt->heap, o->slots, stored);
    o->slots->v[i - ni] = stored;
  } else {
    GC_WRITE_BARRIER(rt->heap, o, stored);
    o->fields[obj_n_internal(o) + i] = stored;
  }
  o->shape = ns;
  obj_layout_changed(rt, o);
  return OBJ_TRUE;
}

/* Changes the attributes of an existing own property (value untouched). */
static ObjResult set_attrs(Runtime *rt, Object *o, PKey k, OwnProp *p, uint8_t attrs) {
  if (attrs == p->attrs) return OBJ_TRUE;
  if (k.is_index) {
    if (!elem_to_sparse(rt, o)) return OBJ_ERROR;
    int32_t e = pdict_find(o->elements, pdict_index_key(k.index));
    pdict_set_attrs(o->elements, (uint32_t)e, attrs);
    elem_find_own(o, k.index, p);
    return OBJ_TRUE;
  }
  if (!obj_is_dict(o)) {
    if (!obj_to_dict(rt, o)) return OBJ_ERROR;
    find_own(rt, o, k, p);
  }
  pdict_set_attrs(o->slots, p->index, attrs);
  p->attrs = attrs;
  obj_layout_changed(rt, o);
  return OBJ_TRUE;
}

static ObjResult add_property(Runtime *rt, Object *o, PKey k, Value stored, uint8_t attrs) {
  if (k.is_index) return elem_add(rt, o, k.index, stored, attrs);
  return add_named(rt, o, k.atom, stored, attrs);
}

/* --- ValidateAndApplyPropertyDescriptor ----------------------------------------------- */

/* SameValue. Strings compare by contents; the rest by identity (numbers are
 * canonical except int/double twins, handled here). */
static int same_value(Runtime *rt, Value a, Value b) {
  if (a == b) return 1;
  if (val_is_number(a) && val_is_number(b)) {
    double x = val_number(a), y = val_number(b);
    if (x != x && y != y) return 1;
    if (x == 0 && y == 0) return signbit(x) == signbit(y);
    return x == y;
  }
  if (str_is_string(a) && str_is_string(b)) {
    bool eq;
    if (!str_equals(rt, a, b, &eq)) return -1;
    return eq;
  }
  return 0;
}

static ObjResult define_own(Runtime *rt, Object *o, PKey k, const PropertyDescriptor *d) {
  if (!k.is_index && obj_class(o) == OBJ_CLASS_Array && is_length_key(rt, o, k))
    return elem_define_length(rt, o, d);
  OwnProp p;
  if (!find_own(rt, o, k, &p)) {
    if (!obj_is_extensible(o)) return OBJ_FALSE;
    uint8_t attrs = 0;
    if ((d->present & PD_ENUMERABLE) && (d->attrs & PROP_ENUMERABLE)) attrs |= PROP_ENUMERABLE;
    if ((d->present & PD_CONFIGURABLE) && (d->attrs & PROP_CONFIGURABLE))
      attrs |= PROP_CONFIGURABLE;
    Value stored;
    if (pd_is_accessor(d)) {
      GCValueArray *pair = obj_new_accessor_pair(rt, (d->present & PD_GET) ? d->get : VAL_UNDEFINED,
                                                 (d->present & PD_SET) ? d->set : VAL_UNDEFINED);
      if (!pair) return OBJ_ERROR;
      stored = val_from_ptr(pair);
      attrs |= PROP_ACCESSOR;
    } else {
      if ((d->present & PD_WRITABLE) && (d->attrs & PROP_WRITABLE)) attrs |= PROP_WRITABLE;
      stored = (d->present & PD_VALUE) ? d->value : VAL_UNDEFINED;
    }
    return add_property(rt, o, k, stored, attrs);
  }

  bool cur_accessor = (p.attrs & PROP_ACCESSOR) != 0;
  PropertyDescriptor cur;
  read_own(o, &p, &cur);
  if (!(p.attrs & PROP_CONFIGURABLE)) {
    if ((d->present & PD_CONFIGURABLE) && (d->attrs & PROP_CONFIGURABLE)) return OBJ_FALSE;
    if ((d->present & PD_ENUMERABLE) && ((d->attrs ^ p.attrs) & PROP_ENUMERABLE)) return OBJ_FALSE;
    bool generic = !pd_is_accessor(d) && !pd_is_data(d);
    if (!generic && pd_is_accessor(d) != cur_accessor) return OBJ_FALSE;
    if (cur_accessor) {
      if ((d->present & PD_GET) && d->get != cur.get) return OBJ_FALSE;
      if ((d->present & PD_SET) && d->set != cur.set) return OBJ_FALSE;
    } else if (!(p.attrs & PROP_WRITABLE)) {
      if ((d->present & PD_WRITABLE) && (d->attrs & PROP_WRITABLE)) return OBJ_FALSE;
      if (d->present & PD_VALUE) {
        int same = same_value(rt, d->value, cur.value);
        if (same < 0) return OBJ_ERROR;
        if (!same) return OBJ_FALSE;
      }
    }
  }

  /* Apply. Compute the new attributes and stored value, allocating first. */
  uint8_t attrs = p.attrs & (PROP_ENUMERABLE | PROP_CONFIGURABLE);
  if (d->present & PD_ENUMERABLE)
    attrs = (uint8_t)((attrs & ~PROP_ENUMERABLE) | (d->attrs & PROP_ENUMERABLE));
  if (d->present & PD_CONFIGURABLE)
    attrs = (uint8_t)((attrs & ~PROP_CONFIGURABLE) | (d->attrs & PROP_CONFIGURABLE));
  if (pd_is_accessor(d) && !cur_accessor) {
    GCValueArray *pair = obj_new_accessor_pair(rt, (d->present & PD_GET) ? d->get : VAL_UNDEFINED,
                                               (d->present & PD_SET) ? d->set : VAL_UNDEFINED);
    if (!pair) return OBJ_ERROR;
    ObjResult r = set_attrs(rt, o, k, &p, attrs | PROP_ACCESSOR);
    if (r != OBJ_TRUE) return r;
    write_ref(rt, &p, val_from_ptr(pair));
    return OBJ_TRUE;
  }
  if (pd_is_data(d) && cur_accessor) {
    if ((d->present & PD_WRITABLE) && (d->attrs & PROP_WRITABLE)) attrs |= PROP_WRITABLE;
    ObjResult r = set_attrs(rt, o, k, &p, attrs);
    if (r != OBJ_TRUE) return r;
    write_ref(rt, &p, (d->present & PD_VALUE) ? d->value : VAL_UNDEFINED);
    return OBJ_TRUE;
  }
  if (cur_accessor) {
    ObjResult r = set_attrs(rt, o, k, &p, attrs | PROP_ACCESSOR);
    if (r != OBJ_TRUE) return r;
    GCValueArray *pair = val_to_ptr(*p.ref);
    if (d->present & PD_GET) {
      GC_WRITE_BARRIER(rt->heap, pair, d->get);
      pair->v[0] = d->get;
    }
    if (d->present & PD_SET) {
      GC_WRITE_BARRIER(rt->heap, pair, d->set);
      pair->v[1] = d->set;
    }
    return OBJ_TRUE;
  }
  attrs |= p.attrs & PROP_WRITABLE;
  if (d->present & PD_WRITABLE)
    attrs = (uint8_t)((attrs & ~PROP_WRITABLE) | (d->attrs & PROP_WRITABLE));
  ObjResult r = set_attrs(rt, o, k, &p, attrs);
  if (r != OBJ_TRUE) return r;
  if (d->present & PD_VALUE) write_ref(rt, &p, d->value);
  return OBJ_TRUE;
}

ObjResult obj_define_own_property(Runtime *rt, Object *o, Atom key, const PropertyDescriptor *d) {
  return define_own(rt, o, key_of(key), d);
}

ObjResult obj_define_value(Runtime *rt, Object *o, Atom key, Value v, uint8_t attrs) {
  PropertyDescriptor d = pd_data(v, attrs);
  return define_own(rt, o, key_of(key), &d);
}

ObjResult obj_define_accessor(Runtime *rt, Object *o, Atom key, Value get, Value set,
                              uint8_t attrs) {
  PropertyDescriptor d = pd_accessor(get, set, attrs);
  return define_own(rt, o, key_of(key), &d);
}

/* --- prototype chain ---------------------------------------------------------------- */

static void lookup(Runtime *rt, Object *o, PKey k, PropertyLookup *out) {
  out->value = out->get = out->set = VAL_UNDEFINED;
  out->attrs = 0;
  out->index = 0;
  out->loc = LOC_NONE;
  for (Object *cur = o;;) {
    if (cur->h.flags & OBJ_F_EXOTIC) {
      out->result = OBJ_EXOTIC;
      out->holder = cur;
      out->shape = cur->shape;
      return;
    }
    OwnProp p;
    if (find_own(rt, cur, k, &p)) {
      out->holder = cur;
      out->shape = cur->shape;
      out->loc = p.loc;
      out->index = p.index;
      out->attrs = p.attrs;
      if (p.attrs & PROP_ACCESSOR) {
        GCValueArray *pair = val_to_ptr(*p.ref);
        out->get = pair->v[0];
        out->set = pair->v[1];
        out->result = OBJ_CALL_ACCESSOR;
      } else {
        out->value = p.loc == LOC_LENGTH ? val_from_number((double)cur->length) : *p.ref;
        out->result = OBJ_TRUE;
      }
      return;
    }
    Value proto = cur->shape->proto;
    if (!val_is_object(proto)) break;
    cur = val_to_object(proto);
  }
  out->result = OBJ_FALSE;
  out->holder = NULL;
  out->shape = NULL;
}

void obj_lookup(Runtime *rt, Object *o, Atom key, PropertyLookup *out) {
  lookup(rt, o, key_of(key), out);
}

void obj_lookup_element(Runtime *rt, Object *o, uint32_t index, PropertyLookup *out) {
  lookup(rt, o, key_index(index), out);
}

static ObjResult get(Runtime *rt, Object *o, PKey k, Value *out, Object **exotic) {
  /* Own dense element: the common case, no walk. */
  if (k.is_index && obj_get_own_dense(o, k.index, out) == OBJ_TRUE && !(o->h.flags & OBJ_F_EXOTIC))
    return OBJ_TRUE;
  PropertyLookup lk;
  lookup(rt, o, k, &lk);
  switch (lk.result) {
  case OBJ_TRUE: *out = lk.value; return OBJ_TRUE;
  case OBJ_CALL_ACCESSOR: *out = lk.get; return OBJ_CALL_ACCESSOR;
  case OBJ_EXOTIC: *exotic = lk.holder; return OBJ_EXOTIC;
  default: *out = VAL_UNDEFINED; return OBJ_TRUE;
  }
}

ObjResult obj_get(Runtime *rt, Object *o, Atom key, Value *out, Object **exotic) {
  return get(rt, o, key_of(key), out, exotic);
}

ObjResult obj_get_element(Runtime *rt, Object *o, uint32_t index, Value *out, Object **exotic) {
  return get(rt, o, key_index(index), out, exotic);
}

ObjResult obj_has_property(Runtime *rt, Object *o, Atom key, Object **exotic) {
  PropertyLookup lk;
  lookup(rt, o, key_of(key), &lk);
  if (lk.result == OBJ_EXOTIC) {
    *exotic = lk.holder;
    return OBJ_EXOTIC;
  }
  return lk.result == OBJ_FALSE ? OBJ_FALSE : OBJ_TRUE;
}

/* Writes v to an own data property found by lookup. */
static ObjResult write_found(Runtime *rt, Object *o, PKey k, const PropertyLookup *lk, Value v,
                             Object **exotic) {
  if (lk->loc == LOC_LENGTH) {
    /* ToNumber may run JS: only numbers are handled here. */
    if (!val_is_number(v)) {
      *exotic = o;
      return OBJ_EXOTIC;
    }
    double n = val_number(v);
    if (!(n >= 0 && n <= 4294967295.0 && n == floor(n))) {
      rt_throw(rt, ERR_RangeError, "Invalid array length");
      return OBJ_ERROR;
    }
    return obj_array_set_length(rt, o, (uint32_t)n);
  }
  OwnProp p;
  find_own(rt, o, k, &p);
  write_ref(rt, &p, v);
  return OBJ_TRUE;
}

static ObjResult set(Runtime *rt, Object *o, PKey k, Value v, Value receiver, Value *fn,
                     Object **exotic) {
  bool own_receiver = receiver == obj_value(o);
  /* Own writable dense element: no walk. */
  if (k.is_index && own_receiver &&
      !(o->h.flags & (OBJ_F_SPARSE | OBJ_F_EXOTIC | OBJ_F_ELEMS_FROZEN)) &&
      k.index < o->elem_count && o->elements->v[k.index] != VAL_HOLE) {
    GC_WRITE_BARRIER(rt->heap, o->elements, v);
    o->elements->v[k.index] = v;
    return OBJ_TRUE;
  }
  PropertyLookup lk;
  lookup(rt, o, k, &lk);
  switch (lk.result) {
  case OBJ_EXOTIC: *exotic = lk.holder; return OBJ_EXOTIC;
  case OBJ_CALL_ACCESSOR:
    if (lk.set == VAL_UNDEFINED) return OBJ_FALSE;
    *fn = lk.set;
    return OBJ_CALL_ACCESSOR;
  case OBJ_TRUE:
    if (!(lk.attrs & PROP_WRITABLE)) return OBJ_FALSE;
    if (own_receiver && lk.holder == o) return write_found(rt, o, k, &lk, v, exotic);
    break;
  default: break;
  }
  /* The property goes on the receiver. */
  if (!val_is_object(receiver)) return OBJ_FALSE;
  Object *r = val_to_object(receiver);
  if (r->h.flags & OBJ_F_EXOTIC) {
    *exotic = r;
    return OBJ_EXOTIC;
  }
  OwnProp p;
  if (find_own(rt, r, k, &p)) {
    if ((p.attrs & PROP_ACCESSOR) || !(p.attrs & PROP_WRITABLE)) return OBJ_FALSE;
    PropertyDescriptor d = {.present = PD_VALUE, .value = v};
    return define_own(rt, r, k, &d);
  }
  if (!obj_is_extensible(r)) return OBJ_FALSE;
  return add_property(rt, r, k, v, PROP_DEFAULT);
}

ObjResult obj_set(Runtime *rt, Object *o, Atom key, Value v, Value receiver, Value *fn,
                  Object **exotic) {
  return set(rt, o, key_of(key), v, receiver, fn, exotic);
}

ObjResult obj_set_element(Runtime *rt, Object *o, uint32_t index, Value v, Value receiver,
                          Value *fn, Object **exotic) {
  return set(rt, o, key_index(index), v, receiver, fn, exotic);
}

/* --- delete ----------------------------------------------------------------------------- */

static ObjResult delete_own(Runtime *rt, Object *o, PKey k) {
  OwnProp p;
  if (!find_own(rt, o, k, &p)) return OBJ_TRUE;
  if (!(p.attrs & PROP_CONFIGURABLE)) return OBJ_FALSE;
  if (k.is_index) return elem_delete(rt, o, k.index);
  Shape *s = o->shape;
  if (!shape_is_dict(s)) {
    /* Deleting the newest property just steps back along the chain. */
    uint32_t n = shape_prop_count(s);
    if (!(s->h.flags & SHAPE_F_NONEXT) && s->key == k.atom && n > 0 &&
        shape_find(s, k.atom) == (int32_t)(n - 1)) {
      *obj_slot_ref(o, n - 1) = VAL_UNDEFINED;
      o->shape = s->parent;
      obj_layout_changed(rt, o);
      return OBJ_TRUE;
    }
    if (!obj_to_dict(rt, o)) return OBJ_ERROR;
    find_own(rt, o, k, &p);
  }
  pdict_remove(o->slots, p.index);
  obj_layout_changed(rt, o);
  return OBJ_TRUE;
}

ObjResult obj_delete(Runtime *rt, Object *o, Atom key) { return delete_own(rt, o, key_of(key)); }

ObjResult obj_delete_element(Runtime *rt, Object *o, uint32_t index) {
  return delete_own(rt, o, key_index(index));
}

/* --- prototypes ------------------------------------------------------------------------ */

ObjResult obj_set_prototype_of(Runtime *rt, Object *o, Value proto) {
  if (!val_is_object(proto)) proto = VAL_NULL;
  Shape *s = o->shape;
  if (s->proto == proto) return OBJ_TRUE;
  if (!obj_is_extensible(o)) return OBJ_FALSE;
  for (Value p = proto; val_is_object(p);) {
    Object *po = val_to_object(p);
    if (po == o) return OBJ_FALSE;
    if (obj_class(po) == OBJ_CLASS_Proxy) break; /* its [[GetPrototypeOf]] is not ordinary */
    p = po->shape->proto;
  }
  Shape *root = shape_root(rt, proto, roots_of(proto), s->h.bits, s->n_internal, s->n_inline);
  if (!root) return OBJ_ERROR;
  Shape *ns;
  if (shape_is_dict(s)) {
    ns = shape_dict_for(rt, root);
  } else {
    /* Replay the properties on the new tree: slots stay where they are. */
    ns = root;
    uint32_t n = shape_prop_count(s);
    for (uint32_t i = 0; ns && i < n; i++)
      ns = shape_add(rt, ns, shape_prop_key(s, i), s->table->props[i].attrs);
    if (ns && (s->h.flags & (SHAPE_F_NONEXT | SHAPE_F_SEALED | SHAPE_F_FROZEN)))
      ns = shape_with_flag(rt, ns, s->h.flags & (SHAPE_F_NONEXT | SHAPE_F_SEALED | SHAPE_F_FROZEN));
  }
  if (!ns) return OBJ_ERROR;
  o->shape = ns;
  obj_layout_changed(rt, o);
  return OBJ_TRUE;
}

/* --- inline caches ------------------------------------------------------------------------ */

void obj_ic_lookup(Runtime *rt, Object *o, Atom key, ICInfo *out) {
  PropertyLookup lk;
  PKey k = key_of(key);
  lookup(rt, o, k, &lk);
  out->shape = o->shape;
  out->holder = lk.holder;
  out->loc = lk.loc;
  out->index = lk.index;
  out->attrs = lk.attrs;
  out->found = lk.result == OBJ_TRUE || lk.result == OBJ_CALL_ACCESSOR;
  out->accessor = lk.result == OBJ_CALL_ACCESSOR;
  out->epoch = obj_proto_epoch(rt);
  out->cacheable = false;
  if (k.is_index || obj_is_dict(o) || lk.result == OBJ_EXOTIC) return;
  if (lk.result == OBJ_FALSE) {
    out->cacheable = true; /* absent: valid while shape and epoch hold */
    return;
  }
  if (lk.holder == o)
    out->cacheable = lk.loc == LOC_INLINE || lk.loc == LOC_SLOTS;
  else
    out->cacheable = lk.loc == LOC_INLINE || lk.loc == LOC_SLOTS || lk.loc == LOC_DICT;
}

ObjResult obj_set_ic(Runtime *rt, Object *o, Atom key, Value v, Value *fn, Object **exotic,
                     ICStoreInfo *ic) {
  Shape *before = o->shape;
  PKey k = key_of(key);
  ObjResult r = set(rt, o, k, v, obj_value(o), fn, exotic);
  ic->cacheable = false;
  ic->add = false;
  ic->shape = before;
  ic->new_shape = o->shape;
  ic->epoch = obj_proto_epoch(rt);
  if (r != OBJ_TRUE || k.is_index || shape_is_dict(before) || shape_is_dict(o->shape) ||
      (o->h.flags & OBJ_F_EXOTIC))
    return r;
  int32_t i = shape_find(o->shape, key);
  if (i < 0) return r;
  uint32_t ni = obj_n_inline(o);
  ic->loc = (uint32_t)i < ni ? LOC_INLINE : LOC_SLOTS;
  ic->index = (uint32_t)i < ni ? obj_n_internal(o) + (uint32_t)i : (uint32_t)i - ni;
  if (o->shape == before) {
    ic->cacheable =
        (shape_prop_attrs(before, (uint32_t)i) & (PROP_WRITABLE | PROP_ACCESSOR)) == PROP_WRITABLE;
  } else if (o->shape->parent == before && o->shape->key == key &&
             (uint32_t)i == shape_prop_count(before)) {
    ic->add = true;
    ic->cacheable = true;
  }
  return r;
}

ObjResult obj_ic_add_store(Runtime *rt, Object *o, const ICStoreInfo *ic, Value v) {
  if (ic->loc == LOC_SLOTS) {
    uint32_t cap = o->slots ? o->slots->h.aux : 0;
    if (ic->index >= cap) {
      uint32_t ncap = cap ? cap * 2 : 4;
      while (ncap <= ic->index) ncap *= 2;
      GCValueArray *a = gc_alloc_value_array(rt->heap, ncap);
      if (!a) {
        rt_throw_out_of_memory(rt);
        return OBJ_ERROR;
      }
      for (uint32_t j = 0; j < cap; j++) {
        GC_WRITE_BARRIER(rt->heap, a, o->slots->v[j]);
        a->v[j] = o->slots->v[j];
      }
      for (uint32_t j = cap; j < ncap; j++) a->v[j] = VAL_UNDEFINED;
      GC_WRITE_BARRIER(rt->heap, o, a);
      o->slots = a;
    }
    GC_WRITE_BARRIER(rt->heap, o->slots, v);
    o->slots->v[ic->index] = v;
  } else {
    GC_WRITE_BARRIER(rt->heap, o, v);
    o->fields[ic->index] = v;
  }
  /* The cache holds new_shape only weakly through the transition tree; the
   * caller's IC must keep it alive (trace it) while it is cached. */
  o->shape = ic->new_shape;
  obj_layout_changed(rt, o);
  return OBJ_TRUE;
}
