/* core_string.c: unit tests of strings: representation choice, UTF-8 in and
 * out, ropes (deep, flattened without recursion), slices (shared storage,
 * linear repeated slicing), equality/hash/compare across representations,
 * search, ICU case mapping and normalization, and out-of-memory behaviour. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/atom.h"
#include "core/runtime.h"
#include "core/string.h"
#include "test_runtime.h"
#include "test_util.h"

static double now_sec(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static Value S(const char *utf8) {
  Value v = str_from_cstr(rt, utf8);
  ck_assert(!val_is_exception(v));
  return v;
}

/* The string's UTF-8 text (a static buffer, for assertions). */
static const char *U8(Value s) {
  static char buf[4096];
  size_t n = str_to_utf8_buf(rt, s, buf, sizeof buf);
  ck_assert(n != SIZE_MAX);
  return buf;
}

static bool eq(Value a, Value b) {
  bool r;
  ck_assert(str_equals(rt, a, b, &r));
  return r;
}

static uint32_t hash(Value s) {
  uint32_t h;
  ck_assert(str_hash(rt, s, &h));
  return h;
}

static int cmp(Value a, Value b) {
  int r;
  ck_assert(str_compare(rt, a, b, &r));
  return r < 0 ? -1 : r > 0;
}

/* A flat UTF-16 string holding the given (possibly all-Latin-1) units, made
 * by hand so representation-independence can be tested. */
static Value utf16_flat(const char *ascii) {
  uint32_t n = (uint32_t)strlen(ascii);
  Value s = str_alloc_flat(rt, n, false);
  ck_assert(!val_is_exception(s));
  for (uint32_t i = 0; i < n; i++) str_flat_utf16(s)[i] = (uint8_t)ascii[i];
  return s;
}

START_TEST(latin1_vs_utf16_selection) {
  Value a = S("hello");
  ck_assert(str_is_latin1(a));
  ck_assert_uint_eq(str_length(a), 5);
  Value b = S("h\xC3\xA9llo \xC3\xBF"); /* é, ÿ: still Latin-1 */
  ck_assert(str_is_latin1(b));
  ck_assert_uint_eq(str_length(b), 7);
  ck_assert_int_eq(str_char_at(rt, b, 1), 0xE9);
  Value c = S("price: 5\xE2\x82\xAC"); /* € */
  ck_assert(!str_is_latin1(c));
  ck_assert_uint_eq(str_length(c), 9);
  ck_assert_int_eq(str_char_at(rt, c, 8), 0x20AC);
  uint16_t lat[] = {'a', 0xFF, 'b'};
  ck_assert(str_is_latin1(str_from_utf16(rt, lat, 3)));
  uint16_t wide[] = {'a', 0x100, 'b'};
  ck_assert(!str_is_latin1(str_from_utf16(rt, wide, 3)));
  uint8_t raw[] = {0xE9, 'x'};
  Value d = str_from_latin1(rt, raw, 2);
  ck_assert(str_is_latin1(d));
  ck_assert_str_eq(U8(d), "\xC3\xA9x");
}
END_TEST

START_TEST(utf8_round_trip) {
  const char *samples[] = {"", "a", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80",
                           "mixed \xF0\x9F\x98\x80 text \xE2\x82\xAC and \xC3\xA9 \xF4\x8F\xBF\xBF"};
  for (size_t i = 0; i < sizeof samples / sizeof *samples; i++) {
    Value s = S(samples[i]);
    size_t n;
    char *out = str_to_utf8(rt, s, &n);
    ck_assert_ptr_nonnull(out);
    ck_assert_uint_eq(n, strlen(samples[i]));
    ck_assert_str_eq(out, samples[i]);
    free(out);
  }
  Value emoji = S("\xF0\x9F\x98\x80");
  ck_assert_uint_eq(str_length(emoji), 2); /* a surrogate pair */
  ck_assert_int_eq(str_char_at(rt, emoji, 0), 0xD83D);
  ck_assert_int_eq(str_char_at(rt, emoji, 1), 0xDE00);
  ck_assert_int_eq(str_code_point_at(rt, emoji, 0), 0x1F600);
  ck_assert_int_eq(str_code_point_at(rt, emoji, 1), 0xDE00);
}
END_TEST

