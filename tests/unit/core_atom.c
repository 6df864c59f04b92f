/* core_atom.c: unit tests of atoms (interning, identity, the weak table and
 * its permanent well-known entries, array-index recognition) and symbols
 * (uniqueness, well-known symbols, the Symbol.for registry). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/atom.h"
#include "core/atom_table.h"
#include "core/runtime.h"
#include "core/string.h"
#include "core/symbol.h"
#include "test_runtime.h"
#include "test_util.h"

static Value S(const char *utf8) {
  Value v = str_from_cstr(rt, utf8);
  ck_assert(!val_is_exception(v));
  return v;
}

static bool text_is(Value s, const char *utf8) {
  char buf[256];
  ck_assert(str_to_utf8_buf(rt, s, buf, sizeof buf) != SIZE_MAX);
  return strcmp(buf, utf8) == 0;
}

START_TEST(equal_text_same_atom) {
  Atom foo = A("foo");
  ck_assert(str_is_atom(foo));
  ck_assert(atom_from_utf8(rt, "foo", 3) == foo);
  ck_assert(atom_from_utf8(rt, "foobar", 3) == foo);
  ck_assert(atom_from_string(rt, S("foo")) == foo);
  ck_assert(atom_from_string(rt, foo) == foo);
  ck_assert(A("bar") != foo);
  ck_assert(A("fo") != foo);
  ck_assert(A("") == atom_well_known(rt, ATOM_empty));
  ck_assert(str_empty(rt) == A(""));

  /* Non-ASCII, UTF-16 and long text, from every representation. */
  const char *euro = "\xE2\x82\xAC uro and \xF0\x9F\x98\x80 emoji";
  Atom e = A(euro);
  ck_assert(!str_is_latin1(e));
  ck_assert(atom_from_string(rt, S(euro)) == e);
  ck_assert(text_is(e, euro));
  Value rope = str_concat(rt, S("a long property name "), S("built by concatenation"));
  ck_assert_uint_eq(str_rep(rope), STR_REP_ROPE);
  Atom ra = atom_from_string(rt, rope);
  ck_assert(ra == A("a long property name built by concatenation"));
  Value big = S("xxa long property name built by concatenationxx");
  Value slice = str_substring(rt, big, 2, str_length(big) - 2);
  ck_assert_uint_eq(str_rep(slice), STR_REP_SLICE);
  Atom sa = atom_from_string(rt, slice);
  ck_assert(sa == ra);
  /* An atom made from a slice is a compact copy, not the slice. */
  Atom fresh = atom_from_string(rt, str_substring(rt, big, 1, 20));
  ck_assert_uint_eq(str_rep(fresh), STR_REP_FLAT);
  ck_assert(text_is(fresh, "xa long property na"));
  /* A UTF-16 string of Latin-1 text interns to the same atom. */
  uint16_t units[] = {'f', 'o', 'o'};
  Value wide = str_alloc_flat(rt, 3, false);
  memcpy(str_flat_utf16(wide), units, sizeof units);
  ck_assert(atom_from_string(rt, wide) == foo);
  ck_assert(atom_from_utf16(rt, units, 3) == foo);
  ck_assert(atom_from_latin1(rt, (const uint8_t *)"foo", 3) == foo);
  uint16_t euro_units[] = {0x20AC, ' ', 'u', 'r', 'o'};
  ck_assert(atom_from_utf16(rt, euro_units, 5) == A("\xE2\x82\xAC uro"));
  ck_assert(atom_from_latin1(rt, (const uint8_t *)"\xE9t\xE9", 3) == A("\xC3\xA9t\xC3\xA9"));
  /* Atoms hash like their text, and compare by identity. */
  uint32_t h;
  ck_assert(str_hash(rt, S("foo"), &h));
  ck_assert_uint_eq(atom_hash(foo), h);
  bool same;
  ck_assert(str_equals(rt, foo, A("bar"), &same) && !same);
  ck_assert(str_equals(rt, foo, S("foo"), &same) && same);
}
END_TEST

START_TEST(many_atoms_grow_table) {
  char name[32];
  Atom first[3000];
  for (int i = 0; i < 3000; i++) {
    snprintf(name, sizeof name, "prop_%d", i);
    first[i] = A(name);
  }
  for (int i = 0; i < 3000; i++) {
    snprintf(name, sizeof name, "prop_%d", i);
    ck_assert(A(name) == first[i]);
    ck_assert(text_is(first[i], name));
  }
}
END_TEST

START_TEST(single_char_strings_shared) {
  Value p = S("hello world of characters");
  ck_assert(str_substring(rt, p, 0, 1) == A("h"));
  ck_assert(str_from_char(rt, 'h') == A("h"));
  ck_assert(S("w") == A("w"));
  ck_assert(str_is_atom(str_from_char(rt, 0xE9)));
  ck_assert(!str_is_atom(str_from_char(rt, 0x20AC)));
}
END_TEST

