/* array.c: the Array constructor, Array.prototype and %ArrayIteratorPrototype%.
 * Methods follow the spec's generic algorithms on any array-like (Get/Set/
 * HasProperty by index); dense arrays take fast paths through the element
 * store where the result cannot differ. */
#include <stdlib.h>
#include <string.h>

#include "js/builtins/builtins.h"

static bool is_array(Value v) {
  return val_is_object(v) && obj_class(val_to_object(v)) == OBJ_CLASS_Array;
}

/* A dense array without holes whose elements can be read directly. */
static bool dense_array(Value v, uint64_t len) {
  if (!is_array(v)) return false;
  Object *o = val_to_object(v);
  return !(o->h.flags & OBJ_F_SPARSE) && o->elem_count >= len;
}

/* ArraySpeciesCreate, simplified: a plain array of the current realm. */
static Value new_array(Runtime *rt, uint64_t len) {
  if (len > UINT32_MAX) return js_throw(rt, ERR_RangeError, "Invalid array length");
  Object *a = obj_new_array(rt, js_realm(rt)->intrinsics[JS_INTR_ArrayPrototype], (uint32_t)len);
  return a ? obj_value(a) : VAL_EXCEPTION;
}

/* ArraySpeciesCreate(original, length). */
static Value species_create_ex(Runtime *rt, Value original, uint64_t len, bool *plain) {
  *plain = false;
  /* A plain result starts empty so appends take the fast path; the callers
   * set its length at the end. */
  if (len > UINT32_MAX) return js_throw(rt, ERR_RangeError, "Invalid array length");
  if (!is_array(original)) {
    *plain = true;
    return new_array(rt, 0);
  }
  Value c = js_get(rt, original, atom_well_known(rt, ATOM_constructor));
  if (val_is_exception(c)) return c;
  /* Another realm's Array constructor counts as absent. */
  if (js_is_constructor(c))
    for (JsRealm *r = js_rt(rt)->realms; r; r = r->next_realm)
      if (r != js_realm(rt) && r->intrinsics[JS_INTR_Array] == c) c = VAL_UNDEFINED;
  if (val_is_object(c)) {
    c = js_get(rt, c, sym_well_known(rt, SYM_species));
    if (val_is_exception(c)) return c;
    if (val_is_null(c)) c = VAL_UNDEFINED;
  }
  if (val_is_undefined(c)) {
    *plain = true;
    return new_array(rt, 0);
  }
  if (!js_is_constructor(c)) return js_throw(rt, ERR_TypeError, "object constructor is not a constructor");
  Value n = bi_number((double)len);
  return js_construct(rt, c, 1, &n, VAL_UNDEFINED);
}

static Value species_create(Runtime *rt, Value original, uint64_t len) {
  bool plain;
  return species_create_ex(rt, original, len, &plain);
}

/* Appends to a scratch array only this file sees. */
static bool scratch_push(Runtime *rt, Object *a, Value v) {
  return bi_create_index(rt, obj_value(a), a->length, v);
}

static Value this_obj(Runtime *rt, Value this_val, uint64_t *len) {
  Value o = js_to_object(rt, this_val);
  if (val_is_exception(o)) return o;
  if (!bi_length(rt, o, len)) return VAL_EXCEPTION;
  return o;
}

/* --- constructor ------------------------------------------------------------------------- */

static Value array_ctor(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,
                        Value new_target, int magic) {
  Value proto = js_realm(rt)->intrinsics[JS_INTR_ArrayPrototype];
  if (!val_is_undefined(new_target) && new_target != func) {
    proto = js_get_prototype_from_ctor(rt, new_target, JS_INTR_ArrayPrototype);
    if (val_is_exception(proto)) return proto;
  }
  Object *a = obj_new_array(rt, proto, 0);
  if (!a) return VAL_EXCEPTION;
  Value av = obj_value(a);
  if (argc == 1) {
    Value n = ARG(0);
    if (!val_is_number(n)) {
      if (!scratch_push(rt, a, n)) return VAL_EXCEPTION;
      return av;
    }
    double d = val_number(n);
    uint32_t len = (uint32_t)d;
    if (d < 0 || d != (double)len || d > 4294967295.0)
      return js_throw(rt, ERR_RangeError, "Invalid array length");
    if (obj_array_set_length(rt, a, len) != OBJ_TRUE) return VAL_EXCEPTION;
    return av;
  }
  for (int i = 0; i < argc; i++)
    if (!scratch_push(rt, a, ARG(i))) return VAL_EXCEPTION;
  return av;
}

static Value array_is_array(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,
                            Value new_target, int magic) {
  return val_from_bool(is_array(ARG(0)));
}

/* Creates the result of Array.of / Array.from: new C(len) when this is a
 * constructor other than Array, else a plain array. */
static Value construct_this(Runtime *rt, Value this_val, bool with_len, uint64_t len) {
  if (js_is_constructor(this_val) && this_val != js_realm(rt)->intrinsics[JS_INTR_Array]) {
    Value n = bi_number((double)len);
    return js_construct(rt, this_val, with_len ? 1 : 0, &n, VAL_UNDEFINED);
  }
  return new_array(rt, 0);
}

static Value array_of(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,
                      Value new_target, int magic) {
  Value a = construct_this(rt, this_val, true, (uint64_t)argc);
  if (val_is_exception(a)) return a;
  for (int i = 0; i < argc; i++)
    if (!bi_create_index(rt, a, (uint64_t)i, ARG(i))) return VAL_EXCEPTION;
  if (!bi_set_length(rt, a, (uint64_t)argc)) return VAL_EXCEPTION;
  return a;
}

