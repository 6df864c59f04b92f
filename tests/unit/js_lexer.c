/* js_lexer.c: unit tests of the JavaScript lexer: every token class, numeric
 * and string literal values, templates, regexps, comments, line terminators
 * and the lexical errors. */
#include <math.h>
#include <string.h>

#include "js/lexer.h"
#include "test_util.h"

typedef struct {
  JsArena arena;
  JsLexer L;
  JsToken t;
} Lex;

static void lex_open(Lex *x, const char *src, bool module) {
  js_arena_init(&x->arena);
  js_lexer_init(&x->L, &x->arena, src, strlen(src), module);
}

static void lex_close(Lex *x) {
  js_lexer_free(&x->L);
  js_arena_free(&x->arena);
}

static JsTokenKind next(Lex *x) { return js_lexer_next(&x->L, &x->t); }

/* The kinds of all tokens of src, up to EOF or ERROR. */
static int kinds(const char *src, JsTokenKind *out, int max) {
  Lex x;
  lex_open(&x, src, false);
  int n = 0;
  while (n < max) {
    JsTokenKind k = next(&x);
    out[n++] = k;
    if (k == TOK_EOF || k == TOK_ERROR) break;
  }
  lex_close(&x);
  return n;
}

static double num(const char *src) {
  Lex x;
  lex_open(&x, src, false);
  ck_assert_int_eq(next(&x), TOK_NUMBER);
  double d = x.t.num;
  ck_assert_int_eq(next(&x), TOK_EOF);
  lex_close(&x);
  return d;
}

static const char *lex_error(const char *src) {
  Lex x;
  lex_open(&x, src, false);
  JsTokenKind k;
  do k = next(&x);
  while (k != TOK_EOF && k != TOK_ERROR);
  const char *e = k == TOK_ERROR ? x.L.error : NULL;
  lex_close(&x);
  return e;
}

static int str_eq(const JsToken *t, const char *ascii) {
  size_t n = strlen(ascii);
  if (t->str_len != n) return 0;
  for (size_t i = 0; i < n; i++)
    if (t->str[i] != (unsigned char)ascii[i]) return 0;
  return 1;
}

START_TEST(punctuators) {
  JsTokenKind k[32];
  int n = kinds(">>>= ... ?. ?? ?\?= ** **= => &&= ||= !== === < <<= >>", k, 32);
  JsTokenKind want[] = {TOK_SHR_ASSIGN, TOK_ELLIPSIS, TOK_OPTCHAIN, TOK_NULLISH, TOK_NULLISH_ASSIGN,
                        TOK_STARSTAR, TOK_STARSTAR_ASSIGN, TOK_ARROW, TOK_AND_ASSIGN, TOK_OR_ASSIGN,
                        TOK_SNE, TOK_SEQ, TOK_LT, TOK_SHL_ASSIGN, TOK_SAR, TOK_EOF};
  ck_assert_int_eq(n, (int)(sizeof want / sizeof want[0]));
  for (int i = 0; i < n; i++) ck_assert_int_eq(k[i], want[i]);
  /* a?.5:1 is a conditional, not optional chaining */
  n = kinds("a?.5:1", k, 32);
  ck_assert_int_eq(k[1], TOK_QUESTION);
  ck_assert_int_eq(k[2], TOK_NUMBER);
}
END_TEST

START_TEST(numbers) {
  ck_assert(num("0") == 0);
  ck_assert(num("1_000_000") == 1000000);
  ck_assert(num("0x1F") == 31);
  ck_assert(num("0o17") == 15);
  ck_assert(num("0b1010") == 10);
  ck_assert(num("017") == 15); /* legacy octal */
  ck_assert(num("019") == 19); /* non-octal decimal */
  ck_assert(num("08.5") == 8.5);
  ck_assert(num(".5e1") == 5);
  ck_assert(num("5.") == 5);
  ck_assert(num("1e-7") == 1e-7);
  ck_assert(num("0.1") == 0.1);
  ck_assert(num("9007199254740993") == 9007199254740992.0); /* round half to even */
  ck_assert(num("0x20000000000001") == 9007199254740992.0);
  ck_assert(num("0x20000000000003") == 9007199254740996.0);
  ck_assert(isinf(num("1e400")));
  ck_assert(num("0xFFFFFFFFFFFFFFFFF") == 295147905179352825856.0);
  Lex x;
  lex_open(&x, "017", false);
  next(&x);
  ck_assert(x.t.flags & TF_LEGACY_OCTAL);
  lex_close(&x);
  lex_open(&x, "0x1_Fn 12n", false);
  ck_assert_int_eq(next(&x), TOK_BIGINT);
  ck_assert_int_eq(x.t.id_len, 4);
  ck_assert(memcmp(x.t.id, "0x1F", 4) == 0);
  ck_assert_int_eq(next(&x), TOK_BIGINT);
  lex_close(&x);
}
END_TEST