/* Makes `count` atoms nobody keeps, deep enough in the stack that their
 * values are gone (or overwritten) once it returns. */
static __attribute__((noinline)) void make_garbage_atoms(int count) {
  char name[32];
  for (int i = 0; i < count; i++) {
    snprintf(name, sizeof name, "garbage_atom_%d", i);
    Atom a = atom_from_cstr(rt, name);
    ck_assert(!val_is_exception(a));
  }
}

static __attribute__((noinline)) void scrub_stack(void) {
  volatile char pad[16384];
  memset((char *)pad, 0, sizeof pad);
}

START_TEST(dead_atoms_are_dropped) {
  Atom length = atom_well_known(rt, ATOM_length);
  uint32_t before = rt->atoms->count;
  make_garbage_atoms(2000);
  const char *stress = getenv("TANDEM_GC_STRESS");
  if (!stress || atoi(stress) <= 0) ck_assert_uint_ge(rt->atoms->count, before + 2000);
  scrub_stack();
  gc_collect(rt->heap);
  /* The conservative stack scan may keep a stray few alive, not thousands. */
  ck_assert_uint_le(rt->atoms->count, before + 20);
  /* Well-known atoms are permanent: same cell, same text. */
  ck_assert(atom_well_known(rt, ATOM_length) == length);
  ck_assert(A("length") == length);
  ck_assert(text_is(length, "length"));
  for (int i = 0; i < ATOM_COUNT; i++) ck_assert(str_is_atom(atom_well_known(rt, (AtomId)i)));
  ck_assert(text_is(atom_well_known(rt, ATOM_proto), "__proto__"));
  /* Re-interning dropped text works, and lookups past tombstones still find
   * live entries. */
  make_garbage_atoms(2000);
  Atom g = A("garbage_atom_7");
  ck_assert(text_is(g, "garbage_atom_7"));
  ck_assert(A("garbage_atom_7") == g);
  ck_assert(A("length") == length);
}
END_TEST