static Value array_from(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,
                        Value new_target, int magic) {
  Value items = ARG(0), mapfn = ARG(1), this_arg = ARG(2);
  bool mapping = !val_is_undefined(mapfn);
  if (mapping && !js_is_callable(mapfn))
    return js_throw(rt, ERR_TypeError, "Array.from: mapper is not a function");
  Value using = val_is_nullish(items) ? VAL_UNDEFINED
                                      : js_get(rt, items, sym_well_known(rt, SYM_iterator));
  if (val_is_exception(using)) return using;
  if (!val_is_nullish(using)) {
    Value a = construct_this(rt, this_val, false, 0);
    if (val_is_exception(a)) return a;
    Value iter, next;
    if (!js_get_iterator(rt, items, &iter, &next)) return VAL_EXCEPTION;
    for (uint64_t k = 0;; k++) {
      bool done;
      Value v;
      if (!js_iterator_step(rt, iter, next, &done, &v)) return VAL_EXCEPTION;
      if (done) {
        if (!bi_set_length(rt, a, k)) return VAL_EXCEPTION;
        return a;
      }
      if (mapping) {
        Value args[2] = {v, bi_number((double)k)};
        v = js_call(rt, mapfn, this_arg, 2, args);
        if (val_is_exception(v)) {
          js_iterator_close(rt, iter);
          return v;
        }
      }
      if (!bi_create_index(rt, a, k, v)) {
        js_iterator_close(rt, iter);
        return VAL_EXCEPTION;
      }
    }
  }
  Value src = js_to_object(rt, items);
  if (val_is_exception(src)) return src;
  uint64_t len;
  if (!bi_length(rt, src, &len)) return VAL_EXCEPTION;
  Value a = construct_this(rt, this_val, true, len);
  if (val_is_exception(a)) return a;
  for (uint64_t k = 0; k < len; k++) {
    Value v = bi_get_index(rt, src, k);
    if (val_is_exception(v)) return v;
    if (mapping) {
      Value args[2] = {v, bi_number((double)k)};
      v = js_call(rt, mapfn, this_arg, 2, args);
      if (val_is_exception(v)) return v;
    }
    if (!bi_create_index(rt, a, k, v)) return VAL_EXCEPTION;
  }
  if (!bi_set_length(rt, a, len)) return VAL_EXCEPTION;
  return a;
}

/* --- mutators ---------------------------------------------------------------------------- */

static Value proto_push(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,
                        Value new_target, int magic) {
  uint64_t len;
  Value o = this_obj(rt, this_val, &len);
  if (val_is_exception(o)) return o;
  if (len + (uint64_t)argc > 9007199254740991ull)
    return js_throw(rt, ERR_TypeError, "Pushing %d elements on an array-like of length %llu is "
                    "disallowed", argc, (unsigned long long)len);
  Object *a = val_to_object(o);
  if (argc > 0 && is_array(o) && len + (uint64_t)argc < UINT32_MAX && obj_is_extensible(a) &&
      !(a->h.flags & OBJ_F_LENGTH_RO) && bi_chain_elementless(a)) {
    for (int i = 0; i < argc; i++)
      if (!js_array_push(rt, a, ARG(i))) return VAL_EXCEPTION;
    return bi_number((double)a->length);
  }
  for (int i = 0; i < argc; i++)
    if (!bi_set_index(rt, o, len + (uint64_t)i, ARG(i))) return VAL_EXCEPTION;
  len += (uint64_t)argc;
  if (!bi_set_length(rt, o, len)) return VAL_EXCEPTION;
  return bi_number((double)len);
}

static Value proto_pop(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,
                       Value new_target, int magic) {
  uint64_t len;
  Value o = this_obj(rt, this_val, &len);
  if (val_is_exception(o)) return o;
  if (len == 0) return bi_set_length(rt, o, 0) ? VAL_UNDEFINED : VAL_EXCEPTION;
  Value v = bi_get_index(rt, o, len - 1);
  if (val_is_exception(v)) return v;
  if (!bi_delete_index(rt, o, len - 1) || !bi_set_length(rt, o, len - 1)) return VAL_EXCEPTION;
  return v;
}

/* Moves [from, from+count) to [to, to+count) generically (holes stay holes). */
static bool move_range(Runtime *rt, Value o, uint64_t from, uint64_t to, uint64_t count) {
  bool backwards = to > from;
  for (uint64_t n = 0; n < count; n++) {
    uint64_t i = backwards ? count - 1 - n : n;
    bool has;
    if (!bi_has_index(rt, o, from + i, &has)) return false;
    if (has) {
      Value v = bi_get_index(rt, o, from + i);
      if (val_is_exception(v) || !bi_set_index(rt, o, to + i, v)) return false;
    } else if (!bi_delete_index(rt, o, to + i)) {
      return false;
    }
  }
  return true;
}

static Value proto_shift(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,
                         Value new_target, int magic) {
  uint64_t len;
  Value o = this_obj(rt, this_val, &len);
  if (val_is_exception(o)) return o;
  if (len == 0) return bi_set_length(rt, o, 0) ? VAL_UNDEFINED : VAL_EXCEPTION;
  Value first = bi_get_index(rt, o, 0);
  if (val_is_exception(first)) return first;
  if (!move_range(rt, o, 1, 0, len - 1) || !bi_delete_index(rt, o, len - 1) ||
      !bi_set_length(rt, o, len - 1))
    return VAL_EXCEPTION;
  return first;
}

static Value proto_unshift(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,
                           Value new_target, int magic) {
  uint64_t len;
  Value o = this_obj(rt, this_val, &len);
  if (val_is_exception(o)) return o;
  if (argc > 0) {
    if (len + (uint64_t)argc > 9007199254740991ull)
      return js_throw(rt, ERR_TypeError, "unshift: length too large");
    if (!move_range(rt, o, 0, (uint64_t)argc, len)) return VAL_EXCEPTION;
    for (int i = 0; i < argc; i++)
      if (!bi_set_index(rt, o, (uint64_t)i, ARG(i))) return VAL_EXCEPTION;
  }
  len += (uint64_t)argc;
  if (!bi_set_length(rt, o, len)) return VAL_EXCEPTION;
  return bi_number((double)len);
}

static Value proto_splice(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,
                          Value new_target, int magic) {
  uint64_t len, start, del;
  Value o = this_obj(rt, this_val, &len);
  if (val_is_exception(o)) return o;
  if (!bi_relative_index(rt, ARG(0), len, 0, &start)) return VAL_EXCEPTION;
  if (argc == 0) del = 0;
  else if (argc == 1) del = len - start;
  else {
    double d;
    if (!js_to_integer_or_infinity(rt, ARG(1), &d)) return VAL_EXCEPTION;
    d = d < 0 ? 0 : d;
    del = d > (double)(len - start) ? len - start : (uint64_t)d;
  }
  uint64_t items = argc > 2 ? (uint64_t)argc - 2 : 0;
  if (len + items - del > 9007199254740991ull)
    return js_throw(rt, ERR_TypeError, "splice: length too large");
  Value removed = species_create(rt, o, del);
  if (val_is_exception(removed)) return removed;
  for (uint64_t k = 0; k < del; k++) {
    bool has;
    if (!bi_has_index(rt, o, start + k, &has)) return VAL_EXCEPTION;
    if (has) {
      Value v = bi_get_index(rt, o, start + k);
      if (val_is_exception(v) || !bi_create_index(rt, removed, k, v)) return VAL_EXCEPTION;
    }
  }
  if (!bi_set_length(rt, removed, del)) return VAL_EXCEPTION;
  if (items < del) {
    if (!move_range(rt, o, start + del, start + items, len - start - del)) return VAL_EXCEPTION;
    for (uint64_t k = len; k > len - del + items; k--)
      if (!bi_delete_index(rt, o, k - 1)) return VAL_EXCEPTION;
  } else if (items > del) {
    if (!move_range(rt, o, start + del, start + items, len - start - del)) return VAL_EXCEPTION;
  }
  for (uint64_t k = 0; k < items; k++)
    if (!bi_set_index(rt, o, start + k, argv[2 + k])) return VAL_EXCEPTION;
  if (!bi_set_length(rt, o, len - del + items)) return VAL_EXCEPTION;
  return removed;
}