/* Each input and the code units it must decode to (WHATWG replacement). */
START_TEST(utf8_invalid_input) {
  struct {
    const char *in;
    uint16_t units[8];
    size_t n;
  } cases[] = {
      {"\x80", {0xFFFD}, 1},                                      /* lone continuation */
      {"a\xC3", {'a', 0xFFFD}, 2},                                /* truncated 2-byte */
      {"\xC0\xAF", {0xFFFD, 0xFFFD}, 2},                          /* overlong */
      {"\xED\xA0\x80", {0xFFFD, 0xFFFD, 0xFFFD}, 3},              /* encoded surrogate */
      {"\xF0\x9F\x98", {0xFFFD}, 1},                              /* truncated 4-byte */
      {"\xF0\x9F\x98x", {0xFFFD, 'x'}, 2},                        /* interrupted */
      {"\xF4\x90\x80\x80", {0xFFFD, 0xFFFD, 0xFFFD, 0xFFFD}, 4}, /* above U+10FFFF */
      {"\xFF\xFE", {0xFFFD, 0xFFFD}, 2},
      {"\xE2\x82\xAC\xE2\x82", {0x20AC, 0xFFFD}, 2},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    Value s = S(cases[i].in);
    ck_assert_msg(str_length(s) == cases[i].n, "case %zu: length %u", i, str_length(s));
    for (size_t k = 0; k < cases[i].n; k++)
      ck_assert_msg(str_char_at(rt, s, (uint32_t)k) == cases[i].units[k], "case %zu unit %zu", i, k);
  }
  /* Lone surrogates encode as U+FFFD on the way out; pairs stay whole. */
  uint16_t lone[] = {'a', 0xD800, 'b', 0xDC00, 0xD83D, 0xDE00, 0xDBFF};
  Value s = str_from_utf16(rt, lone, 7);
  ck_assert_str_eq(U8(s), "a\xEF\xBF\xBD" "b\xEF\xBF\xBD\xF0\x9F\x98\x80\xEF\xBF\xBD");
  /* A caller buffer never gets half a character. */
  char small[4];
  size_t need = str_to_utf8_buf(rt, S("ab\xE2\x82\xAC"), small, sizeof small);
  ck_assert_uint_eq(need, 5);
  ck_assert_str_eq(small, "ab");
}
END_TEST

START_TEST(small_concat_is_flat_large_is_rope) {
  Value a = S("abc"), b = S("def");
  Value ab = str_concat(rt, a, b);
  ck_assert_uint_eq(str_rep(ab), STR_REP_FLAT);
  ck_assert_str_eq(U8(ab), "abcdef");
  ck_assert(str_concat(rt, a, str_empty(rt)) == a);
  ck_assert(str_concat(rt, str_empty(rt), b) == b);

  Value x = S("0123456789"), y = S("\xE2\x82\xAC" "bcdefghij");
  Value r = str_concat(rt, x, y);
  ck_assert_uint_eq(str_rep(r), STR_REP_ROPE);
  ck_assert(!str_is_latin1(r));
  ck_assert_uint_eq(str_length(r), 20);
  ck_assert_int_eq(str_char_at(rt, r, 10), 0x20AC); /* flattens */
  ck_assert_uint_eq(str_rep(r), STR_REP_SLICE);
  ck_assert_str_eq(U8(r), "0123456789\xE2\x82\xAC" "bcdefghij");
  /* Flattening twice is a no-op. */
  ck_assert(str_flatten(rt, r) == r);
}
END_TEST

static Value build_left_deep(unsigned n) {
  Value s = str_empty(rt);
  for (unsigned i = 0; i < n; i++) {
    s = str_concat(rt, s, str_from_char(rt, (uint16_t)('a' + i % 26)));
    ck_assert(!val_is_exception(s));
  }
  return s;
}