START_TEST(array_index_recognition) {
  struct {
    const char *text;
    bool is_index;
    uint32_t value;
  } cases[] = {
      {"0", true, 0},           {"1", true, 1},
      {"123", true, 123},       {"4294967294", true, 4294967294u},
      {"4294967295", false, 0}, {"4294967296", false, 0},
      {"99999999999", false, 0}, {"01", false, 0},
      {"00", false, 0},         {"-0", false, 0},
      {"-1", false, 0},         {"", false, 0},
      {"1a", false, 0},         {" 1", false, 0},
      {"1.0", false, 0},        {"+1", false, 0},
      {"1e3", false, 0},        {"length", false, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    uint32_t idx = 12345;
    Atom a = A(cases[i].text);
    ck_assert_msg(atom_is_array_index(a, &idx) == cases[i].is_index, "atom \"%s\"", cases[i].text);
    if (cases[i].is_index) ck_assert_uint_eq(idx, cases[i].value);
    idx = 12345;
    ck_assert_msg(str_is_array_index(S(cases[i].text), &idx) == cases[i].is_index, "string \"%s\"",
                  cases[i].text);
    if (cases[i].is_index) ck_assert_uint_eq(idx, cases[i].value);
  }
  uint32_t idx;
  ck_assert(!atom_is_array_index(sym_new(rt, VAL_UNDEFINED), &idx));
  uint16_t wide_digits[] = {'4', '2'};
  Value w = str_alloc_flat(rt, 2, false);
  memcpy(str_flat_utf16(w), wide_digits, sizeof wide_digits);
  ck_assert(atom_is_array_index(atom_from_string(rt, w), &idx) && idx == 42);
}
END_TEST

START_TEST(symbols_unique) {
  Value d = S("tag");
  Value a = sym_new(rt, d), b = sym_new(rt, d);
  ck_assert(sym_is_symbol(a) && sym_is_symbol(b));
  ck_assert(a != b);
  ck_assert(sym_description(a) == d);
  ck_assert(sym_description(sym_new(rt, VAL_UNDEFINED)) == VAL_UNDEFINED);
  ck_assert(atom_is_symbol(a));
  ck_assert(!atom_is_symbol(A("tag")));
  ck_assert(atom_from_string(rt, a) == a);
  ck_assert_uint_eq(atom_hash(a), sym_hash(a));
  ck_assert(sym_key_for(rt, a) == VAL_UNDEFINED);
  ck_assert(!str_is_string(a));
  /* Hashes spread over distinct symbols. */
  uint32_t h[64];
  for (int i = 0; i < 64; i++) h[i] = sym_hash(sym_new(rt, VAL_UNDEFINED));
  for (int i = 0; i < 64; i++)
    for (int j = i + 1; j < 64; j++) ck_assert_uint_ne(h[i], h[j]);
  Value p = sym_new_private(rt, S("#x"));
  ck_assert(sym_is_private(p) && !sym_is_private(a));
}
END_TEST

START_TEST(well_known_symbols) {
  Value it = sym_well_known(rt, SYM_iterator);
  ck_assert(sym_is_symbol(it));
  ck_assert(text_is(sym_description(it), "Symbol.iterator"));
  ck_assert(text_is(sym_description(sym_well_known(rt, SYM_toStringTag)), "Symbol.toStringTag"));
  ck_assert(text_is(sym_description(sym_well_known(rt, SYM_asyncIterator)), "Symbol.asyncIterator"));
  for (int i = 0; i < SYM_WELL_KNOWN_COUNT; i++)
    for (int j = i + 1; j < SYM_WELL_KNOWN_COUNT; j++)
      ck_assert(sym_well_known(rt, (SymWellKnown)i) != sym_well_known(rt, (SymWellKnown)j));
  ck_assert(sym_key_for(rt, it) == VAL_UNDEFINED);
  /* Per runtime, not shared. */
  Runtime *other = rt_new(NULL);
  ck_assert(sym_well_known(other, SYM_iterator) != it);
  rt_free(other);
  scrub_stack();
  gc_collect(rt->heap);
  ck_assert(sym_well_known(rt, SYM_iterator) == it);
  ck_assert(text_is(sym_description(it), "Symbol.iterator"));
}
END_TEST

START_TEST(symbol_registry) {
  Value app = sym_for(rt, S("app"));
  ck_assert(sym_is_symbol(app));
  ck_assert(sym_for(rt, S("app")) == app);
  ck_assert(sym_for(rt, A("app")) == app);
  Value rope_key = str_concat(rt, S("a long registry "), S("key text"));
  Value k2 = sym_for(rt, rope_key);
  ck_assert(k2 != app);
  ck_assert(sym_for(rt, S("a long registry key text")) == k2);
  ck_assert(sym_key_for(rt, app) == A("app"));
  ck_assert(sym_new(rt, S("app")) != app);
  char name[32];
  Value made[200];
  for (int i = 0; i < 200; i++) {
    snprintf(name, sizeof name, "reg_%d", i);
    made[i] = sym_for(rt, S(name));
  }
  scrub_stack();
  gc_collect(rt->heap);
  for (int i = 0; i < 200; i++) {
    snprintf(name, sizeof name, "reg_%d", i);
    ck_assert(sym_for(rt, S(name)) == made[i]);
    ck_assert(text_is(sym_key_for(rt, made[i]), name));
  }
  ck_assert(sym_for(rt, S("app")) == app);
}
END_TEST

START_TEST(symbol_traces_description) {
  Value s = sym_new(rt, str_concat(rt, S("description made "), S("of a rope")));
  for (int i = 0; i < 1000; i++) S("garbage to reuse freed cells");
  scrub_stack();
  gc_collect(rt->heap);
  for (int i = 0; i < 1000; i++) S("garbage to reuse freed cells, again");
  ck_assert(text_is(sym_description(s), "description made of a rope"));
}
END_TEST

START_TEST(out_of_memory_atoms) {
  RuntimeOptions o = {.max_heap_bytes = 1u << 20};
  Runtime *small = rt_new(&o);
  ck_assert_ptr_nonnull(small);
  char *text = malloc(2u << 20);
  memset(text, 'k', 2u << 20);
  Atom a = atom_from_utf8(small, text, 2u << 20);
  ck_assert(val_is_exception(a));
  ck_assert_int_eq(rt_exception_kind(small), ERR_InternalError);
  rt_clear_exception(small);
  free(text);
  Atom b = atom_from_cstr(small, "fine");
  ck_assert(!val_is_exception(b));
  ck_assert(atom_from_cstr(small, "fine") == b);
  ck_assert(atom_from_cstr(small, "length") == atom_well_known(small, ATOM_length));
  rt_free(small);
}
END_TEST

int main(void) {
  Suite *s = suite_create("atom");
  TCase *tc = tcase_create("atom");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, equal_text_same_atom);
  tcase_add_test(tc, many_atoms_grow_table);
  tcase_add_test(tc, single_char_strings_shared);
  tcase_add_test(tc, dead_atoms_are_dropped);
  tcase_add_test(tc, array_index_recognition);
  tcase_add_test(tc, symbols_unique);
  tcase_add_test(tc, well_known_symbols);
  tcase_add_test(tc, symbol_registry);
  tcase_add_test(tc, symbol_traces_description);
  tcase_add_test(tc, out_of_memory_atoms);
  suite_add_tcase(s, tc);
  return test_run_suite(s);
}