static Value proto_reverse(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,
                           Value new_target, int magic) {
  uint64_t len;
  Value o = this_obj(rt, this_val, &len);
  if (val_is_exception(o)) return o;
  for (uint64_t lo = 0, hi = len ? len - 1 : 0; lo < hi; lo++, hi--) {
    bool hl, hh;
    Value lv = VAL_UNDEFINED, hv = VAL_UNDEFINED;
    if (!bi_has_index(rt, o, lo, &hl)) return VAL_EXCEPTION;
    if (hl && val_is_exception(lv = bi_get_index(rt, o, lo))) return VAL_EXCEPTION;
    if (!bi_has_index(rt, o, hi, &hh)) return VAL_EXCEPTION;
    if (hh && val_is_exception(hv = bi_get_index(rt, o, hi))) return VAL_EXCEPTION;
    if (hh ? !bi_set_index(rt, o, lo, hv) : !bi_delete_index(rt, o, lo)) return VAL_EXCEPTION;
    if (hl ? !bi_set_index(rt, o, hi, lv) : !bi_delete_index(rt, o, hi)) return VAL_EXCEPTION;
  }
  return o;
}

static Value proto_fill(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,
                        Value new_target, int magic) {
  uint64_t len, k, end;
  Value o = this_obj(rt, this_val, &len);
  if (val_is_exception(o)) return o;
  if (!bi_relative_index(rt, ARG(1), len, 0, &k) || !bi_relative_index(rt, ARG(2), len, len, &end))
    return VAL_EXCEPTION;
  for (; k < end; k++)
    if (!bi_set_index(rt, o, k, ARG(0))) return VAL_EXCEPTION;
  return o;
}

/* --- sort -------------------------------------------------------------------------------- */

typedef struct SortCtx {
  Runtime *rt;
  Value cmp;
  Object *items; /* values [0, n), then without a comparator their string keys [n, 2n) */
  uint32_t n;
  bool failed;
} SortCtx;

/* The string SortCompare compares for item i: precomputed for primitives
 * (converting them has no side effects), converted per comparison for
 * objects, whose toString may observe it. */
static Value sort_key(SortCtx *c, uint32_t i) {
  Value k = c->items->elements->v[c->n + i];
  return val_is_undefined(k) ? js_to_string(c->rt, c->items->elements->v[i]) : k;
}

/* SortCompare of items i and j (undefined never reaches it). <0, 0, >0. */
static int sort_compare(SortCtx *c, uint32_t i, uint32_t j) {
  if (c->failed) return 0;
  Runtime *rt = c->rt;
  if (!val_is_undefined(c->cmp)) {
    Value args[2] = {c->items->elements->v[i], c->items->elements->v[j]};
    Value r = js_call(rt, c->cmp, VAL_UNDEFINED, 2, args);
    double d;
    if (val_is_exception(r) || !js_to_number(rt, r, &d)) {
      c->failed = true;
      return 0;
    }
    return d < 0 ? -1 : d > 0 ? 1 : 0;
  }
  Value a = sort_key(c, i), b = val_is_exception(a) ? a : sort_key(c, j);
  int out = 0;
  if (val_is_exception(b) || !str_compare(rt, a, b, &out)) c->failed = true;
  return out;
}

/* Stable merge sort of the permutation v[0..n) with scratch tmp[0..n):
 * insertion sort on runs of 8, then bottom-up merges. */
static void merge_sort(SortCtx *c, uint32_t *v, uint32_t *tmp, uint32_t n) {
  for (uint32_t i = 1; i < n && !c->failed; i++) {
    if (i % 8 == 0) continue;
    uint32_t x = v[i], j = i;
    while (j % 8 != 0 && sort_compare(c, v[j - 1], x) > 0) {
      v[j] = v[j - 1];
      j--;
    }
    v[j] = x;
  }
  for (uint32_t width = 8; width < n && !c->failed; width *= 2) {
    for (uint32_t lo = 0; lo < n; lo += 2 * width) {
      uint32_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
      uint32_t i = lo, j = mid, k = lo;
      /* Already in order: nothing to merge. */
      if (mid < hi && sort_compare(c, v[mid], v[mid - 1]) >= 0) {
        memcpy(tmp + lo, v + lo, sizeof(uint32_t) * (hi - lo));
        continue;
      }
      while (i < mid && j < hi) tmp[k++] = sort_compare(c, v[j], v[i]) < 0 ? v[j++] : v[i++];
      while (i < mid) tmp[k++] = v[i++];
      while (j < hi) tmp[k++] = v[j++];
    }
    memcpy(v, tmp, sizeof(uint32_t) * n);
  }
}