START_TEST(deep_rope_flattens_without_recursion) {
  unsigned n = scale(1000000, 3000);
  Value s = build_left_deep(n);
  ck_assert_uint_eq(str_length(s), n);
  ck_assert_uint_eq(str_rep(s), STR_REP_ROPE);
  ck_assert(!val_is_exception(str_flatten(rt, s)));
  StrChars c = str_chars(s);
  ck_assert_ptr_nonnull(c.latin1);
  for (unsigned i = 0; i < n; i++) ck_assert_int_eq(c.latin1[i], 'a' + i % 26);

  /* Right-deep (prepending) and doubling (a DAG sharing its halves). */
  unsigned m = scale(200000, 2000);
  Value t = str_empty(rt);
  for (unsigned i = 0; i < m; i++) t = str_concat(rt, str_from_char(rt, (uint16_t)('0' + i % 10)), t);
  ck_assert_int_eq(str_char_at(rt, t, 0), '0' + (m - 1) % 10);
  ck_assert_int_eq(str_char_at(rt, t, m - 1), '0');
  Value d = S("0123456789abcdef");
  for (int i = 0; i < 16; i++) d = str_concat(rt, d, d);
  ck_assert_uint_eq(str_length(d), 16u << 16);
  ck_assert_int_eq(str_char_at(rt, d, (16u << 16) - 1), 'f');
  ck_assert_int_eq(str_char_at(rt, d, 17), '1');
}
END_TEST

START_TEST(rope_survives_collection) {
  Value r = str_concat(rt, S("first part, "), S("\xE2\x82\xAC second part"));
  ck_assert_uint_eq(str_rep(r), STR_REP_ROPE);
  for (int i = 0; i < 1000; i++) str_from_cstr(rt, "garbage garbage garbage");
  gc_collect(rt->heap);
  for (int i = 0; i < 1000; i++) str_from_cstr(rt, "more garbage to reuse cells");
  ck_assert_str_eq(U8(r), "first part, \xE2\x82\xAC second part");
}
END_TEST

START_TEST(slices_share_storage) {
  char text[101];
  for (int i = 0; i < 100; i++) text[i] = (char)('A' + i % 26);
  text[100] = 0;
  Value p = S(text);
  ck_assert_uint_eq(str_rep(p), STR_REP_FLAT);
  Value s1 = str_substring(rt, p, 10, 80);
  ck_assert_uint_eq(str_rep(s1), STR_REP_SLICE);
  ck_assert_uint_eq(str_length(s1), 70);
  ck_assert_ptr_eq(str_chars(s1).latin1, str_chars(p).latin1 + 10);
  Value s2 = str_substring(rt, s1, 5, 60); /* slice of a slice: points at the root */
  ck_assert_uint_eq(str_rep(s2), STR_REP_SLICE);
  ck_assert(((StrSlice *)str_ptr(s2))->parent == p);
  ck_assert_ptr_eq(str_chars(s2).latin1, str_chars(p).latin1 + 15);
  ck_assert_int_eq(str_char_at(rt, s2, 0), 'A' + 15 % 26);
  /* Short substrings copy; one unit is the shared one-char string. */
  Value s3 = str_substring(rt, s1, 0, 5);
  ck_assert_uint_eq(str_rep(s3), STR_REP_FLAT);
  ck_assert_str_eq(U8(s3), "KLMNO");
  ck_assert(str_substring(rt, p, 3, 4) == str_from_char(rt, 'D'));
  ck_assert(str_substring(rt, p, 0, 100) == p);
  ck_assert_uint_eq(str_length(str_substring(rt, p, 7, 7)), 0);
  /* Substring of a rope flattens it first, then slices the flat copy. */
  Value r = str_concat(rt, p, p);
  Value s4 = str_substring(rt, r, 90, 120);
  ck_assert_uint_eq(str_rep(s4), STR_REP_SLICE);
  ck_assert_str_eq(U8(s4), "MNOPQRSTUVABCDEFGHIJKLMNOPQRST");
  /* The slice keeps its parent alive. */
  p = s1 = s2 = r = 0;
  gc_collect(rt->heap);
  for (int i = 0; i < 2000; i++) S("filler filler filler filler filler");
  ck_assert_str_eq(U8(s4), "MNOPQRSTUVABCDEFGHIJKLMNOPQRST");
}
END_TEST

/* A parser that repeatedly takes rest = rest.slice(1) of an 800 KB input
 * must stay linear: every step is one fixed-size cell sharing the root. */