START_TEST(number_errors) {
  ck_assert_ptr_nonnull(lex_error("1__0"));
  ck_assert_ptr_nonnull(lex_error("1_"));
  ck_assert_ptr_nonnull(lex_error("0x_1"));
  ck_assert_ptr_nonnull(lex_error("0_1"));
  ck_assert_ptr_nonnull(lex_error("07_1"));
  ck_assert_ptr_nonnull(lex_error("1._5"));
  ck_assert_ptr_nonnull(lex_error("1e"));
  ck_assert_ptr_nonnull(lex_error("3in x"));
  ck_assert_ptr_nonnull(lex_error("0x"));
  ck_assert_ptr_nonnull(lex_error("07n"));
  ck_assert_ptr_nonnull(lex_error("1.5n"));
  ck_assert_ptr_nonnull(lex_error("1e3n"));
}
END_TEST

START_TEST(strings) {
  Lex x;
  lex_open(&x, "'a\\n\\x41\\u0042\\u{43}\\\n' \"\\u{1F600}\" '\\07' '\\8' '\\0'", false);
  ck_assert_int_eq(next(&x), TOK_STRING);
  ck_assert(str_eq(&x.t, "a\nABC"));
  ck_assert_int_eq(next(&x), TOK_STRING);
  ck_assert_int_eq(x.t.str_len, 2);
  ck_assert_int_eq(x.t.str[0], 0xD83D);
  ck_assert_int_eq(x.t.str[1], 0xDE00);
  ck_assert_int_eq(next(&x), TOK_STRING);
  ck_assert(x.t.flags & TF_LEGACY_OCTAL);
  ck_assert_int_eq(x.t.str[0], 7);
  ck_assert_int_eq(next(&x), TOK_STRING);
  ck_assert(x.t.flags & TF_LEGACY_OCTAL);
  ck_assert_int_eq(next(&x), TOK_STRING);
  ck_assert(!(x.t.flags & TF_LEGACY_OCTAL));
  ck_assert_int_eq(x.t.str[0], 0);
  lex_close(&x);
  /* LS and PS are allowed in strings (ES2019). */
  lex_open(&x, "'\xE2\x80\xA8'", false);
  ck_assert_int_eq(next(&x), TOK_STRING);
  ck_assert_int_eq(x.t.str[0], 0x2028);
  lex_close(&x);
  ck_assert_ptr_nonnull(lex_error("'abc"));
  ck_assert_ptr_nonnull(lex_error("'a\nb'"));
  ck_assert_ptr_nonnull(lex_error("'\\x4'"));
  ck_assert_ptr_nonnull(lex_error("'\\u{110000}'"));
  ck_assert_ptr_nonnull(lex_error("'\\u12'"));
}
END_TEST

START_TEST(templates) {
  Lex x;
  lex_open(&x, "`a${b}c\\u{41}`", false);
  ck_assert_int_eq(next(&x), TOK_TEMPLATE);
  ck_assert(!(x.t.flags & TF_TEMPLATE_TAIL));
  ck_assert(str_eq(&x.t, "a"));
  ck_assert_int_eq(next(&x), TOK_IDENT);
  ck_assert_int_eq(next(&x), TOK_RBRACE);
  ck_assert_int_eq(js_lexer_rescan_template(&x.L, &x.t), TOK_TEMPLATE);
  ck_assert(x.t.flags & TF_TEMPLATE_TAIL);
  ck_assert(str_eq(&x.t, "cA"));
  ck_assert_int_eq(next(&x), TOK_EOF);
  lex_close(&x);
  /* Invalid escapes: the cooked value is absent, no lexer error. */
  lex_open(&x, "`\\unicode and \\01`", false);
  ck_assert_int_eq(next(&x), TOK_TEMPLATE);
  ck_assert(x.t.flags & TF_BAD_ESCAPE);
  ck_assert_ptr_null(x.t.str);
  lex_close(&x);
  /* CRLF is normalized to LF in the cooked value. */
  lex_open(&x, "`a\r\nb`", false);
  next(&x);
  ck_assert(str_eq(&x.t, "a\nb"));
  lex_close(&x);
  ck_assert_ptr_nonnull(lex_error("`abc"));
}
END_TEST

START_TEST(regexps) {
  Lex x;
  lex_open(&x, "/a[/]b\\//gimsuyd", false);
  ck_assert_int_eq(next(&x), TOK_SLASH);
  ck_assert_int_eq(js_lexer_rescan_regexp(&x.L, &x.t), TOK_REGEXP);
  ck_assert_int_eq(x.t.end, 16);
  ck_assert_int_eq(x.t.aux, 9);
  lex_close(&x);
  const char *bad[] = {"/a/gg", "/a/uv", "/a/x", "/a\n/", "/a", "/a/\\u0067"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    lex_open(&x, bad[i], false);
    next(&x);
    ck_assert_msg(js_lexer_rescan_regexp(&x.L, &x.t) == TOK_ERROR, "%s", bad[i]);
    lex_close(&x);
  }
  lex_open(&x, "/a/v", false);
  next(&x);
  ck_assert_int_eq(js_lexer_rescan_regexp(&x.L, &x.t), TOK_REGEXP);
  lex_close(&x);
}
END_TEST

