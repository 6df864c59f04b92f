/* js_parser.c: unit tests of the parser and scope analysis: each construct
 * parses, each class of early error is reported (with its position), deep
 * nesting fails cleanly, and identifiers resolve as the compiler expects. */
#include <string.h>

#include "js/js.h"
#include "js/parser.h"
#include "js/scope.h"
#include "test_util.h"

enum { S = 0, M = JS_PARSE_OPT_MODULE, ST = JS_PARSE_OPT_STRICT };

static bool parses(const char *src, int opts, char *msg, size_t size) {
  JsArena arena;
  js_arena_init(&arena);
  JsParseResult r;
  bool ok = js_parse(NULL, &arena, src, strlen(src), opts, &r);
  if (!ok && msg) snprintf(msg, size, "%u:%u: %s", r.err_line, r.err_col, r.message);
  js_arena_free(&arena);
  return ok;
}

#define OK(src, opts)                                                                              \
  do {                                                                                             \
    char m_[300] = "";                                                                             \
    ck_assert_msg(parses(src, opts, m_, sizeof m_), "should parse: %s (%s)", src, m_);             \
  } while (0)

#define BAD(src, opts)                                                                             \
  ck_assert_msg(!parses(src, opts, NULL, 0), "should be a SyntaxError: %s", src)

START_TEST(statements) {
  OK("var a = 1, b; let c; const d = 2; ;", S);
  OK("if (a) b; else if (c) d; else { e }", S);
  OK("for (;;) break; for (var i = 0; i < 1; i++) continue; for (x in y); for (const x of y);", S);
  OK("while (0) {} do x; while (0) y", S);
  OK("a: for (;;) { b: for (;;) { continue a; break b; } }", S);
  OK("switch (x) { case 1: let y; break; default: }", S);
  OK("try {} catch {} try {} catch ({a, b: [c]}) {} finally {}", S);
  OK("with (o) x;", S);
  OK("debugger; throw 1;", S);
  OK("function f() { return; } function* g() { yield; yield* h(); } async function k() { await 1; }", S);
  OK("async function* ag() { for await (const x of y) yield await x; }", S);
  OK("let\nx = 1", S);
  OK("var let = 1; let.x; let(0)", S);
  BAD("var let; let[0] = 1", S); /* `let [` always starts a declaration */
}
END_TEST

START_TEST(expressions) {
  OK("a = b ? c : d, e || f && g", S);
  OK("x = a ?? b; y = (a || b) ?? c; z = a?.b?.[c]?.(d)", S);
  OK("a **= 2; b = (-a) ** 2; c = 2 ** -a; d = a ** b ** c", S);
  OK("a ||= b; a &&= b; a ?\?= b; a >>>= 1", S);
  OK("x = {a, b: 1, [c]: 2, get d() {}, set d(v) {}, *e() {}, async f() {}, async *g() {}, ...h}", S);
  OK("x = [, a, ...b, , ]", S);
  OK("x = `a${b}c${`d${e}`}`; tag`\\unicode`", S);
  OK("x = /re/g.test(s) / 2; y = a\n/b/g", S);
  OK("new a.b.c(); new new X()(); function f() { new.target }", S);
}
END_TEST

START_TEST(expressions_errors) {
  BAD("a ?? b || c", S);
  BAD("a || b ?? c", S);
  BAD("-a ** 2", S);
  BAD("a?.b`t`", S);
  BAD("a?.b = 1", S);
  BAD("new a?.b()", S);
  BAD("1 = 2", S);
  BAD("a + 1 = 2", S);
  BAD("++a++", S);
  BAD("x = { a = 1 }", S);
  BAD("({a: 1} = b)", S);
  BAD("({get a(){}} = b)", S);
  BAD("[...a, b] = c", S);
  BAD("[...a,] = c", S);
  BAD("({...{a}} = b)", S);
  BAD("x = `\\unicode`", S);
  BAD("x = {__proto__: 1, __proto__: 2}", S);
  OK("({__proto__: a, __proto__: b} = c)", S);
  OK("x = {__proto__: 1, ['__proto__']: 2, __proto__() {}}", S);
  BAD("new.target", S);
  BAD("super.x", S);
  BAD("function f() { super() }", S);
  BAD("import.meta", S);
  OK("import.meta", M);
  BAD("x = class { constructor() { super() } }", S);
  OK("x = class extends B { constructor() { super(); () => super.x } }", S);
}
END_TEST

