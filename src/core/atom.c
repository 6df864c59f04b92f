/* atom.c: the per-runtime atom table, an open-addressing set of interned
 * strings held weakly (a GC weak callback drops entries whose strings died),
 * plus the permanent well-known atoms and shared one-character strings. */
#include "core/atom.h"

#include <stdlib.h>
#include <string.h>

#include "core/atom_table.h"

/* A slot whose string died; lookups continue past it, inserts reuse it. */
#define TOMBSTONE ((String *)(uintptr_t)1)

static const char *const well_known_text[ATOM_COUNT] = {
#define ATOM_TEXT(c_name, text) text,
    ATOM_LIST(ATOM_TEXT)
#undef ATOM_TEXT
};

static void trace_roots(Heap *heap, void *data) {
  AtomTable *t = data;
  for (int i = 0; i < ATOM_COUNT; i++) gc_mark_value(heap, t->well_known[i]);
  for (int i = 0; i < 256; i++) gc_mark_value(heap, t->single[i]);
  sym_table_trace(heap, &t->symbols);
}

static void sweep_weak(Heap *heap, void *data) {
  AtomTable *t = data;
  for (uint32_t i = 0; i < t->capacity; i++) {
    String *s = t->slots[i];
    if (s && s != TOMBSTONE && !gc_is_marked(heap, s)) {
      t->slots[i] = TOMBSTONE;
      t->count--;
      t->tombstones++;
    }
  }
}

/* Finds the slot holding text c (hash h), or returns the index where it
 * would go (the first tombstone or empty slot) with *found = false. */
static uint32_t find_slot(const AtomTable *t, uint32_t h, const StrChars *c, bool *found) {
  uint32_t mask = t->capacity - 1, i = h & mask, insert = UINT32_MAX;
  for (;;) {
    String *s = t->slots[i];
    if (!s) {
      *found = false;
      return insert != UINT32_MAX ? insert : i;
    }
    if (s == TOMBSTONE) {
      if (insert == UINT32_MAX) insert = i;
    } else if (s->hash == h && s->h.aux == c->length) {
      StrChars e = str_chars(val_from_ptr(s));
      bool eq = true;
      if (e.latin1 && c->latin1)
        eq = memcmp(e.latin1, c->latin1, c->length) == 0;
      else
        for (uint32_t k = 0; k < c->length && eq; k++) eq = str_chars_at(&e, k) == str_chars_at(c, k);
      if (eq) {
        *found = true;
        return i;
      }
    }
    i = (i + 1) & mask;
  }
}

/* Makes room for one more entry (rehashing away tombstones or growing). */
static bool reserve_one(Runtime *rt, AtomTable *t) {
  if ((uint64_t)(t->count + t->tombstones + 1) * 4 <= (uint64_t)t->capacity * 3) return true;
  uint32_t cap = t->capacity ? t->capacity : 256;
  while ((uint64_t)(t->count + 1) * 2 > cap) cap *= 2;
  String **slots = calloc(cap, sizeof *slots);
  if (!slots) {
    rt_throw_out_of_memory(rt);
    return false;
  }
  for (uint32_t i = 0; i < t->capacity; i++) {
    String *s = t->slots[i];
    if (!s || s == TOMBSTONE) continue;
    uint32_t j = s->hash & (cap - 1);
    while (slots[j]) j = (j + 1) & (cap - 1);
    slots[j] = s;
  }
  free(t->slots);
  t->slots = slots;
  t->capacity = cap;
  t->tombstones = 0;
  return true;
}

/* Marks the flat string s as the atom for its text and records it at slot. */
static Atom install(AtomTable *t, uint32_t slot, Value v, uint32_t h) {
  String *s = str_ptr(v);
  s->hash = h;
  s->h.flags |= STR_FLAG_ATOM | STR_FLAG_HASHED;
  uint32_t index;
  StrChars c = str_chars(v);
  if (str_chars_array_index(&c, &index)) {
    s->h.flags |= STR_FLAG_INDEX;
    s->extra = index;
  }
  if (t->slots[slot] == TOMBSTONE) t->tombstones--;
  t->slots[slot] = s;
  t->count++;
  return v;
}

/* Looks up text c; on a miss interns `owner` when it is a flat cell of
 * exactly this text (no copy), else a new compact copy. */