START_TEST(repeated_slice_is_linear) {
  uint32_t n = scale(800000, 4000);
  uint8_t *buf = malloc(n);
  for (uint32_t i = 0; i < n; i++) buf[i] = (uint8_t)('a' + i % 26);
  Value root = str_from_latin1(rt, buf, n);
  free(buf);
  ck_assert(!val_is_exception(root));
  const uint8_t *base = str_chars(root).latin1;
  double t0 = now_sec();
  Value rest = root;
  for (uint32_t i = 1; i + STR_SLICE_MIN_LENGTH <= n; i++) {
    rest = str_substring(rt, rest, 1, str_length(rest));
    ck_assert(!val_is_exception(rest));
    if (str_chars(rest).latin1 != base + i) ck_abort_msg("step %u copied instead of sharing", i);
  }
  double dt = now_sec() - t0;
  ck_assert_uint_eq(str_length(rest), STR_SLICE_MIN_LENGTH);
  ck_assert_int_eq(str_char_at(rt, rest, 0), 'a' + (n - STR_SLICE_MIN_LENGTH) % 26);
  /* Quadratic copying would move 320 GB; linear takes well under a second
   * even unoptimized under sanitizers. */
  ck_assert_msg(dt < 5.0, "800k slices took %.2fs", dt);
  GCStats st;
  gc_collect(rt->heap);
  gc_stats(rt->heap, &st, false);
  ck_assert_msg(st.heap_bytes < 4u * n + (1u << 20), "live heap %zu", st.heap_bytes);
}
END_TEST

START_TEST(equality_and_hash_across_representations) {
  const char *text = "the quick brown fox jumps";
  Value flat = S(text);
  Value wide = utf16_flat(text);
  ck_assert(str_is_latin1(flat) && !str_is_latin1(wide));
  Value rope = str_concat(rt, S("the quick brown"), S(" fox jumps"));
  ck_assert_uint_eq(str_rep(rope), STR_REP_ROPE);
  Value big = S("xx the quick brown fox jumps xx");
  Value slice = str_substring(rt, big, 3, 3 + (uint32_t)strlen(text));
  ck_assert_uint_eq(str_rep(slice), STR_REP_SLICE);
  Value wslice = str_substring(rt, utf16_flat("xx the quick brown fox jumps xx"), 3, 28);
  Value all[] = {flat, wide, rope, slice, wslice, atom_from_cstr(rt, text)};
  uint32_t h = str_hash_latin1((const uint8_t *)text, strlen(text));
  for (size_t i = 0; i < 6; i++) {
    ck_assert_msg(hash(all[i]) == h, "hash of representation %zu", i);
    for (size_t j = 0; j < 6; j++) ck_assert_msg(eq(all[i], all[j]), "%zu == %zu", i, j);
    ck_assert_int_eq(cmp(all[i], all[(i + 1) % 6]), 0);
  }
  ck_assert(!eq(flat, S("the quick brown fox jumpz")));
  ck_assert(!eq(flat, S("the quick brown fox jump")));
  ck_assert(!eq(wide, S("the quick brown fox jumpz")));
  /* Distinct keys rarely collide in 32 bits. */
  enum { N = 20000 };
  static uint32_t hs[N];
  char key[32];
  for (int i = 0; i < N; i++) {
    snprintf(key, sizeof key, "key%d", i);
    hs[i] = hash(S(key));
  }
  int collisions = 0;
  for (int i = 0; i < N; i++)
    for (int j = i + 1; j < i + 64 && j < N; j++) collisions += hs[i] == hs[j];
  ck_assert_int_le(collisions, 2);
  /* Low bits (used for bucket indices) spread: all 256 buckets get hit. */
  int buckets[256] = {0}, empty = 0;
  for (int i = 0; i < N; i++) buckets[hs[i] & 255]++;
  for (int i = 0; i < 256; i++) empty += buckets[i] == 0;
  ck_assert_int_eq(empty, 0);
}
END_TEST

START_TEST(compare_order) {
  ck_assert_int_eq(cmp(S("a"), S("b")), -1);
  ck_assert_int_eq(cmp(S("b"), S("a")), 1);
  ck_assert_int_eq(cmp(S("a"), S("aa")), -1);
  ck_assert_int_eq(cmp(S(""), S("a")), -1);
  ck_assert_int_eq(cmp(S(""), str_empty(rt)), 0);
  ck_assert_int_eq(cmp(S("Z"), S("a")), -1);
  ck_assert_int_eq(cmp(S("\xC3\xBF"), S("\xC4\x80")), -1); /* U+00FF < U+0100, Latin-1 vs UTF-16 */
  /* Code-unit order, not code-point order: U+FF61 > U+1F600 (D83D DE00). */
  ck_assert_int_eq(cmp(S("\xEF\xBD\xA1"), S("\xF0\x9F\x98\x80")), 1);
  ck_assert_int_eq(cmp(utf16_flat("abc"), S("abd")), -1);
  ck_assert_int_eq(cmp(S("abc"), utf16_flat("abc")), 0);
  Value r1 = str_concat(rt, S("0123456789ab"), S("cdef")), r2 = str_concat(rt, S("0123456789ab"), S("cdeg"));
  ck_assert_int_eq(cmp(r1, r2), -1);
}
END_TEST