START_TEST(identifiers) {
  Lex x;
  lex_open(&x, "\\u0061bc caf\xC3\xA9 \\u{1d49c} if \\u0069f let l\\u0065t #priv \xE2\x84\x98", false);
  ck_assert_int_eq(next(&x), TOK_IDENT);
  ck_assert_int_eq(x.t.id_len, 3);
  ck_assert(memcmp(x.t.id, "abc", 3) == 0);
  ck_assert(x.t.flags & TF_ESCAPED);
  ck_assert_int_eq(next(&x), TOK_IDENT);
  ck_assert_int_eq(x.t.id_len, 5);
  ck_assert_int_eq(next(&x), TOK_IDENT); /* mathematical script A: ID_Start */
  ck_assert_int_eq(next(&x), TOK_IF);
  ck_assert_int_eq(next(&x), TOK_IDENT); /* escaped keyword stays an identifier, flagged */
  ck_assert_int_eq(x.t.keyword, TOK_IF);
  ck_assert_int_eq(next(&x), TOK_IDENT);
  ck_assert_int_eq(x.t.word, W_let);
  ck_assert_int_eq(next(&x), TOK_IDENT);
  ck_assert_int_eq(x.t.word, W_let);
  ck_assert(x.t.flags & TF_ESCAPED);
  ck_assert_int_eq(next(&x), TOK_PRIVATE);
  ck_assert_int_eq(x.t.id_len, 4);
  ck_assert_int_eq(next(&x), TOK_IDENT); /* U+2118 is Other_ID_Start */
  lex_close(&x);
  ck_assert_ptr_nonnull(lex_error("\\u0030x"));     /* escaped digit cannot start */
  ck_assert_ptr_nonnull(lex_error("a\\u002Db"));    /* '-' is not ID_Continue */
  ck_assert_ptr_nonnull(lex_error("\\x41"));
  ck_assert_ptr_nonnull(lex_error("# x"));
  ck_assert_ptr_nonnull(lex_error("a\xE2\x82\xAC")); /* euro sign */
}
END_TEST

START_TEST(space_and_comments) {
  Lex x;
  /* BOM, NBSP, Zs (U+2003), LS, comments, HTML comments, hashbang. */
  lex_open(&x, "#!/usr/bin/env tandem\n\xEF\xBB\xBF a\xC2\xA0\xE2\x80\x83/* x\n */b\xE2\x80\xA8 c <!-- gone\n--> gone too\nd // e",
           false);
  ck_assert_int_eq(next(&x), TOK_IDENT);
  ck_assert_int_eq(x.t.line, 2);
  ck_assert_int_eq(x.t.col, 3);
  ck_assert_int_eq(next(&x), TOK_IDENT);
  ck_assert(x.t.flags & TF_NEWLINE_BEFORE);
  ck_assert_int_eq(x.t.line, 3);
  ck_assert_int_eq(next(&x), TOK_IDENT);
  ck_assert(x.t.flags & TF_NEWLINE_BEFORE);
  ck_assert_int_eq(x.t.line, 4);
  ck_assert_int_eq(next(&x), TOK_IDENT);
  ck_assert_int_eq(x.t.id[0], 'd');
  ck_assert_int_eq(x.t.line, 6);
  ck_assert_int_eq(next(&x), TOK_EOF);
  lex_close(&x);
  /* In modules HTML-like comments are not comments. */
  lex_open(&x, "a <!-- b", true);
  next(&x);
  ck_assert_int_eq(next(&x), TOK_LT);
  lex_close(&x);
  /* x-->y in the middle of a line is x-- > y */
  JsTokenKind k[8];
  kinds("x-->y", k, 8);
  ck_assert_int_eq(k[1], TOK_DEC);
  ck_assert_int_eq(k[2], TOK_GT);
  ck_assert_ptr_nonnull(lex_error("/* never closed"));
  ck_assert_ptr_nonnull(lex_error("a \xFF b")); /* invalid UTF-8 */
}
END_TEST

Suite *lexer_suite(void) {
  Suite *s = suite_create("js_lexer");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, punctuators);
  tcase_add_test(tc, numbers);
  tcase_add_test(tc, number_errors);
  tcase_add_test(tc, strings);
  tcase_add_test(tc, templates);
  tcase_add_test(tc, regexps);
  tcase_add_test(tc, identifiers);
  tcase_add_test(tc, space_and_comments);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return test_run_suite(lexer_suite()); }