static Atom intern_chars(Runtime *rt, const StrChars *c, Value owner) {
  AtomTable *t = rt->atoms;
  /* An owner caches its hash, so a string used as a key twice hashes once. */
  uint32_t h = owner ? str_hash_flat(owner)
               : c->latin1 ? str_hash_latin1(c->latin1, c->length)
                           : str_hash_utf16(c->utf16, c->length);
  bool found = false;
  if (t->capacity) {
    uint32_t i = find_slot(t, h, c, &found);
    if (found) return val_from_ptr(t->slots[i]);
  }
  if (!reserve_one(rt, t)) return VAL_EXCEPTION;
  Value v = owner;
  if (!v || str_rep(v) != STR_REP_FLAT) {
    /* Copy: an atom must not keep a slice's parent alive, and is stored
     * Latin-1 whenever its text allows. */
    bool latin1 = c->latin1 != NULL;
    if (!latin1) {
      uint16_t acc = 0;
      for (uint32_t k = 0; k < c->length; k++) acc |= c->utf16[k];
      latin1 = acc < 256;
    }
    StrChars src = *c;
    v = str_alloc_flat(rt, c->length, latin1);
    if (val_is_exception(v)) return v;
    /* The allocation may have collected: owner (on our stack) kept the
     * source alive, but the table may hold new tombstones; re-find. */
    if (owner) src = str_chars(owner);
    if (latin1) {
      uint8_t *d = str_flat_latin1(v);
      for (uint32_t k = 0; k < src.length; k++) d[k] = (uint8_t)str_chars_at(&src, k);
    } else {
      memcpy(str_flat_utf16(v), src.utf16, (size_t)src.length * 2);
    }
  }
  StrChars vc = str_chars(v);
  uint32_t i = find_slot(t, h, &vc, &found);
  if (found) return val_from_ptr(t->slots[i]);
  return install(t, i, v, h);
}

Atom atom_from_string(Runtime *rt, Value str) {
  if (!str_is_string(str)) return str; /* a symbol is its own atom */
  if (str_is_atom(str)) return str;
  if (val_is_exception(str_flatten(rt, str))) return VAL_EXCEPTION;
  StrChars c = str_chars(str);
  return intern_chars(rt, &c, str);
}

Atom atom_from_utf8(Runtime *rt, const char *text, size_t len) {
  size_t i = 0;
  while (i < len && (uint8_t)text[i] < 0x80) i++;
  if (i == len && len <= STR_MAX_LENGTH) {
    /* ASCII (the common case): look the bytes up directly, allocating only
     * when the atom is new. */
    StrChars c = {(const uint8_t *)text, NULL, (uint32_t)len};
    return intern_chars(rt, &c, 0);
  }
  Value s = str_from_utf8(rt, text, len);
  if (val_is_exception(s)) return s;
  return atom_from_string(rt, s);
}

Atom atom_from_latin1(Runtime *rt, const uint8_t *chars, size_t len) {
  if (len > STR_MAX_LENGTH) return rt_throw(rt, ERR_RangeError, "Invalid string length");
  StrChars c = {chars, NULL, (uint32_t)len};
  return intern_chars(rt, &c, 0);
}

Atom atom_from_utf16(Runtime *rt, const uint16_t *units, size_t len) {
  if (len > STR_MAX_LENGTH) return rt_throw(rt, ERR_RangeError, "Invalid string length");
  StrChars c = {NULL, units, (uint32_t)len};
  return intern_chars(rt, &c, 0);
}

Atom atom_from_cstr(Runtime *rt, const char *text) { return atom_from_utf8(rt, text, strlen(text)); }

Atom atom_well_known(Runtime *rt, AtomId id) { return rt->atoms->well_known[id]; }

bool atom_is_symbol(Atom a) { return sym_is_symbol(a); }

uint32_t atom_hash(Atom a) {
  if (sym_is_symbol(a)) return sym_hash(a);
  return str_ptr(a)->hash;
}

bool atom_is_array_index(Atom a, uint32_t *index) {
  if (!str_is_string(a)) return false;
  String *s = str_ptr(a);
  if (!(s->h.flags & STR_FLAG_INDEX)) return false;
  *index = s->extra;
  return true;
}

bool atom_table_init(Runtime *rt) {
  core_init_gc_kinds();
  AtomTable *t = calloc(1, sizeof *t);
  if (!t) return false;
  rt->atoms = t;
  gc_add_root_tracer(rt->heap, trace_roots, t);
  gc_add_weak_callback(rt->heap, sweep_weak, t);
  for (int i = 0; i < ATOM_COUNT; i++) {
    Atom a = atom_from_cstr(rt, well_known_text[i]);
    if (val_is_exception(a)) goto fail;
    t->well_known[i] = a;
  }
  if (!sym_table_init(rt)) goto fail;
  return true;
fail:
  rt_clear_exception(rt);
  atom_table_free(rt);
  return false;
}

void atom_table_free(Runtime *rt) {
  AtomTable *t = rt->atoms;
  if (!t) return;
  gc_remove_root_tracer(rt->heap, trace_roots, t);
  gc_remove_weak_callback(rt->heap, sweep_weak, t);
  sym_table_free(&t->symbols);
  free(t->slots);
  free(t);
  rt->atoms = NULL;
}