START_TEST(arrows_and_destructuring) {
  OK("f = (a, [b, c = 1], {d, e: f, ...g}, ...h) => a; g = async x => await x; h = async (a) => {}", S);
  OK("[a, {b = 1, c: [d]}] = x; ({a = 1} = x); for ([a, b] of c);", S);
  OK("x = ({a = 1}) => a", S);
  OK("async(a, b)", S);
  BAD("(a, a) => 1", S);
  BAD("(a, ...b,) => 1", S);
  BAD("(...a = 1) => 1", S);
  BAD("() \n => 1", S);
  BAD("async (await) => 1", S);
  BAD("function* g() { (x = yield) => 1 }", S);
  BAD("async function f() { (x = await 1) => 1 }", S);
  BAD("(a.b) => 1", S);
  BAD("({a: 1}) => 1", S);
  BAD("x => {} + 1", S);
  OK("x => {}\n(1)", S);
  BAD("((a)) => 1", S);
  OK("[(a)] = b; [(a.b)] = c", S);
  BAD("[([a])] = b", S);
}
END_TEST

START_TEST(classes) {
  OK("class A extends B { #x = 1; static #y; static { this.#y = 1 } get #z() {} set #z(v) {}"
     " m() { return #x in this && this.#x } static async *gen() {} 'constructor'() {} }", S);
  OK("class C { prototype() {} static constructor() {} }", S);
  BAD("class C { constructor() {} constructor() {} }", S);
  BAD("class C { get constructor() {} }", S);
  BAD("class C { constructor = 1 }", S);
  BAD("class C { static prototype = 1 }", S);
  BAD("class C { static prototype() {} }", S);
  BAD("class C { #a; #a }", S);
  OK("class C { get #a() {} set #a(v) {} }", S);
  BAD("class C { static get #a() {} set #a(v) {} }", S);
  BAD("class C { m() { this.#b } }", S);
  BAD("this.#a", S);
  BAD("class C { #constructor }", S);
  BAD("class C { #a; m() { delete this.#a } }", S);
  BAD("class C { x = arguments }", S);
  BAD("class C { static { await } }", S);
  BAD("class C extends D { m() { super.#x } #x }", S);
  OK("class C { #a; m() { class D { n() { this.#a } } } }", S);
}
END_TEST

START_TEST(strict_mode) {
  BAD("'use strict'; with (a) b", S);
  BAD("with (a) b", ST);
  BAD("'use strict'; 010", S);
  BAD("'use strict'; '\\07'", S);
  BAD("function f() { '\\07'; 'use strict' }", S);
  OK("function f() { '\\07' }", S);
  BAD("'use strict'; delete x", S);
  BAD("'use strict'; delete ((x))", S);
  OK("delete x", S);
  BAD("'use strict'; var eval", S);
  BAD("'use strict'; arguments = 1", S);
  BAD("function eval() { 'use strict' }", S);
  BAD("function f(a, a) { 'use strict' }", S);
  OK("function f(a, a) {}", S);
  BAD("function f(a = 1) { 'use strict' }", S);
  BAD("function f(a, [b]) { 'use strict' }", S);
  BAD("function f(a, a = 1) {}", S);
  BAD("'use strict'; var let = 1", S);
  BAD("'use strict'; var yield", S);
  BAD("'use strict'; if (a) function f() {}", S);
  OK("if (a) function f() {}", S);
  OK("l: function f() {}", S);
  BAD("while (a) function f() {}", S);
  BAD("while (a) l: function f() {}", S);
  BAD("if (a) function* f() {}", S);
  BAD("if (a) let x = 1", S);
  BAD("if (a) const x = 1", S);
  BAD("if (a) class C {}", S);
  BAD("if (a) let [x] = 1", S);
  OK("if (a) let \n x = 1", S);
}
END_TEST