static Value proto_sort(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,
                        Value new_target, int magic) {
  Value cmp = ARG(0);
  if (!val_is_undefined(cmp) && !js_is_callable(cmp))
    return js_throw(rt, ERR_TypeError, "The comparison function must be either a function or undefined");
  uint64_t len;
  Value o = this_obj(rt, this_val, &len);
  if (val_is_exception(o)) return o;
  if (len > UINT32_MAX / 2) return js_throw(rt, ERR_RangeError, "Invalid array length");
  /* Collect present, non-undefined values into a GC-visible scratch array. */
  Value items = new_array(rt, 0);
  if (val_is_exception(items)) return items;
  Object *it = val_to_object(items);
  uint64_t undefs = 0;
  for (uint64_t k = 0; k < len; k++) {
    bool has;
    if (!bi_has_index(rt, o, k, &has)) return VAL_EXCEPTION;
    if (!has) continue;
    Value v = bi_get_index(rt, o, k);
    if (val_is_exception(v)) return v;
    if (val_is_undefined(v)) undefs++;
    else if (!scratch_push(rt, it, v)) return VAL_EXCEPTION;
  }
  uint32_t n = it->length;
  for (uint32_t i = 0; i < n; i++) {
    Value key = VAL_UNDEFINED, v = it->elements->v[i];
    if (val_is_undefined(cmp) && !val_is_object(v) && val_is_exception(key = js_to_string(rt, v)))
      return VAL_EXCEPTION;
    if (!scratch_push(rt, it, key)) return VAL_EXCEPTION;
  }
  uint32_t *perm = malloc(sizeof(uint32_t) * 2 * (n ? n : 1));
  if (!perm) return js_throw(rt, ERR_InternalError, "out of memory");
  for (uint32_t i = 0; i < n; i++) perm[i] = i;
  SortCtx c = {rt, cmp, it, n, false};
  merge_sort(&c, perm, perm + n, n);
  if (c.failed) {
    free(perm);
    return VAL_EXCEPTION;
  }
  uint64_t k = 0;
  bool ok = true;
  for (; ok && k < n; k++) ok = bi_set_index(rt, o, k, it->elements->v[perm[k]]);
  free(perm);
  if (!ok) return VAL_EXCEPTION;
  for (uint64_t u = 0; u < undefs; u++, k++)
    if (!bi_set_index(rt, o, k, VAL_UNDEFINED)) return VAL_EXCEPTION;
  for (; k < len; k++)
    if (!bi_delete_index(rt, o, k)) return VAL_EXCEPTION;
  return o;
}

/* --- non-mutating ------------------------------------------------------------------------ */

static Value proto_slice(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,
                         Value new_target, int magic) {
  uint64_t len, k, end;
  Value o = this_obj(rt, this_val, &len);
  if (val_is_exception(o)) return o;
  if (!bi_relative_index(rt, ARG(0), len, 0, &k) || !bi_relative_index(rt, ARG(1), len, len, &end))
    return VAL_EXCEPTION;
  uint64_t count = end > k ? end - k : 0;
  Value a = species_create(rt, o, count);
  if (val_is_exception(a)) return a;
  for (uint64_t n = 0; k < end; k++, n++) {
    bool has;
    if (!bi_has_index(rt, o, k, &has)) return VAL_EXCEPTION;
    if (!has) continue;
    Value v = bi_get_index(rt, o, k);
    if (val_is_exception(v) || !bi_create_index(rt, a, n, v)) return VAL_EXCEPTION;
  }
  if (!bi_set_length(rt, a, count)) return VAL_EXCEPTION;
  return a;
}

static bool is_concat_spreadable(Runtime *rt, Value v, bool *out) {
  if (!val_is_object(v)) {
    *out = false;
    return true;
  }
  Value s = js_get(rt, v, sym_well_known(rt, SYM_isConcatSpreadable));
  if (val_is_exception(s)) return false;
  *out = val_is_undefined(s) ? is_array(v) : js_to_boolean(s);
  return true;
}

static Value proto_concat(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,
                          Value new_target, int magic) {
  Value o = js_to_object(rt, this_val);
  if (val_is_exception(o)) return o;
  Value a = species_create(rt, o, 0);
  if (val_is_exception(a)) return a;
  uint64_t n = 0;
  for (int i = -1; i < argc; i++) {
    Value e = i < 0 ? o : ARG(i);
    bool spread;
    if (!is_concat_spreadable(rt, e, &spread)) return VAL_EXCEPTION;
    if (!spread) {
      if (!bi_create_index(rt, a, n++, e)) return VAL_EXCEPTION;
      continue;
    }
    uint64_t len;
    if (!bi_length(rt, e, &len)) return VAL_EXCEPTION;
    if (n + len > 9007199254740991ull) return js_throw(rt, ERR_TypeError, "concat: too long");
    for (uint64_t k = 0; k < len; k++, n++) {
      bool has;
      if (!bi_has_index(rt, e, k, &has)) return VAL_EXCEPTION;
      if (!has) continue;
      Value v = bi_get_index(rt, e, k);
      if (val_is_exception(v) || !bi_create_index(rt, a, n, v)) return VAL_EXCEPTION;
    }
  }
  if (!bi_set_length(rt, a, n)) return VAL_EXCEPTION;
  return a;
}

static Value join(Runtime *rt, Value o, uint64_t len, Value sep) {
  StrBuilder b;
  str_builder_init(&b, rt);
  for (uint64_t k = 0; k < len; k++) {
    if (k > 0 && !str_builder_append_string(&b, sep)) goto fail;
    Value v = bi_get_index(rt, o, k);
    if (val_is_exception(v)) goto fail;
    if (val_is_nullish(v)) continue;
    Value s = js_to_string(rt, v);
    if (val_is_exception(s) || !str_builder_append_string(&b, s)) goto fail;
  }
  return str_builder_finish(&b);
fail:
  str_builder_free(&b);
  return VAL_EXCEPTION;
}

/* Arrays being joined, to break cycles (a.join() inside a's own elements). */
#define JOIN_STACK_MAX 64
static _Thread_local Value join_stack[JOIN_STACK_MAX];
static _Thread_local int join_depth;

static Value proto_join(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,
                        Value new_target, int magic) {
  uint64_t len;
  Value o = this_obj(rt, this_val, &len);
  if (val_is_exception(o)) return o;
  Value sep = val_is_undefined(ARG(0)) ? str_from_cstr(rt, ",") : js_to_string(rt, ARG(0));
  if (val_is_exception(sep)) return sep;
  for (int i = 0; i < join_depth; i++)
    if (join_stack[i] == o) return str_empty(rt);
  if (join_depth >= JOIN_STACK_MAX) return js_throw(rt, ERR_RangeError, "join: nesting too deep");
  join_stack[join_depth++] = o;
  Value r = join(rt, o, len, sep);
  join_depth--;
  return r;
}

static Value proto_to_string(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,
                             Value new_target, int magic) {
  Value o = js_to_object(rt, this_val);
  if (val_is_exception(o)) return o;
  Value j = js_get(rt, o, atom_from_cstr(rt, "join"));
  if (val_is_exception(j)) return j;
  if (js_is_callable(j)) return js_call(rt, j, o, 0, NULL);
  Value ots = js_get(rt, js_realm(rt)->intrinsics[JS_INTR_ObjectPrototype],
                     atom_well_known(rt, ATOM_toString));
  if (val_is_exception(ots)) return ots;
  return js_call(rt, ots, o, 0, NULL);
}