START_TEST(search) {
  Value s = S("hello world, hello moon");
  Value hello = S("hello");
  int32_t i;
  ck_assert(str_index_of(rt, s, hello, 0, &i) && i == 0);
  ck_assert(str_index_of(rt, s, hello, 1, &i) && i == 13);
  ck_assert(str_index_of(rt, s, hello, 14, &i) && i == -1);
  ck_assert(str_index_of(rt, s, S(""), 5, &i) && i == 5);
  ck_assert(str_index_of(rt, s, S(""), 99, &i) && i == 23);
  ck_assert(str_index_of(rt, s, S("moonx"), 0, &i) && i == -1);
  ck_assert(str_index_of(rt, s, S("\xE2\x82\xAC"), 0, &i) && i == -1);
  ck_assert(str_index_of(rt, utf16_flat("hello world, hello moon"), S("o m"), 0, &i) && i == 17);
  ck_assert(str_last_index_of(rt, s, hello, 100, &i) && i == 13);
  ck_assert(str_last_index_of(rt, s, hello, 12, &i) && i == 0);
  ck_assert(str_last_index_of(rt, s, S("zz"), 100, &i) && i == -1);
  ck_assert(str_last_index_of(rt, s, S(""), 100, &i) && i == 23);
  /* Mixed widths both ways, and UTF-16 byte matches that straddle units. */
  ck_assert(str_index_of(rt, S("hello"), utf16_flat("llo"), 0, &i) && i == 2);
  uint16_t units[] = {0x4142, 0x4344, 0x4243, 0x4400, 0x4243};
  Value w = str_from_utf16(rt, units, 5);
  uint16_t pat[] = {0x4243};
  ck_assert(str_index_of(rt, w, str_from_utf16(rt, pat, 1), 0, &i) && i == 2);
  ck_assert(str_index_of(rt, w, str_from_utf16(rt, pat, 1), 3, &i) && i == 4);
  uint16_t pat2[] = {0x4344, 0x4243};
  ck_assert(str_index_of(rt, w, str_from_utf16(rt, pat2, 2), 0, &i) && i == 1);
  /* A pathological search stays fast (linear). */
  uint32_t n = scale(400000, 20000);
  uint8_t *hay = malloc(n);
  memset(hay, 'a', n);
  hay[n - 1] = 'b';
  uint8_t *needle = malloc(n / 2);
  memset(needle, 'a', n / 2);
  needle[n / 2 - 1] = 'b';
  Value hv = str_from_latin1(rt, hay, n), nv = str_from_latin1(rt, needle, n / 2);
  free(hay);
  free(needle);
  double t0 = now_sec();
  ck_assert(str_index_of(rt, hv, nv, 0, &i) && i == (int32_t)(n - n / 2));
  ck_assert_msg(now_sec() - t0 < 2.0, "quadratic search");
  Value rope = str_concat(rt, s, S(" \xE2\x82\xAC end of the line"));
  ck_assert(str_index_of(rt, rope, S("\xE2\x82\xAC end"), 0, &i) && i == 24);
}
END_TEST

START_TEST(from_int) {
  ck_assert_str_eq(U8(str_from_int(rt, 0)), "0");
  ck_assert_str_eq(U8(str_from_int(rt, 7)), "7");
  ck_assert_str_eq(U8(str_from_int(rt, -42)), "-42");
  ck_assert_str_eq(U8(str_from_int(rt, INT32_MIN)), "-2147483648");
  ck_assert_str_eq(U8(str_from_int(rt, INT32_MAX)), "2147483647");
  ck_assert_str_eq(U8(str_from_uint32(rt, UINT32_MAX)), "4294967295");
  uint32_t idx;
  ck_assert(str_is_array_index(str_from_int(rt, 123), &idx) && idx == 123);
}
END_TEST