START_TEST(declarations) {
  BAD("let a; let a;", S);
  BAD("let a; var a;", S);
  BAD("var a; let a;", S);
  BAD("{ var a; } let a;", S);
  BAD("let a; { var a; }", S);
  OK("var a; var a; function a() {}", S);
  BAD("const a;", S);
  BAD("let [a];", S);
  BAD("let let = 1", S);
  BAD("for (let let of x);", S);
  BAD("function f(a) { let a }", S);
  OK("function f(a) { var a }", S);
  BAD("try {} catch (e) { let e }", S);
  OK("try {} catch (e) { var e }", S);
  BAD("try {} catch ([e]) { var e }", S);
  BAD("try {} catch ([e, e]) {}", S);
  BAD("switch (x) { case 1: let a; case 2: let a; }", S);
  OK("{ function f() {} function f() {} }", S);
  BAD("'use strict'; { function f() {} function f() {} }", S);
  BAD("{ function* f() {} function f() {} }", S);
  BAD("class C {} var C", S);
  BAD("for (let x;;) { var x }", S);
  BAD("label: label: ;", S);
  BAD("break;", S);
  BAD("continue;", S);
  BAD("a: { continue a; }", S);
  OK("a: { break a; }", S);
  BAD("while (1) { break b; }", S);
  BAD("return", S);
  BAD("for (let of x);", S);
  BAD("for (async of x);", S);
  OK("for (async of => {};;) break;", S);
  BAD("for (let x = 1 of y);", S);
  BAD("for (let x = 1 in y);", S);
  OK("for (var x = 1 in y);", S);
  BAD("'use strict'; for (var x = 1 in y);", S);
  BAD("for (var [x] = 1 in y);", S);
  BAD("for (let x, y of z);", S);
  BAD("do x while (0)", S);
  BAD("throw\n1", S);
}
END_TEST

START_TEST(yield_await) {
  OK("var yield, await; function f(yield) {} async function g() { var yield }", S);
  BAD("function* g() { var yield }", S);
  BAD("function* g(a = yield) {}", S);
  BAD("async function f() { var await }", S);
  BAD("async function f(a = await 1) {}", S);
  BAD("var await", M);
  OK("await 1", M);
  BAD("await 1", S);
  BAD("function f() { await 1 }", M);
  OK("function* g() { yield\n1 }", S);
  OK("async function f() { for await (x of y); }", S);
  BAD("function f() { for await (x of y); }", S);
  BAD("async function f() { for await (x in y); }", S);
}
END_TEST

START_TEST(modules) {
  OK("import a from 'a'; import * as b from 'b'; import {c, d as e, 'f' as g, default as h} from 'c';"
     " import i, {j} from 'd'; import 'e'; import k from './k.json' with { type: 'json' };", M);
  OK("export var a; export let b = 1; export function c() {} export class D {}"
     " export {a as e, b as 'string name'}; export * from 'x'; export * as ns from 'y';"
     " export {z as w} from 'z'; export default function () {}", M);
  OK("let x; export { x as default }", M);
  BAD("export var a; export {a}", M);
  BAD("export default 1; export default 2", M);
  BAD("export {undeclared}", M);
  BAD("export {a as 'x', b as 'x'}; var a, b", M);
  BAD("import a from 'a'", S);
  BAD("export var a", S);
  BAD("{ import a from 'a' }", M);
  BAD("function f() { export var a }", M);
  BAD("import {if} from 'a'", M);
  BAD("export {if}", M);
  OK("export {if} from 'a'", M);
  BAD("import a from 'a'; let a", M);
  BAD("function f() {} function f() {}", M);
  BAD("import x from 'y' with { type: 'json', type: 'json' }", M);
  BAD("<!-- x", M);
  OK("<!-- x", S);
  OK("import('x'); import('x', { with: {} })", S);
  BAD("new import('x')", S);
  BAD("export {'\\uD800' as x} from 'y'", M);
}
END_TEST

START_TEST(error_positions) {
  char msg[300];
  ck_assert(!parses("let x = );", S, msg, sizeof msg));
  ck_assert_str_eq(msg, "1:9: Unexpected token ')'");
  ck_assert(!parses("a\n  let a; let a;", S, msg, sizeof msg));
  ck_assert_str_eq(msg, "2:14: Identifier 'a' has already been declared");
  ck_assert(!parses("x = '\xC3\xA9' + )", S, msg, sizeof msg));
  ck_assert_str_eq(msg, "1:11: Unexpected token ')'");
  /* The formatted report has a code frame with a caret. */
  JsArena arena;
  js_arena_init(&arena);
  JsParseResult r;
  const char *src = "a;\nlet x = );\n";
  ck_assert(!js_parse(NULL, &arena, src, strlen(src), 0, &r));
  char buf[512];
  js_format_syntax_error(&r, "f.js", src, strlen(src), buf, sizeof buf, true);
  ck_assert_str_eq(buf, "f.js:2:9: SyntaxError: Unexpected token ')'\n  let x = );\n          ^\n");
  js_arena_free(&arena);
}
END_TEST