static Value proto_to_locale_string(Runtime *rt, Value func, Value this_val, int argc,
                                    const Value *argv, Value new_target, int magic) {
  uint64_t len;
  Value o = this_obj(rt, this_val, &len);
  if (val_is_exception(o)) return o;
  StrBuilder b;
  str_builder_init(&b, rt);
  for (uint64_t k = 0; k < len; k++) {
    if (k > 0 && !str_builder_append_char(&b, ',')) goto fail;
    Value v = bi_get_index(rt, o, k);
    if (val_is_exception(v)) goto fail;
    if (val_is_nullish(v)) continue;
    Value s = js_invoke(rt, v, atom_from_cstr(rt, "toLocaleString"), 0, NULL);
    if (val_is_exception(s) || val_is_exception(s = js_to_string(rt, s)) ||
        !str_builder_append_string(&b, s))
      goto fail;
  }
  return str_builder_finish(&b);
fail:
  str_builder_free(&b);
  return VAL_EXCEPTION;
}

/* indexOf (magic 0), lastIndexOf (1), includes (2). */
static Value proto_search(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,
                          Value new_target, int magic) {
  uint64_t len;
  Value o = this_obj(rt, this_val, &len);
  if (val_is_exception(o)) return o;
  Value target = ARG(0);
  if (len == 0) return magic == 2 ? VAL_FALSE : val_from_int(-1);
  double n;
  if (magic == 1) {
    n = (double)len - 1;
    if (argc > 1 && !js_to_integer_or_infinity(rt, ARG(1), &n)) return VAL_EXCEPTION;
    double k = n >= 0 ? (n < (double)len - 1 ? n : (double)len - 1) : (double)len + n;
    for (; k >= 0; k--) {
      bool has;
      if (!bi_has_index(rt, o, (uint64_t)k, &has)) return VAL_EXCEPTION;
      if (!has) continue;
      Value v = bi_get_index(rt, o, (uint64_t)k);
      if (val_is_exception(v)) return v;
      if (js_strict_equals(rt, v, target)) return bi_number(k);
    }
    return val_from_int(-1);
  }
  if (!js_to_integer_or_infinity(rt, ARG(1), &n)) return VAL_EXCEPTION;
  if (n >= (double)len) return magic == 2 ? VAL_FALSE : val_from_int(-1);
  uint64_t k = n >= 0 ? (uint64_t)n : (n + (double)len < 0 ? 0 : (uint64_t)(n + (double)len));
  for (; k < len; k++) {
    Value v;
    if (magic == 2) {
      v = bi_get_index(rt, o, k);
      if (val_is_exception(v)) return v;
      if (js_same_value_zero(rt, v, target)) return VAL_TRUE;
      continue;
    }
    bool has;
    if (!bi_has_index(rt, o, k, &has)) return VAL_EXCEPTION;
    if (!has) continue;
    v = bi_get_index(rt, o, k);
    if (val_is_exception(v)) return v;
    if (js_strict_equals(rt, v, target)) return bi_number((double)k);
  }
  return magic == 2 ? VAL_FALSE : val_from_int(-1);
}

/* find (0), findIndex (1), findLast (2), findLastIndex (3). */
static Value proto_find(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,
                        Value new_target, int magic) {
  uint64_t len;
  Value o = this_obj(rt, this_val, &len);
  if (val_is_exception(o)) return o;
  if (!js_is_callable(ARG(0))) return js_throw(rt, ERR_TypeError, "predicate is not a function");
  bool last = magic >= 2, want_index = magic & 1;
  for (uint64_t n = 0; n < len; n++) {
    uint64_t k = last ? len - 1 - n : n;
    Value v = bi_get_index(rt, o, k);
    if (val_is_exception(v)) return v;
    Value args[3] = {v, bi_number((double)k), o};
    Value r = js_call(rt, ARG(0), ARG(1), 3, args);
    if (val_is_exception(r)) return r;
    if (js_to_boolean(r)) return want_index ? bi_number((double)k) : v;
  }
  return want_index ? val_from_int(-1) : VAL_UNDEFINED;
}

enum { IT_FOREACH, IT_MAP, IT_FILTER, IT_SOME, IT_EVERY };

static Value proto_iterate(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,
                           Value new_target, int magic) {
  uint64_t len;
  Value o = this_obj(rt, this_val, &len);
  if (val_is_exception(o)) return o;
  Value fn = ARG(0);
  if (!js_is_callable(fn)) return js_throw(rt, ERR_TypeError, "callback is not a function");
  Value a = VAL_UNDEFINED;
  uint64_t to = 0;
  bool plain = false;
  if (magic == IT_MAP || magic == IT_FILTER) {
    a = species_create_ex(rt, o, magic == IT_MAP ? len : 0, &plain);
    if (val_is_exception(a)) return a;
  }
  for (uint64_t k = 0; k < len; k++) {
    Value v;
    if (dense_array(o, len) && obj_get_own_dense(val_to_object(o), (uint32_t)k, &v) == OBJ_TRUE) {
      /* present */
    } else {
      bool has;
      if (!bi_has_index(rt, o, k, &has)) return VAL_EXCEPTION;
      if (!has) continue;
      v = bi_get_index(rt, o, k);
      if (val_is_exception(v)) return v;
    }
    Value args[3] = {v, bi_number((double)k), o};
    Value r = js_call(rt, fn, ARG(1), 3, args);
    if (val_is_exception(r)) return r;
    switch (magic) {
    case IT_MAP:
      if (!bi_create_index(rt, a, k, r)) return VAL_EXCEPTION;
      break;
    case IT_FILTER:
      if (js_to_boolean(r) && !bi_create_index(rt, a, to++, v)) return VAL_EXCEPTION;
      break;
    case IT_SOME:
      if (js_to_boolean(r)) return VAL_TRUE;
      break;
    case IT_EVERY:
      if (!js_to_boolean(r)) return VAL_FALSE;
      break;
    default: break;
    }
  }
  switch (magic) {
  case IT_MAP: return !plain || bi_set_length(rt, a, len) ? a : VAL_EXCEPTION;
  case IT_FILTER: return a;
  case IT_SOME: return VAL_FALSE;
  case IT_EVERY: return VAL_TRUE;
  default: return VAL_UNDEFINED;
  }
}

