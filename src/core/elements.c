/* elements.c: indexed properties (a dense value array with holes, or a
 * sparse index dictionary once an object gets too sparse or an element gets
 * non-default attributes), Array length, own-key enumeration in spec order
 * and the integrity levels (preventExtensions / seal / freeze). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/object_internal.h"

/* --- storage --------------------------------------------------------------------- */

bool elem_find_own(Object *o, uint32_t index, OwnProp *p) {
  if (o->h.flags & OBJ_F_SPARSE) {
    int32_t e = pdict_find(o->elements, pdict_index_key(index));
    if (e < 0) return false;
    p->attrs = pdict_attrs(o->elements, (uint32_t)e);
    p->ref = pdict_value_ref(o->elements, (uint32_t)e);
  } else {
    if (index >= o->elem_count || o->elements->v[index] == VAL_HOLE) return false;
    p->attrs = elem_dense_attrs(o);
    p->ref = &o->elements->v[index];
  }
  p->loc = LOC_ELEMENT;
  p->index = index;
  p->cell = o->elements;
  return true;
}

bool elem_to_sparse(Runtime *rt, Object *o) {
  if (o->h.flags & OBJ_F_SPARSE) return true;
  uint32_t live = 0;
  for (uint32_t i = 0; i < o->elem_count; i++) live += o->elements->v[i] != VAL_HOLE;
  GCValueArray *d = pdict_new(rt, live + 8);
  if (!d) return false;
  uint8_t attrs = elem_dense_attrs(o);
  for (uint32_t i = 0; i < o->elem_count; i++) {
    Value v = o->elements->v[i];
    if (v == VAL_HOLE) continue;
    GCValueArray *tmp = d; /* sized for all: never resizes */
    pdict_add(rt, NULL, &tmp, pdict_index_key(i), v, attrs);
  }
  GC_WRITE_BARRIER(rt->heap, o, d);
  o->elements = d;
  o->elem_count = 0;
  o->h.flags = (uint8_t)((o->h.flags | OBJ_F_SPARSE) & ~(OBJ_F_ELEMS_SEALED | OBJ_F_ELEMS_FROZEN));
  return true;
}

/* Going dense up to index would waste too much: use the dictionary. */
static bool too_sparse(uint32_t index, uint32_t count) {
  return index >= 1024 && index / 4 > count;
}

ObjResult elem_add(Runtime *rt, Object *o, uint32_t index, Value stored, uint8_t attrs) {
  bool is_array = obj_class(o) == OBJ_CLASS_Array;
  if (is_array && index >= o->length && (o->h.flags & OBJ_F_LENGTH_RO)) return OBJ_FALSE;
  if (!(o->h.flags & OBJ_F_SPARSE)) {
    bool plain = attrs == PROP_DEFAULT && !(o->h.flags & (OBJ_F_ELEMS_SEALED | OBJ_F_ELEMS_FROZEN));
    uint32_t cap = o->elements ? o->elements->h.aux : 0;
    if (plain && index >= cap && !too_sparse(index, o->elem_count)) {
      uint64_t ncap = (uint64_t)cap * 2;
      if (ncap < (uint64_t)index + 1) ncap = (uint64_t)index + 1;
      if (ncap < 8) ncap = 8;
      if (ncap > UINT32_MAX / 2) ncap = (uint64_t)index + 1;
      if (ncap > UINT32_MAX / 2) {
        rt_throw_out_of_memory(rt);
        return OBJ_ERROR;
      }
      GCValueArray *a = gc_alloc_value_array(rt->heap, (uint32_t)ncap);
      if (!a) {
        rt_throw_out_of_memory(rt);
        return OBJ_ERROR;
      }
      for (uint32_t i = 0; i < o->elem_count; i++) {
        GC_WRITE_BARRIER(rt->heap, a, o->elements->v[i]);
        a->v[i] = o->elements->v[i];
      }
      for (uint32_t i = o->elem_count; i < ncap; i++) a->v[i] = VAL_HOLE;
      GC_WRITE_BARRIER(rt->heap, o, a);
      o->elements = a;
      cap = (uint32_t)ncap;
    }
    if (plain && index < cap) {
      for (uint32_t i = o->elem_count; i < index; i++) o->elements->v[i] = VAL_HOLE;
      GC_WRITE_BARRIER(rt->heap, o->elements, stored);
      o->elements->v[index] = stored;
      if (index >= o->elem_count) o->elem_count = index + 1;
      goto done;
    }
    if (!elem_to_sparse(rt, o)) return OBJ_ERROR;
  }
  if (pdict_add(rt, o, &o->elements, pdict_index_key(index), stored, attrs) < 0) return OBJ_ERROR;
done:
  if (is_array && index >= o->length) o->length = index + 1;
  return OBJ_TRUE;
}