START_TEST(deep_nesting) {
  static char buf[400010];
  const char *opens[] = {"(", "[", "{", "f(", "x=>", "-", "a?"};
  for (size_t k = 0; k < sizeof opens / sizeof opens[0]; k++) {
    size_t n = 0, w = strlen(opens[k]);
    while (n + w < 200000) memcpy(buf + n, opens[k], w), n += w;
    buf[n] = 0;
    char msg[300];
    ck_assert(!parses(buf, S, msg, sizeof msg));
    ck_assert_msg(strstr(msg, "nesting") != NULL, "%s: %s", opens[k], msg);
  }
  /* Long left-leaning chains are not nesting: they must parse and analyse. */
  const char *links[] = {"+a", ".b", "(1)", "[0]", "&&a", "`t`"};
  for (size_t k = 0; k < sizeof links / sizeof links[0]; k++) {
    size_t n = 0, w = strlen(links[k]);
    buf[n++] = 'a';
    while (n + w < 300000) memcpy(buf + n, links[k], w), n += w;
    buf[n] = 0;
    OK(buf, S);
  }
  /* Reasonable nesting is fine. */
  size_t n = 0;
  for (int i = 0; i < 500; i++) buf[n++] = '(';
  buf[n++] = '1';
  for (int i = 0; i < 500; i++) buf[n++] = ')';
  buf[n] = 0;
  OK(buf, S);
}
END_TEST

/* Scope analysis results. */
static JsNode *find_ident(JsNode *n, const char *name, int nth, int *seen) {
  if (!n) return NULL;
  if (n->kind == N_Ident && n->ref.kind != REF_UNRESOLVED && strlen(name) == n->name_len &&
      memcmp(n->name, name, n->name_len) == 0 && (*seen)++ == nth)
    return n;
  JsNode *kids[] = {n->a, n->b, n->c, n->d};
  for (int i = 0; i < 4; i++) {
    JsNode *r = find_ident(kids[i], name, nth, seen);
    if (r) return r;
  }
  for (JsNode *k = n->list; k; k = k->next) {
    JsNode *r = find_ident(k, name, nth, seen);
    if (r) return r;
  }
  return NULL;
}

static JsRef ref_of(JsArena *arena, const char *src, int opts, const char *name, int nth) {
  JsParseResult r;
  ck_assert_msg(js_parse(NULL, arena, src, strlen(src), opts, &r), "%s", r.message);
  int seen = 0;
  JsNode *id = find_ident(r.program, name, nth, &seen);
  ck_assert_msg(id != NULL, "no %s #%d", name, nth);
  return id->ref;
}