START_TEST(case_mapping) {
  ck_assert_str_eq(U8(str_to_upper(rt, S("stra\xC3\x9F" "e"), NULL)), "STRASSE"); /* ß -> SS */
  ck_assert_str_eq(U8(str_to_upper(rt, S("hello, World!"), NULL)), "HELLO, WORLD!");
  ck_assert_str_eq(U8(str_to_lower(rt, S("HELLO, World!"), NULL)), "hello, world!");
  Value lower = S("already lower");
  ck_assert(str_to_lower(rt, lower, NULL) == lower);
  /* Final sigma: ΣΑΣ -> σας. */
  ck_assert_str_eq(U8(str_to_lower(rt, S("\xCE\xA3\xCE\x91\xCE\xA3"), NULL)), "\xCF\x83\xCE\xB1\xCF\x82");
  /* İ (U+0130) lower-cases to i + U+0307 in the root locale, to i in Turkish. */
  Value idot = str_to_lower(rt, S("\xC4\xB0"), NULL);
  ck_assert_uint_eq(str_length(idot), 2);
  ck_assert_str_eq(U8(str_to_lower(rt, S("\xC4\xB0"), "tr")), "i");
  ck_assert_str_eq(U8(str_to_upper(rt, S("i"), "tr")), "\xC4\xB0");
  /* ÿ upper-cases outside Latin-1; µ to Greek capital mu. */
  Value y = str_to_upper(rt, S("\xC3\xBF\xC2\xB5"), NULL);
  ck_assert(!str_is_latin1(y));
  ck_assert_int_eq(str_char_at(rt, y, 0), 0x178);
  ck_assert_int_eq(str_char_at(rt, y, 1), 0x39C);
  /* Ropes and lone surrogates pass through. */
  Value r = str_concat(rt, S("abcdefghijklm"), S("nop"));
  ck_assert_str_eq(U8(str_to_upper(rt, r, NULL)), "ABCDEFGHIJKLMNOP");
  uint16_t lone[] = {'a', 0xD800, 'b'};
  Value l = str_to_upper(rt, str_from_utf16(rt, lone, 3), NULL);
  ck_assert_int_eq(str_char_at(rt, l, 1), 0xD800);
  ck_assert_int_eq(str_char_at(rt, l, 2), 'B');
}
END_TEST

START_TEST(normalization) {
  Value composed = S("\xC3\xA9"), decomposed = S("e\xCC\x81");
  ck_assert(eq(str_normalize(rt, decomposed, STR_NFC), composed));
  ck_assert(eq(str_normalize(rt, composed, STR_NFD), decomposed));
  ck_assert(str_normalize(rt, composed, STR_NFC) == composed); /* already normal: shared */
  ck_assert_str_eq(U8(str_normalize(rt, S("\xEF\xAC\x81"), STR_NFKC)), "fi"); /* ﬁ ligature */
  ck_assert_str_eq(U8(str_normalize(rt, S("\xEF\xAC\x81"), STR_NFC)), "\xEF\xAC\x81");
  ck_assert_uint_eq(str_length(str_normalize(rt, S("\xE1\xBA\x9B\xCC\xA3"), STR_NFKD)), 3);
}
END_TEST

START_TEST(too_long_is_range_error) {
  Value s = S("0123456789abcdef");
  while (str_length(s) <= STR_MAX_LENGTH / 2) {
    s = str_concat(rt, s, s); /* ropes only: no characters copied */
    ck_assert(!val_is_exception(s));
  }
  ck_assert(val_is_exception(str_concat(rt, s, s)));
  ck_assert_int_eq(rt_exception_kind(rt), ERR_RangeError);
  rt_clear_exception(rt);
  ck_assert(val_is_exception(str_alloc_flat(rt, STR_MAX_LENGTH + 1, true)));
  rt_clear_exception(rt);
}
END_TEST