/* reduce (0), reduceRight (1). */
static Value proto_reduce(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,
                          Value new_target, int magic) {
  uint64_t len;
  Value o = this_obj(rt, this_val, &len);
  if (val_is_exception(o)) return o;
  Value fn = ARG(0);
  if (!js_is_callable(fn)) return js_throw(rt, ERR_TypeError, "callback is not a function");
  uint64_t n = 0;
  Value acc = VAL_UNDEFINED;
  if (argc >= 2) {
    acc = ARG(1);
  } else {
    bool found = false;
    for (; n < len && !found; n++) {
      uint64_t k = magic ? len - 1 - n : n;
      if (!bi_has_index(rt, o, k, &found)) return VAL_EXCEPTION;
      if (found && val_is_exception(acc = bi_get_index(rt, o, k))) return acc;
    }
    if (!found) return js_throw(rt, ERR_TypeError, "Reduce of empty array with no initial value");
  }
  for (; n < len; n++) {
    uint64_t k = magic ? len - 1 - n : n;
    bool has;
    if (!bi_has_index(rt, o, k, &has)) return VAL_EXCEPTION;
    if (!has) continue;
    Value v = bi_get_index(rt, o, k);
    if (val_is_exception(v)) return v;
    Value args[4] = {acc, v, bi_number((double)k), o};
    acc = js_call(rt, fn, VAL_UNDEFINED, 4, args);
    if (val_is_exception(acc)) return acc;
  }
  return acc;
}

static Value proto_at(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,
                      Value new_target, int magic) {
  uint64_t len;
  Value o = this_obj(rt, this_val, &len);
  if (val_is_exception(o)) return o;
  double k;
  if (!js_to_integer_or_infinity(rt, ARG(0), &k)) return VAL_EXCEPTION;
  if (k < 0) k += (double)len;
  if (k < 0 || k >= (double)len) return VAL_UNDEFINED;
  return bi_get_index(rt, o, (uint64_t)k);
}

static bool flatten(Runtime *rt, Value target, uint64_t *n, Value src, uint64_t len, double depth) {
  if (rt_check_stack(rt)) return false;
  for (uint64_t k = 0; k < len; k++) {
    bool has;
    if (!bi_has_index(rt, src, k, &has)) return false;
    if (!has) continue;
    Value v = bi_get_index(rt, src, k);
    if (val_is_exception(v)) return false;
    if (depth > 0 && is_array(v)) {
      uint64_t l;
      if (!bi_length(rt, v, &l) || !flatten(rt, target, n, v, l, depth - 1)) return false;
    } else if (!bi_create_index(rt, target, (*n)++, v)) {
      return false;
    }
  }
  return true;
}

static Value proto_flat(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,
                        Value new_target, int magic) {
  uint64_t len;
  Value o = this_obj(rt, this_val, &len);
  if (val_is_exception(o)) return o;
  double depth = 1;
  if (!val_is_undefined(ARG(0)) && !js_to_integer_or_infinity(rt, ARG(0), &depth))
    return VAL_EXCEPTION;
  Value a = species_create(rt, o, 0);
  if (val_is_exception(a)) return a;
  uint64_t n = 0;
  if (!flatten(rt, a, &n, o, len, depth)) return VAL_EXCEPTION;
  return a;
}

static Value proto_flat_map(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,
                            Value new_target, int magic) {
  uint64_t len;
  Value o = this_obj(rt, this_val, &len);
  if (val_is_exception(o)) return o;
  Value fn = ARG(0);
  if (!js_is_callable(fn)) return js_throw(rt, ERR_TypeError, "flatMap mapper is not a function");
  Value a = species_create(rt, o, 0);
  if (val_is_exception(a)) return a;
  uint64_t n = 0;
  for (uint64_t k = 0; k < len; k++) {
    bool has;
    if (!bi_has_index(rt, o, k, &has)) return VAL_EXCEPTION;
    if (!has) continue;
    Value v = bi_get_index(rt, o, k);
    if (val_is_exception(v)) return v;
    Value args[3] = {v, bi_number((double)k), o};
    Value r = js_call(rt, fn, ARG(1), 3, args);
    if (val_is_exception(r)) return r;
    if (is_array(r)) {
      uint64_t l;
      if (!bi_length(rt, r, &l) || !flatten(rt, a, &n, r, l, 0)) return VAL_EXCEPTION;
    } else if (!bi_create_index(rt, a, n++, r)) {
      return VAL_EXCEPTION;
    }
  }
  return a;
}

static Value proto_copy_within(Runtime *rt, Value func, Value this_val, int argc,
                               const Value *argv, Value new_target, int magic) {
  uint64_t len, to, from, fin;
  Value o = this_obj(rt, this_val, &len);
  if (val_is_exception(o)) return o;
  if (!bi_relative_index(rt, ARG(0), len, 0, &to) || !bi_relative_index(rt, ARG(1), len, 0, &from) ||
      !bi_relative_index(rt, ARG(2), len, len, &fin))
    return VAL_EXCEPTION;
  uint64_t count = fin > from ? fin - from : 0;
  if (count > len - to) count = len - to;
  if (count && !move_range(rt, o, from, to, count)) return VAL_EXCEPTION;
  return o;
}

/* A dense copy of this (holes read as undefined) for the change-array methods. */
static Value copy_of(Runtime *rt, Value o, uint64_t len) {
  Value a = new_array(rt, 0);
  if (val_is_exception(a)) return a;
  for (uint64_t k = 0; k < len; k++) {
    Value v = bi_get_index(rt, o, k);
    if (val_is_exception(v) || !scratch_push(rt, val_to_object(a), v)) return VAL_EXCEPTION;
  }
  return a;
}

static Value proto_to_reversed(Runtime *rt, Value func, Value this_val, int argc,
                               const Value *argv, Value new_target, int magic) {
  uint64_t len;
  Value o = this_obj(rt, this_val, &len);
  if (val_is_exception(o)) return o;
  if (len > UINT32_MAX - 1) return js_throw(rt, ERR_RangeError, "Invalid array length");
  Value a = new_array(rt, 0);
  if (val_is_exception(a)) return a;
  for (uint64_t k = len; k > 0; k--) {
    Value v = bi_get_index(rt, o, k - 1);
    if (val_is_exception(v) || !scratch_push(rt, val_to_object(a), v)) return VAL_EXCEPTION;
  }
  return a;
}

static Value proto_to_sorted(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,
                             Value new_target, int magic) {
  Value cmp = ARG(0);
  if (!val_is_undefined(cmp) && !js_is_callable(cmp))
    return js_throw(rt, ERR_TypeError, "The comparison function must be either a function or undefined");
  uint64_t len;
  Value o = this_obj(rt, this_val, &len);
  if (val_is_exception(o)) return o;
  if (len > UINT32_MAX - 1) return js_throw(rt, ERR_RangeError, "Invalid array length");
  Value a = copy_of(rt, o, len);
  if (val_is_exception(a)) return a;
  return proto_sort(rt, func, a, argc, argv, new_target, magic);
}