START_TEST(scopes) {
  JsArena a;
  js_arena_init(&a);
  const char *src = "function f(p) { let l = p; var c = 1; return () => c + l; }";
  JsRef r = ref_of(&a, src, 0, "p", 1); /* the use of p */
  ck_assert_int_eq(r.kind, REF_LOCAL);
  r = ref_of(&a, src, 0, "c", 1); /* c inside the arrow: captured */
  ck_assert_int_eq(r.kind, REF_CLOSURE);
  ck_assert_int_eq(r.hops, 0); /* the arrow has no environment of its own */
  r = ref_of(&a, src, 0, "l", 1);
  ck_assert_int_eq(r.kind, REF_CLOSURE);
  ck_assert(r.maybe_tdz); /* the closure may run before l is set, as far as we know */
  r = ref_of(&a, "{ let x = 1; x; }", 0, "x", 1);
  ck_assert_int_eq(r.kind, REF_LOCAL);
  ck_assert(!r.maybe_tdz);
  r = ref_of(&a, "{ x; let x = 1; }", 0, "x", 0);
  ck_assert(r.maybe_tdz);
  r = ref_of(&a, "undeclared", 0, "undeclared", 0);
  ck_assert_int_eq(r.kind, REF_GLOBAL);
  ck_assert_ptr_null(r.binding);
  r = ref_of(&a, "function f() { var v; with (o) v; }", 0, "v", 1);
  ck_assert_int_eq(r.kind, REF_DYNAMIC);
  r = ref_of(&a, "function f() { var v; eval(''); return v; }", 0, "v", 1);
  ck_assert_int_eq(r.kind, REF_CLOSURE); /* eval can see v: it lives in the environment */
  r = ref_of(&a, "import {m} from 'x'; m;", M, "m", 1);
  ck_assert_int_eq(r.kind, REF_MODULE);
  /* Annex B.3.3: a sloppy block function is also a var of the function. */
  JsParseResult pr;
  const char *ab = "function g() { { function h() {} } return h; }";
  ck_assert(js_parse(NULL, &a, ab, strlen(ab), 0, &pr));
  int seen = 0;
  JsNode *h = find_ident(pr.program, "h", 1, &seen);
  ck_assert_int_eq(h->ref.kind, REF_LOCAL);
  r = ref_of(&a, "function f(a = b, b) {}", 0, "b", 0);
  ck_assert(r.maybe_tdz);
  r = ref_of(&a, "function f(a, b = a) { a }", 0, "a", 0); /* the body's a */
  ck_assert(!r.maybe_tdz);
  /* Non-simple parameters: default values do not see the body's vars. */
  r = ref_of(&a, "function f(a = () => x) { var x; }", 0, "x", 1); /* body first, then params */
  ck_assert_int_eq(r.kind, REF_GLOBAL);
  ck_assert(!parses("function f(a = 1) { let a; }", S, NULL, 0));
  ck_assert(parses("function f(a = 1) { var a; }", S, NULL, 0));
  js_arena_free(&a);
}
END_TEST

START_TEST(check_syntax_api) {
  Runtime *rt = rt_new(NULL);
  char msg[300];
  ck_assert(js_check_syntax(rt, "t.js", "let x = 1", 9, 0, msg, sizeof msg));
  /* js_parse throws into the runtime; js_check_syntax reports through msg only. */
  JsArena arena;
  js_arena_init(&arena);
  JsParseResult r;
  ck_assert(!js_parse(rt, &arena, "(", 1, 0, &r));
  ck_assert(rt_has_exception(rt));
  ck_assert_int_eq(rt_exception_kind(rt), ERR_SyntaxError);
  ck_assert_str_eq(rt_exception_message(rt), "Unexpected end of input");
  rt_clear_exception(rt);
  js_arena_free(&arena);
  ck_assert(!js_check_syntax(rt, "t.js", "let x = ", 8, 0, msg, sizeof msg));
  ck_assert(!rt_has_exception(rt));
  ck_assert_str_eq(msg, "t.js:1:9: SyntaxError: Unexpected end of input");
  ck_assert(!js_check_syntax(rt, "t.js", "with(a);", 8, JS_PARSE_STRICT, msg, sizeof msg));
  ck_assert(js_check_syntax(rt, "t.js", "export {}", 9, JS_PARSE_MODULE, msg, sizeof msg));
  /* Embedded NULs and garbage never crash. */
  ck_assert(!js_check_syntax(rt, "t.js", "a\0b", 3, 0, msg, sizeof msg));
  const char junk[] = "\xff\xfe`${/[(\\u{";
  ck_assert(!js_check_syntax(rt, "t.js", junk, sizeof junk - 1, 0, msg, sizeof msg));
  rt_free(rt);
}
END_TEST

Suite *parser_suite(void) {
  Suite *s = suite_create("js_parser");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, statements);
  tcase_add_test(tc, expressions);
  tcase_add_test(tc, expressions_errors);
  tcase_add_test(tc, arrows_and_destructuring);
  tcase_add_test(tc, classes);
  tcase_add_test(tc, strict_mode);
  tcase_add_test(tc, declarations);
  tcase_add_test(tc, yield_await);
  tcase_add_test(tc, modules);
  tcase_add_test(tc, error_positions);
  tcase_add_test(tc, deep_nesting);
  tcase_add_test(tc, scopes);
  tcase_add_test(tc, check_syntax_api);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return test_run_suite(parser_suite()); }