ObjResult elem_delete(Runtime *rt, Object *o, uint32_t index) {
  if (o->h.flags & OBJ_F_SPARSE) {
    int32_t e = pdict_find(o->elements, pdict_index_key(index));
    if (e >= 0) pdict_remove(o->elements, (uint32_t)e);
    return OBJ_TRUE;
  }
  if (index < o->elem_count) {
    o->elements->v[index] = VAL_HOLE;
    while (o->elem_count > 0 && o->elements->v[o->elem_count - 1] == VAL_HOLE) o->elem_count--;
  }
  return OBJ_TRUE;
}

/* --- Array length -------------------------------------------------------------------- */

ObjResult obj_array_set_length(Runtime *rt, Object *o, uint32_t len) {
  if (len == o->length) return OBJ_TRUE;
  if (o->h.flags & OBJ_F_LENGTH_RO) return OBJ_FALSE;
  if (len > o->length) {
    o->length = len;
    return OBJ_TRUE;
  }
  if (!(o->h.flags & OBJ_F_SPARSE)) {
    if (o->h.flags & (OBJ_F_ELEMS_SEALED | OBJ_F_ELEMS_FROZEN)) {
      /* Every present element is non-configurable: the highest one stops us. */
      for (uint32_t i = o->elem_count; i > len; i--) {
        if (o->elements->v[i - 1] != VAL_HOLE) {
          o->length = i;
          return OBJ_FALSE;
        }
      }
    } else if (o->elem_count > len) {
      for (uint32_t i = len; i < o->elem_count; i++) o->elements->v[i] = VAL_HOLE;
      o->elem_count = len;
      while (o->elem_count > 0 && o->elements->v[o->elem_count - 1] == VAL_HOLE) o->elem_count--;
      /* Let a large store go once it is mostly empty. */
      if (o->elem_count == 0 && o->elements && o->elements->h.aux > 64) o->elements = NULL;
    }
    o->length = len;
    return OBJ_TRUE;
  }
  /* Sparse: deletion runs from the top and stops at the highest
   * non-configurable element at or above len. */
  GCValueArray *d = o->elements;
  uint64_t stop = len;
  for (uint32_t e = 0; e < pdict_used(d); e++) {
    Value k = pdict_key(d, e);
    if (k == VAL_HOLE || (pdict_attrs(d, e) & PROP_CONFIGURABLE)) continue;
    uint32_t i = pdict_key_index(k);
    if (i >= stop) stop = (uint64_t)i + 1;
  }
  for (uint32_t e = 0; e < pdict_used(d); e++) {
    Value k = pdict_key(d, e);
    if (k != VAL_HOLE && pdict_key_index(k) >= stop) pdict_remove(d, e);
  }
  o->length = (uint32_t)stop;
  if (pdict_live(d) == 0) {
    /* Nothing left: start dense again. */
    o->elements = NULL;
    o->h.flags &= (uint8_t)~OBJ_F_SPARSE;
  }
  return stop == len ? OBJ_TRUE : OBJ_FALSE;
}

ObjResult elem_define_length(Runtime *rt, Object *o, const PropertyDescriptor *d) {
  if ((d->present & PD_CONFIGURABLE) && (d->attrs & PROP_CONFIGURABLE)) return OBJ_FALSE;
  if ((d->present & PD_ENUMERABLE) && (d->attrs & PROP_ENUMERABLE)) return OBJ_FALSE;
  if (pd_is_accessor(d)) return OBJ_FALSE;
  bool ro = (o->h.flags & OBJ_F_LENGTH_RO) != 0;
  bool want_writable = (d->present & PD_WRITABLE) && (d->attrs & PROP_WRITABLE);
  bool want_ro = (d->present & PD_WRITABLE) && !(d->attrs & PROP_WRITABLE);
  if (!(d->present & PD_VALUE)) {
    if (want_writable && ro) return OBJ_FALSE;
    if (want_ro) o->h.flags |= OBJ_F_LENGTH_RO;
    return OBJ_TRUE;
  }
  double n = val_is_number(d->value) ? val_number(d->value) : -1;
  if (!(n >= 0 && n <= 4294967295.0 && n == floor(n))) {
    rt_throw(rt, ERR_RangeError, "Invalid array length");
    return OBJ_ERROR;
  }
  uint32_t len = (uint32_t)n;
  if (ro) return (!want_writable && len == o->length) ? OBJ_TRUE : OBJ_FALSE;
  ObjResult r = obj_array_set_length(rt, o, len);
  if (want_ro) o->h.flags |= OBJ_F_LENGTH_RO;
  return r;
}