START_TEST(out_of_memory) {
  RuntimeOptions o = {.max_heap_bytes = 2u << 20};
  Runtime *small = rt_new(&o);
  ck_assert_ptr_nonnull(small);
  Value big = str_alloc_flat(small, 8u << 20, true);
  ck_assert(val_is_exception(big));
  ck_assert(rt_has_exception(small));
  ck_assert_int_eq(rt_exception_kind(small), ERR_InternalError);
  rt_clear_exception(small);
  /* Ropes are cheap; flattening one past the limit fails cleanly, and the
   * rope stays usable (still a rope). */
  uint8_t *chunk = malloc(600000);
  memset(chunk, 'q', 600000);
  Value c = str_from_latin1(small, chunk, 600000);
  free(chunk);
  ck_assert(!val_is_exception(c));
  Value r = str_concat(small, str_concat(small, c, c), c);
  ck_assert(!val_is_exception(r));
  ck_assert_int_eq(str_char_at(small, r, 5), -1);
  ck_assert(rt_has_exception(small));
  rt_clear_exception(small);
  ck_assert_uint_eq(str_rep(r), STR_REP_ROPE);
  bool same;
  ck_assert(!str_equals(small, r, str_concat(small, c, str_concat(small, c, c)), &same));
  rt_clear_exception(small);
  /* Keep allocating until the heap is full; the runtime still works after. */
  int made = 0;
  Value keep = str_empty(small);
  for (;;) {
    Value v = str_alloc_flat(small, 100000, true);
    if (val_is_exception(v)) break;
    memset(str_flat_latin1(v), 'z', 100000);
    keep = str_concat(small, keep, v); /* keeps every chunk reachable */
    if (val_is_exception(keep)) break;
    made++;
    ck_assert_int_lt(made, 1000);
  }
  ck_assert_int_eq(rt_exception_kind(small), ERR_InternalError);
  rt_clear_exception(small);
  r = c = keep = 0;
  gc_collect(small->heap);
  Value ok = str_from_cstr(small, "still working after out of memory");
  ck_assert(!val_is_exception(ok));
  char buf[64];
  str_to_utf8_buf(small, ok, buf, sizeof buf);
  ck_assert_str_eq(buf, "still working after out of memory");
  rt_free(small);
}
END_TEST

START_TEST(builder) {
  StrBuilder b;
  str_builder_init(&b, rt);
  ck_assert(str_builder_append_cstr(&b, "abc "));
  ck_assert(str_builder_append_string(&b, str_concat(rt, S("0123456789"), S("0123456789"))));
  ck_assert(str_builder_append_char(&b, 0xE9));
  Value r = str_builder_finish(&b);
  ck_assert(str_is_latin1(r)); /* stays one byte per unit */
  ck_assert_str_eq(U8(r), "abc 01234567890123456789\xC3\xA9");

  str_builder_init(&b, rt);
  for (int i = 0; i < 1000; i++) ck_assert(str_builder_append_char(&b, (uint16_t)('a' + i % 26)));
  ck_assert(str_builder_append_code_point(&b, 0x1F600)); /* widens mid-way */
  ck_assert(str_builder_append_utf8(&b, "x\xE2\x82\xACy\xFF", 6));
  ck_assert(str_builder_append_substring(&b, S("hello"), 1, 3));
  r = str_builder_finish(&b);
  ck_assert(!str_is_latin1(r));
  ck_assert_uint_eq(str_length(r), 1000 + 2 + 4 + 2);
  ck_assert_int_eq(str_char_at(rt, r, 999), 'a' + 999 % 26);
  ck_assert_int_eq(str_code_point_at(rt, r, 1000), 0x1F600);
  ck_assert_int_eq(str_char_at(rt, r, 1003), 0x20AC);
  ck_assert_int_eq(str_char_at(rt, r, 1005), 0xFFFD);
  ck_assert_int_eq(str_char_at(rt, r, 1006), 'e');
  ck_assert_int_eq(str_char_at(rt, r, 1007), 'l');

  str_builder_init(&b, rt);
  ck_assert(str_builder_finish(&b) == str_empty(rt));
}
END_TEST

int main(void) {
  Suite *s = suite_create("string");
  TCase *tc = tcase_create("string");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, latin1_vs_utf16_selection);
  tcase_add_test(tc, utf8_round_trip);
  tcase_add_test(tc, utf8_invalid_input);
  tcase_add_test(tc, small_concat_is_flat_large_is_rope);
  tcase_add_test(tc, deep_rope_flattens_without_recursion);
  tcase_add_test(tc, rope_survives_collection);
  tcase_add_test(tc, slices_share_storage);
  tcase_add_test(tc, repeated_slice_is_linear);
  tcase_add_test(tc, equality_and_hash_across_representations);
  tcase_add_test(tc, compare_order);
  tcase_add_test(tc, search);
  tcase_add_test(tc, from_int);
  tcase_add_test(tc, case_mapping);
  tcase_add_test(tc, normalization);
  tcase_add_test(tc, too_long_is_range_error);
  tcase_add_test(tc, out_of_memory);
  tcase_add_test(tc, builder);
  suite_add_tcase(s, tc);
  return test_run_suite(s);
}