static Value proto_with(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,
                        Value new_target, int magic) {
  uint64_t len;
  Value o = this_obj(rt, this_val, &len);
  if (val_is_exception(o)) return o;
  double rel;
  if (!js_to_integer_or_infinity(rt, ARG(0), &rel)) return VAL_EXCEPTION;
  double idx = rel >= 0 ? rel : (double)len + rel;
  if (idx >= (double)len || idx < 0) return js_throw(rt, ERR_RangeError, "Invalid index");
  if (len > UINT32_MAX - 1) return js_throw(rt, ERR_RangeError, "Invalid array length");
  Value a = new_array(rt, 0);
  if (val_is_exception(a)) return a;
  for (uint64_t k = 0; k < len; k++) {
    Value v = k == (uint64_t)idx ? ARG(1) : bi_get_index(rt, o, k);
    if (val_is_exception(v) || !scratch_push(rt, val_to_object(a), v)) return VAL_EXCEPTION;
  }
  return a;
}

static Value proto_to_spliced(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,
                              Value new_target, int magic) {
  uint64_t len, start, skip;
  Value o = this_obj(rt, this_val, &len);
  if (val_is_exception(o)) return o;
  if (!bi_relative_index(rt, ARG(0), len, 0, &start)) return VAL_EXCEPTION;
  if (argc == 0) skip = 0;
  else if (argc == 1) skip = len - start;
  else {
    double d;
    if (!js_to_integer_or_infinity(rt, argv[1], &d)) return VAL_EXCEPTION;
    d = d < 0 ? 0 : d;
    skip = d > (double)(len - start) ? len - start : (uint64_t)d;
  }
  uint64_t items = argc > 2 ? (uint64_t)argc - 2 : 0, newlen = len + items - skip;
  if (newlen > 9007199254740991ull) return js_throw(rt, ERR_TypeError, "toSpliced: length too large");
  if (newlen > UINT32_MAX - 1) return js_throw(rt, ERR_RangeError, "Invalid array length");
  Value a = new_array(rt, 0);
  if (val_is_exception(a)) return a;
  Object *ao = val_to_object(a);
  for (uint64_t k = 0; k < start; k++) {
    Value v = bi_get_index(rt, o, k);
    if (val_is_exception(v) || !scratch_push(rt, ao, v)) return VAL_EXCEPTION;
  }
  for (uint64_t k = 0; k < items; k++)
    if (!scratch_push(rt, ao, argv[2 + k])) return VAL_EXCEPTION;
  for (uint64_t k = start + skip; k < len; k++) {
    Value v = bi_get_index(rt, o, k);
    if (val_is_exception(v) || !scratch_push(rt, ao, v)) return VAL_EXCEPTION;
  }
  return a;
}

/* --- iterators --------------------------------------------------------------------------- */

enum { AI_TARGET, AI_INDEX, AI_KIND, AI_COUNT };
enum { KIND_KEYS, KIND_VALUES, KIND_ENTRIES };

static Value proto_iter(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,
                        Value new_target, int magic) {
  Value o = js_to_object(rt, this_val);
  if (val_is_exception(o)) return o;
  Object *it = obj_new_ex(rt, js_realm(rt)->intrinsics[JS_INTR_ArrayIteratorPrototype],
                          OBJ_CLASS_ArrayIterator, AI_COUNT, 0);
  if (!it) return VAL_EXCEPTION;
  obj_set_internal(rt, it, AI_TARGET, o);
  obj_set_internal(rt, it, AI_INDEX, val_from_int(0));
  obj_set_internal(rt, it, AI_KIND, val_from_int(magic));
  return obj_value(it);
}

static Value array_iter_next(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,
                             Value new_target, int magic) {
  if (!val_is_object(this_val) || obj_class(val_to_object(this_val)) != OBJ_CLASS_ArrayIterator)
    return js_throw(rt, ERR_TypeError, "next method called on incompatible receiver");
  Object *it = val_to_object(this_val);
  Value target = obj_get_internal(it, AI_TARGET);
  if (val_is_undefined(target)) return bi_iter_result(rt, VAL_UNDEFINED, true);
  double index = val_number(obj_get_internal(it, AI_INDEX));
  uint64_t len;
  if (!bi_length(rt, target, &len)) return VAL_EXCEPTION;
  if (index >= (double)len) {
    obj_set_internal(rt, it, AI_TARGET, VAL_UNDEFINED);
    return bi_iter_result(rt, VAL_UNDEFINED, true);
  }
  obj_set_internal(rt, it, AI_INDEX, bi_number(index + 1));
  int kind = val_to_int(obj_get_internal(it, AI_KIND));
  Value key = bi_number(index);
  if (kind == KIND_KEYS) return bi_iter_result(rt, key, false);
  Value v = bi_get_index(rt, target, (uint64_t)index);
  if (val_is_exception(v)) return v;
  if (kind == KIND_VALUES) return bi_iter_result(rt, v, false);
  Value pair[2] = {key, v};
  Value e = js_array_new(rt, 2, pair);
  if (val_is_exception(e)) return e;
  return bi_iter_result(rt, e, false);
}

static Value return_this(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,
                         Value new_target, int magic) {
  return this_val;
}

static Value get_species(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,
                         Value new_target, int magic) {
  return return_this(rt, func, this_val, argc, argv, new_target, magic);
}

/* %Iterator.prototype%[Symbol.toStringTag]: an accessor whose setter is
 * SetterThatIgnoresPrototypeProperties (writes land on the receiver). */
static Value iter_tag_get(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,
                          Value new_target, int magic) {
  return str_from_cstr(rt, "Iterator");
}

static Value iter_tag_set(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,
                          Value new_target, int magic) {
  if (!val_is_object(this_val)) return js_throw(rt, ERR_TypeError, "Iterator.prototype[Symbol.toStringTag] setter: receiver is not an object");
  if (this_val == js_realm(rt)->intrinsics[JS_INTR_IteratorPrototype])
    return js_throw(rt, ERR_TypeError, "Cannot assign to Iterator.prototype[Symbol.toStringTag]");
  Atom key = sym_well_known(rt, SYM_toStringTag);
  PropertyDescriptor d;
  ObjResult r = obj_get_own_property(rt, val_to_object(this_val), key, &d);
  if (r == OBJ_ERROR) return VAL_EXCEPTION;
  bool ok = r == OBJ_TRUE ? js_set(rt, this_val, key, ARG(0), true)
                          : js_create_data_property(rt, val_to_object(this_val), key, ARG(0));
  return ok ? VAL_UNDEFINED : VAL_EXCEPTION;
}