/* --- own keys ---------------------------------------------------------------------------- */

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

static bool push_key(Runtime *rt, GCValueArray *out, uint32_t *n, Atom key) {
  if (val_is_exception(key)) return false;
  GC_WRITE_BARRIER(rt->heap, out, key);
  out->v[(*n)++] = key;
  return true;
}

static Atom index_atom(Runtime *rt, uint32_t i) {
  char buf[16];
  int len = snprintf(buf, sizeof buf, "%u", i);
  return atom_from_utf8(rt, buf, (size_t)len);
}

/* Pushes the named keys of one kind (strings or symbols) in creation order. */
static void push_named(Runtime *rt, Object *o, GCValueArray *out, uint32_t *n, bool symbols,
                       bool enum_only) {
  Shape *s = o->shape;
  if (shape_is_dict(s)) {
    GCValueArray *d = o->slots;
    for (uint32_t e = 0; e < pdict_used(d); e++) {
      Value k = pdict_key(d, e);
      if (k == VAL_HOLE || atom_is_symbol(k) != symbols) continue;
      if (enum_only && !(pdict_attrs(d, e) & PROP_ENUMERABLE)) continue;
      push_key(rt, out, n, k);
    }
    return;
  }
  for (uint32_t i = 0; i < shape_prop_count(s); i++) {
    Atom k = shape_prop_key(s, i);
    if (atom_is_symbol(k) != symbols) continue;
    if (enum_only && !(shape_prop_attrs(s, i) & PROP_ENUMERABLE)) continue;
    push_key(rt, out, n, k);
  }
}

GCValueArray *obj_own_keys(Runtime *rt, Object *o, unsigned flags, uint32_t *count) {
  bool enum_only = (flags & OBJ_KEYS_ENUMERABLE_ONLY) != 0;
  bool sparse = (o->h.flags & OBJ_F_SPARSE) != 0;
  uint32_t nidx = 0;
  if (flags & OBJ_KEYS_STRINGS) {
    if (sparse)
      nidx = pdict_live(o->elements);
    else
      for (uint32_t i = 0; i < o->elem_count; i++) nidx += o->elements->v[i] != VAL_HOLE;
  }
  uint32_t nnamed = obj_is_dict(o) ? pdict_live(o->slots) : shape_prop_count(o->shape);
  uint64_t cap = (uint64_t)nidx + nnamed + 1;
  if (cap > UINT32_MAX / 2) {
    rt_throw_out_of_memory(rt);
    return NULL;
  }
  GCValueArray *out = gc_alloc_value_array(rt->heap, (uint32_t)cap);
  if (!out) {
    rt_throw_out_of_memory(rt);
    return NULL;
  }
  for (uint32_t i = 0; i < cap; i++) out->v[i] = VAL_UNDEFINED;
  uint32_t n = 0;
  if (flags & OBJ_KEYS_STRINGS) {
    if (sparse) {
      uint32_t *idx = malloc(sizeof *idx * (nidx ? nidx : 1)), m = 0;
      if (!idx) {
        rt_throw_out_of_memory(rt);
        return NULL;
      }
      GCValueArray *d = o->elements;
      for (uint32_t e = 0; e < pdict_used(d); e++) {
        Value k = pdict_key(d, e);
        if (k == VAL_HOLE) continue;
        if (enum_only && !(pdict_attrs(d, e) & PROP_ENUMERABLE)) continue;
        idx[m++] = pdict_key_index(k);
      }
      qsort(idx, m, sizeof *idx, cmp_u32);
      for (uint32_t i = 0; i < m; i++) {
        if (!push_key(rt, out, &n, index_atom(rt, idx[i]))) {
          free(idx);
          return NULL;
        }
      }
      free(idx);
    } else {
      /* Dense elements are always enumerable. */
      for (uint32_t i = 0; i < o->elem_count; i++) {
        if (o->elements->v[i] == VAL_HOLE) continue;
        if (!push_key(rt, out, &n, index_atom(rt, i))) return NULL;
      }
    }
    if (obj_class(o) == OBJ_CLASS_Array && !enum_only)
      push_key(rt, out, &n, atom_well_known(rt, ATOM_length));
    push_named(rt, o, out, &n, false, enum_only);
  }
  if (flags & OBJ_KEYS_SYMBOLS) push_named(rt, o, out, &n, true, enum_only);
  *count = n;
  return out;
}