typedef struct MethodDef {
  const char *name;
  JsNativeFn fn;
  int length, magic;
} MethodDef;

static const MethodDef proto_methods[] = {
    {"push", proto_push, 1, 0},
    {"pop", proto_pop, 0, 0},
    {"shift", proto_shift, 0, 0},
    {"unshift", proto_unshift, 1, 0},
    {"slice", proto_slice, 2, 0},
    {"splice", proto_splice, 2, 0},
    {"concat", proto_concat, 1, 0},
    {"join", proto_join, 1, 0},
    {"reverse", proto_reverse, 0, 0},
    {"indexOf", proto_search, 1, 0},
    {"lastIndexOf", proto_search, 1, 1},
    {"includes", proto_search, 1, 2},
    {"find", proto_find, 1, 0},
    {"findIndex", proto_find, 1, 1},
    {"findLast", proto_find, 1, 2},
    {"findLastIndex", proto_find, 1, 3},
    {"forEach", proto_iterate, 1, IT_FOREACH},
    {"map", proto_iterate, 1, IT_MAP},
    {"filter", proto_iterate, 1, IT_FILTER},
    {"some", proto_iterate, 1, IT_SOME},
    {"every", proto_iterate, 1, IT_EVERY},
    {"reduce", proto_reduce, 1, 0},
    {"reduceRight", proto_reduce, 1, 1},
    {"fill", proto_fill, 1, 0},
    {"keys", proto_iter, 0, KIND_KEYS},
    {"entries", proto_iter, 0, KIND_ENTRIES},
    {"sort", proto_sort, 1, 0},
    {"toString", proto_to_string, 0, 0},
    {"toLocaleString", proto_to_locale_string, 0, 0},
    {"at", proto_at, 1, 0},
    {"flat", proto_flat, 0, 0},
    {"flatMap", proto_flat_map, 1, 0},
    {"copyWithin", proto_copy_within, 2, 0},
    {"toReversed", proto_to_reversed, 0, 0},
    {"toSorted", proto_to_sorted, 1, 0},
    {"toSpliced", proto_to_spliced, 2, 0},
    {"with", proto_with, 2, 0},
};

bool js_builtins_array(Runtime *rt, JsRealm *realm) {
  Object *proto = obj_new_array(rt, realm->intrinsics[JS_INTR_ObjectPrototype], 0);
  if (!proto) return false;
  Value pv = obj_value(proto);
  realm->intrinsics[JS_INTR_ArrayPrototype] = pv;
  Value ctor = bi_ctor(rt, realm, "Array", array_ctor, 1, 0, pv);
  if (val_is_exception(ctor)) return false;
  realm->intrinsics[JS_INTR_Array] = ctor;
  for (size_t i = 0; i < sizeof proto_methods / sizeof *proto_methods; i++) {
    const MethodDef *m = &proto_methods[i];
    if (!js_define_method(rt, pv, m->name, m->fn, m->length, m->magic)) return false;
  }
  Value values = js_native_new(rt, realm, "values", proto_iter, 0, KIND_VALUES, 0);
  if (val_is_exception(values)) return false;
  realm->intrinsics[JS_INTR_ArrayProtoValues] = values;
  if (!js_define_value(rt, pv, "values", values, BI_ATTR_METHOD) ||
      obj_define_value(rt, proto, sym_well_known(rt, SYM_iterator), values, BI_ATTR_METHOD) ==
          OBJ_ERROR)
    return false;
  if (!js_define_method(rt, ctor, "isArray", array_is_array, 1, 0) ||
      !js_define_method(rt, ctor, "of", array_of, 0, 0) ||
      !js_define_method(rt, ctor, "from", array_from, 1, 0))
    return false;
  /* Array.prototype[Symbol.unscopables]: names `with` statements skip. */
  Object *unscop = obj_new(rt, VAL_NULL, OBJ_CLASS_Object, 16);
  if (!unscop) return false;
  static const char *const unscopable[] = {"at", "copyWithin", "entries", "fill", "find",
                                           "findIndex", "findLast", "findLastIndex", "flat",
                                           "flatMap", "includes", "keys", "toReversed",
                                           "toSorted", "toSpliced", "values"};
  for (size_t i = 0; i < sizeof unscopable / sizeof *unscopable; i++)
    if (!js_define_value(rt, obj_value(unscop), unscopable[i], VAL_TRUE,
                         PROP_WRITABLE | PROP_ENUMERABLE | PROP_CONFIGURABLE))
      return false;
  if (obj_define_value(rt, proto, sym_well_known(rt, SYM_unscopables), obj_value(unscop),
                       PROP_CONFIGURABLE) == OBJ_ERROR)
    return false;
  Value species = js_native_new(rt, realm, "get [Symbol.species]", get_species, 0, 0, 0);
  if (val_is_exception(species) ||
      obj_define_accessor(rt, val_to_object(ctor), sym_well_known(rt, SYM_species), species,
                          VAL_UNDEFINED, PROP_CONFIGURABLE) == OBJ_ERROR)
    return false;

  Object *aip = obj_new(rt, realm->intrinsics[JS_INTR_IteratorPrototype], OBJ_CLASS_Object, 4);
  if (!aip) return false;
  Value aipv = obj_value(aip);
  realm->intrinsics[JS_INTR_ArrayIteratorPrototype] = aipv;
  if (!js_define_method(rt, aipv, "next", array_iter_next, 0, 0) ||
      !bi_to_string_tag(rt, aipv, "Array Iterator"))
    return false;
  /* %IteratorPrototype%[Symbol.iterator] returns this and its toStringTag
   * is "Iterator"; installed here as the first user of the protocol. */
  Value tag_get = js_native_new(rt, realm, "get [Symbol.toStringTag]", iter_tag_get, 0, 0, 0);
  Value tag_set = val_is_exception(tag_get)
                      ? tag_get
                      : js_native_new(rt, realm, "set [Symbol.toStringTag]", iter_tag_set, 1, 0, 0);
  if (val_is_exception(tag_set) ||
      obj_define_accessor(rt, val_to_object(realm->intrinsics[JS_INTR_IteratorPrototype]),
                          sym_well_known(rt, SYM_toStringTag), tag_get, tag_set,
                          PROP_CONFIGURABLE) == OBJ_ERROR)
    return false;
  if (!bi_define_symbol_method(rt, realm->intrinsics[JS_INTR_IteratorPrototype], SYM_iterator,
                               "[Symbol.iterator]", return_this, 0, BI_ATTR_METHOD))
    return false;
  return bi_global(rt, realm, "Array", ctor);
}