/* --- integrity levels ---------------------------------------------------------------------- */

ObjResult obj_prevent_extensions(Runtime *rt, Object *o) {
  if (!obj_is_extensible(o)) return OBJ_TRUE;
  if (!obj_is_dict(o)) {
    Shape *ns = shape_with_flag(rt, o->shape, SHAPE_F_NONEXT);
    if (!ns) return OBJ_ERROR;
    o->shape = ns;
    obj_layout_changed(rt, o);
  }
  o->h.flags &= (uint8_t)~OBJ_F_EXTENSIBLE;
  return OBJ_TRUE;
}

static ObjResult set_integrity(Runtime *rt, Object *o, bool freeze) {
  uint8_t clear = freeze ? PROP_CONFIGURABLE | PROP_WRITABLE : PROP_CONFIGURABLE;
  if (!obj_is_dict(o)) {
    Shape *ns = shape_with_flag(rt, o->shape, freeze ? SHAPE_F_FROZEN : SHAPE_F_SEALED);
    if (!ns) return OBJ_ERROR;
    o->shape = ns;
  } else {
    GCValueArray *d = o->slots;
    for (uint32_t e = 0; e < pdict_used(d); e++) {
      if (pdict_key(d, e) == VAL_HOLE) continue;
      uint8_t a = pdict_attrs(d, e);
      pdict_set_attrs(d, e, (uint8_t)(a & ~((a & PROP_ACCESSOR) ? PROP_CONFIGURABLE : clear)));
    }
  }
  if (o->h.flags & OBJ_F_SPARSE) {
    GCValueArray *d = o->elements;
    for (uint32_t e = 0; e < pdict_used(d); e++) {
      if (pdict_key(d, e) == VAL_HOLE) continue;
      uint8_t a = pdict_attrs(d, e);
      pdict_set_attrs(d, e, (uint8_t)(a & ~((a & PROP_ACCESSOR) ? PROP_CONFIGURABLE : clear)));
    }
  } else {
    o->h.flags |= freeze ? OBJ_F_ELEMS_FROZEN : OBJ_F_ELEMS_SEALED;
  }
  if (freeze && obj_class(o) == OBJ_CLASS_Array) o->h.flags |= OBJ_F_LENGTH_RO;
  o->h.flags &= (uint8_t)~OBJ_F_EXTENSIBLE;
  obj_layout_changed(rt, o);
  return OBJ_TRUE;
}

ObjResult obj_seal(Runtime *rt, Object *o) { return set_integrity(rt, o, false); }
ObjResult obj_freeze(Runtime *rt, Object *o) { return set_integrity(rt, o, true); }

/* Does an own property with these attributes break the level? */
static bool breaks(uint8_t a, bool frozen) {
  if (a & PROP_CONFIGURABLE) return true;
  return frozen && !(a & PROP_ACCESSOR) && (a & PROP_WRITABLE);
}

static bool test_integrity(Object *o, bool frozen) {
  if (obj_is_extensible(o)) return false;
  Shape *s = o->shape;
  if (shape_is_dict(s)) {
    GCValueArray *d = o->slots;
    for (uint32_t e = 0; e < pdict_used(d); e++)
      if (pdict_key(d, e) != VAL_HOLE && breaks(pdict_attrs(d, e), frozen)) return false;
  } else {
    for (uint32_t i = 0; i < shape_prop_count(s); i++)
      if (breaks(shape_prop_attrs(s, i), frozen)) return false;
  }
  if (o->h.flags & OBJ_F_SPARSE) {
    GCValueArray *d = o->elements;
    for (uint32_t e = 0; e < pdict_used(d); e++)
      if (pdict_key(d, e) != VAL_HOLE && breaks(pdict_attrs(d, e), frozen)) return false;
  } else {
    bool any = false;
    for (uint32_t i = 0; i < o->elem_count && !any; i++) any = o->elements->v[i] != VAL_HOLE;
    if (any && breaks(elem_dense_attrs(o), frozen)) return false;
  }
  if (frozen && obj_class(o) == OBJ_CLASS_Array && !(o->h.flags & OBJ_F_LENGTH_RO)) return false;
  return true;
}

bool obj_is_sealed(Runtime *rt, Object *o) { return test_integrity(o, false); }
bool obj_is_frozen(Runtime *rt, Object *o) { return test_integrity(o, true); }
