/* wasm_validate.c: unit tests of the Wasm validator: each validation error
 * class with the spec's message, valid code over the polymorphic stack, and
 * the exact control side table the interpreter and JIT rely on. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasm/module.h"
#include "wasm/wasm.h"
#include "wasm_builder.h"

static Runtime *rt;

static void setup(void) {
  rt = rt_new(NULL);
  gc_set_kind_ops(GC_KIND_WASM_MODULE, &wasm_module_kind_ops);
}

static void teardown(void) { rt_free(rt); }

/* Extras a test module may carry besides its one function. */
enum {
  MEM = 1 << 0,          /* memory 1 */
  TAB_FUNC = 1 << 1,     /* table 0: funcref */
  TAB_EXTERN = 1 << 2,   /* table 0: externref */
  DATACOUNT = 1 << 3,    /* data count 1 + one passive data segment */
  GLOBAL_CONST = 1 << 4, /* global 0: immutable i32 */
  GLOBAL_MUT = 1 << 5,   /* global 0: mutable i32 */
  ELEM_DECL = 1 << 6,    /* declarative elem segment naming function 0 */
  ELEM_EXTERN = 1 << 7,  /* passive externref elem segment */
  TWO_FUNCS = 1 << 8,    /* a second function, of type 1, body `end` */
};

/* A module whose function 0 has type 0 (the first of `sigs`) and body
 * `code` (no locals unless `locals` is given). */
static Buf build(const char *sigs, unsigned extras, const uint8_t *locals, size_t nlocals,
                 const uint8_t *code, size_t ncode) {
  Buf m = {0}, s = {0};
  mod_begin(&m);
  mod_types(&m, sigs);
  buf_u32(&s, extras & TWO_FUNCS ? 2 : 1);
  buf_u8(&s, 0);
  if (extras & TWO_FUNCS) buf_u8(&s, 1);
  mod_section(&m, 3, &s);
  if (extras & (TAB_FUNC | TAB_EXTERN)) {
    buf_bytes(&s, 1, extras & TAB_FUNC ? 0x70 : 0x6F, 0x00, 0x01, -1);
    mod_section(&m, 4, &s);
  }
  if (extras & MEM) {
    buf_bytes(&s, 1, 0x00, 0x01, -1);
    mod_section(&m, 5, &s);
  }
  if (extras & (GLOBAL_CONST | GLOBAL_MUT)) {
    buf_bytes(&s, 1, 0x7F, extras & GLOBAL_MUT ? 1 : 0, 0x41, 0x00, 0x0B, -1);
    mod_section(&m, 6, &s);
  }
  if (extras & (ELEM_DECL | ELEM_EXTERN)) {
    buf_u32(&s, ((extras & ELEM_DECL) != 0) + ((extras & ELEM_EXTERN) != 0));
    if (extras & ELEM_DECL) buf_bytes(&s, 0x03, 0x00, 0x01, 0x00, -1);
    if (extras & ELEM_EXTERN) buf_bytes(&s, 0x05, 0x6F, 0x01, 0xD0, 0x6F, 0x0B, -1);
    mod_section(&m, 9, &s);
  }
  if (extras & DATACOUNT) {
    buf_bytes(&s, 1, -1);
    mod_section(&m, 12, &s);
  }
  Buf bodies[2] = {{0}, {0}};
  if (nlocals) buf_put(&bodies[0], locals, nlocals);
  else buf_u8(&bodies[0], 0);
  buf_put(&bodies[0], code, ncode);
  buf_bytes(&bodies[1], 0, 0x0B, -1);
  mod_code(&m, extras & TWO_FUNCS ? 2 : 1, bodies);
  if (!(extras & TWO_FUNCS)) buf_free(&bodies[1]);
  if (extras & DATACOUNT) {
    buf_bytes(&s, 1, 0x01, 0x01, 'x', -1);
    mod_section(&m, 11, &s);
  }
  return m;
}

static WasmModule *compile_buf(Buf *b, char *msg, size_t msgsize) {
  WasmModule *m = wasm_module_new(rt, b->b, b->n);
  if (!m) {
    ck_assert(rt_has_exception(rt));
    ck_assert_int_eq(rt_exception_kind(rt), ERR_CompileError);
    snprintf(msg, msgsize, "%s", rt_exception_message(rt));
    rt_clear_exception(rt);
  }
  buf_free(b);
  return m;
}

static void check_code(const char *sigs, unsigned extras, const uint8_t *code, size_t n,
                       const char *want, int line) {
  Buf b = build(sigs, extras, NULL, 0, code, n);
  char msg[512] = "";
  WasmModule *m = compile_buf(&b, msg, sizeof msg);
  if (!want) {
    ck_assert_msg(m != NULL, "line %d: rejected: %s", line, msg);
  } else {
    ck_assert_msg(m == NULL, "line %d: accepted, wanted \"%s\"", line, want);
    ck_assert_msg(strstr(msg, want) != NULL, "line %d: got \"%s\", wanted \"%s\"", line, msg,
                  want);
  }
}

#define INVALID(want, sigs, extras, ...)                                                           \
  do {                                                                                             \
    static const uint8_t code_[] = {__VA_ARGS__};                                                  \
    check_code(sigs, extras, code_, sizeof code_, want, __LINE__);                                 \
  } while (0)

#define VALID(sigs, extras, ...) INVALID(NULL, sigs, extras, __VA_ARGS__)

#define V128_ZERO 0xFD, 0x0C, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0

/* ---- error classes ------------------------------------------------------------ */

START_TEST(type_mismatch) {
  INVALID("type mismatch", ":i", 0, 0x43, 0, 0, 0, 0, 0x0B);               /* f32 for i32 */
  INVALID("type mismatch", ":", 0, 0x42, 0x00, 0x41, 0x00, 0x6A, 0x1A, 0x0B); /* i32.add i64 */
  INVALID("type mismatch", ":", 0, 0x41, 0x00, 0x0B);                      /* leftover */
  INVALID("type mismatch", ":", 0, 0x6A, 0x1A, 0x0B);                      /* empty stack */
  INVALID("type mismatch", ":i", 0, 0x0B);                                 /* missing result */
  /* if without else must not change the types */
  INVALID("type mismatch", ":", 0, 0x41, 0x01, 0x04, 0x7F, 0x41, 0x01, 0x0B, 0x1A, 0x0B);
  /* untyped select on references */
  INVALID("type mismatch", ":", 0, 0xD0, 0x70, 0xD0, 0x70, 0x41, 0x00, 0x1B, 0x1A, 0x0B);
  /* select operands differ */
  INVALID("type mismatch", ":", 0, 0x41, 0x00, 0x42, 0x00, 0x41, 0x00, 0x1B, 0x1A, 0x0B);
  /* br_table labels of different arity */
  INVALID("type mismatch", ":", 0, 0x02, 0x7F, 0x41, 0x00, 0x41, 0x00, 0x0E, 0x01, 0x00, 0x01,
          0x0B, 0x1A, 0x0B);
  /* call_indirect through an externref table */
  INVALID("type mismatch", ":", TAB_EXTERN, 0x41, 0x00, 0x11, 0x00, 0x00, 0x0B);
  INVALID("type mismatch", ":", 0, 0x41, 0x00, 0xD1, 0x1A, 0x0B); /* ref.is_null i32 */
  INVALID("type mismatch", ":", GLOBAL_MUT, 0x42, 0x00, 0x24, 0x00, 0x0B);
  /* table.init of an externref segment into a funcref table */
  INVALID("type mismatch", ":", TAB_FUNC | ELEM_EXTERN, 0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC,
          0x0C, 0x00, 0x00, 0x0B);
  /* return_call to a function with other results */
  INVALID("type mismatch", ":i,:", TWO_FUNCS, 0x12, 0x01, 0x0B);
  /* else arm leaves the wrong type */
  INVALID("type mismatch", ":i", 0, 0x41, 0x01, 0x04, 0x7F, 0x41, 0x01, 0x05, 0x42, 0x01, 0x0B,
          0x0B);
  /* v128 op on i32 */
  INVALID("type mismatch", ":", 0, 0x41, 0x00, 0x41, 0x00, 0xFD, 0xAE, 0x01, 0x1A, 0x0B);
}
END_TEST

START_TEST(unknown_indices) {
  INVALID("unknown local", ":", 0, 0x20, 0x05, 0x1A, 0x0B);
  INVALID("unknown local", "i:", 0, 0x41, 0x00, 0x21, 0x01, 0x0B);
  INVALID("unknown global", ":", 0, 0x23, 0x00, 0x1A, 0x0B);
  INVALID("unknown function", ":", 0, 0x10, 0x09, 0x0B);
  INVALID("unknown function", ":", 0, 0xD2, 0x03, 0x1A, 0x0B);
  INVALID("unknown table", ":", 0, 0x41, 0x00, 0x25, 0x00, 0x1A, 0x0B);
  INVALID("unknown table", ":", 0, 0x41, 0x00, 0x11, 0x00, 0x00, 0x0B);
  INVALID("unknown memory", ":", 0, 0x41, 0x00, 0x28, 0x02, 0x00, 0x1A, 0x0B);
  INVALID("unknown memory", ":", 0, 0x3F, 0x00, 0x1A, 0x0B);
  INVALID("unknown memory", ":", MEM, 0x3F, 0x01, 0x1A, 0x0B);
  INVALID("unknown type", ":", 0, 0x02, 0x05, 0x0B, 0x0B);
  INVALID("unknown type", ":", TAB_FUNC, 0x41, 0x00, 0x11, 0x07, 0x00, 0x0B);
  INVALID("unknown label", ":", 0, 0x0C, 0x01, 0x0B);
  INVALID("unknown label", ":", 0, 0x02, 0x40, 0x41, 0x00, 0x0E, 0x01, 0x02, 0x00, 0x0B, 0x0B);
  INVALID("unknown data segment", ":", MEM | DATACOUNT, 0xFC, 0x09, 0x01, 0x0B);
  INVALID("unknown elem segment", ":", 0, 0xFC, 0x0D, 0x00, 0x0B);
  INVALID("unknown elem segment", ":", TAB_FUNC, 0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x0C,
          0x00, 0x00, 0x0B);
}
END_TEST

START_TEST(other_code_errors) {
  INVALID("global is immutable", ":", GLOBAL_CONST, 0x41, 0x00, 0x24, 0x00, 0x0B);
  INVALID("invalid result arity", ":", 0, 0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0x1C, 0x02, 0x7F,
          0x7F, 0x1A, 0x0B);
  INVALID("undeclared function reference", ":", 0, 0xD2, 0x00, 0x1A, 0x0B);
  INVALID("alignment must not be larger than natural", ":", MEM, 0x41, 0x00, 0x28, 0x03, 0x00,
          0x1A, 0x0B);
  INVALID("alignment must not be larger than natural", ":", MEM, 0x41, 0x00, 0x41, 0x00, 0x3A,
          0x01, 0x00, 0x0B);
  INVALID("alignment must not be larger than natural", ":", MEM, 0x41, 0x00, 0xFD, 0x00, 0x05,
          0x00, 0x1A, 0x0B);
  INVALID("invalid lane index", ":", 0, V128_ZERO, 0xFD, 0x15, 0x10, 0x1A, 0x0B);
  INVALID("invalid lane index", ":", 0, V128_ZERO, 0xFD, 0x1D, 0x02, 0x1A, 0x0B);
  INVALID("invalid lane index", ":", 0, V128_ZERO, V128_ZERO, 0xFD, 0x0D, 0, 1, 2, 3, 4, 5, 6, 7,
          8, 9, 10, 11, 12, 13, 14, 32, 0x1A, 0x0B);
  INVALID("invalid lane index", ":", MEM, 0x41, 0x00, V128_ZERO, 0xFD, 0x57, 0x03, 0x00, 0x02,
          0x1A, 0x0B);
  INVALID("data count section required", ":", MEM, 0xFC, 0x09, 0x00, 0x0B);
  INVALID("illegal opcode", ":", 0, 0x06, 0x0B);
}
END_TEST

static void check_module(Buf *b, const char *want, int line) {
  char msg[512] = "";
  WasmModule *m = compile_buf(b, msg, sizeof msg);
  if (!want) {
    ck_assert_msg(m != NULL, "line %d: rejected: %s", line, msg);
    return;
  }
  ck_assert_msg(m == NULL, "line %d: accepted, wanted \"%s\"", line, want);
  ck_assert_msg(strstr(msg, want) != NULL, "line %d: got \"%s\", wanted \"%s\"", line, msg, want);
}

START_TEST(module_errors) {
  /* duplicate export name */
  Buf m = {0}, s = {0};
  mod_begin(&m);
  mod_types(&m, ":");
  mod_funcs(&m, 1, 0);
  buf_u32(&s, 2);
  buf_str(&s, "a"), buf_bytes(&s, 0x00, 0x00, -1);
  buf_str(&s, "a"), buf_bytes(&s, 0x00, 0x00, -1);
  mod_section(&m, 7, &s);
  Buf body = {0};
  buf_bytes(&body, 0, 0x0B, -1);
  mod_code(&m, 1, &body);
  check_module(&m, "duplicate export name", __LINE__);
  /* start function with a parameter */
  mod_begin(&m);
  mod_types(&m, "i:");
  mod_funcs(&m, 1, 0);
  buf_u8(&s, 0);
  mod_section(&m, 8, &s);
  buf_bytes(&body, 0, 0x0B, -1);
  mod_code(&m, 1, &body);
  check_module(&m, "start function", __LINE__);
  /* two memories */
  mod_begin(&m);
  buf_bytes(&s, 2, 0x00, 0x01, 0x00, 0x01, -1);
  mod_section(&m, 5, &s);
  check_module(&m, "multiple memories", __LINE__);
  /* memory too large; min above max */
  mod_begin(&m);
  buf_bytes(&s, 1, 0x00, 0x81, 0x80, 0x04, -1); /* 65537 pages */
  mod_section(&m, 5, &s);
  check_module(&m, "memory size must be at most 65536 pages (4GiB)", __LINE__);
  mod_begin(&m);
  buf_bytes(&s, 1, 0x01, 0x00, 0x81, 0x80, 0x04, -1);
  mod_section(&m, 5, &s);
  check_module(&m, "memory size must be at most 65536 pages (4GiB)", __LINE__);
  mod_begin(&m);
  buf_bytes(&s, 1, 0x01, 0x02, 0x01, -1);
  mod_section(&m, 5, &s);
  check_module(&m, "size minimum must not be greater than maximum", __LINE__);
  mod_begin(&m);
  buf_bytes(&s, 1, 0x70, 0x01, 0x05, 0x04, -1);
  mod_section(&m, 4, &s);
  check_module(&m, "size minimum must not be greater than maximum", __LINE__);
  mod_begin(&m);
  buf_bytes(&s, 1, 0x01, 0x00, 0x80, 0x80, 0x04, -1); /* max exactly 65536 pages is fine */
  mod_section(&m, 5, &s);
  check_module(&m, NULL, __LINE__);
  /* constant expressions */
  mod_begin(&m);
  buf_bytes(&s, 1, 0x7F, 0x00, 0x20, 0x00, 0x0B, -1); /* local.get */
  mod_section(&m, 6, &s);
  check_module(&m, "constant expression required", __LINE__);
  mod_begin(&m);
  buf_bytes(&s, 2, 0x7F, 0x01, 0x41, 0x00, 0x0B, 0x7F, 0x00, 0x23, 0x00, 0x0B, -1); /* mutable */
  mod_section(&m, 6, &s);
  check_module(&m, "constant expression required", __LINE__);
  mod_begin(&m);
  buf_bytes(&s, 1, 0x7F, 0x00, 0x23, 0x00, 0x0B, -1); /* itself */
  mod_section(&m, 6, &s);
  check_module(&m, "unknown global", __LINE__);
  mod_begin(&m);
  buf_bytes(&s, 1, 0x7F, 0x00, 0x42, 0x00, 0x0B, -1);
  mod_section(&m, 6, &s);
  check_module(&m, "type mismatch", __LINE__);
  mod_begin(&m);
  buf_bytes(&s, 1, 0x7F, 0x00, 0x41, 0x00, 0x41, 0x00, 0x0B, -1); /* two values */
  mod_section(&m, 6, &s);
  check_module(&m, "type mismatch", __LINE__);
  /* an active data segment without memory */
  mod_begin(&m);
  buf_bytes(&s, 1, 0x00, 0x41, 0x00, 0x0B, 0x00, -1);
  mod_section(&m, 11, &s);
  check_module(&m, "unknown memory", __LINE__);
  /* a declared reference makes ref.func valid */
  Buf ok = build(":", ELEM_DECL, NULL, 0, (const uint8_t[]){0xD2, 0x00, 0x1A, 0x0B}, 4);
  check_module(&ok, NULL, __LINE__);
}
END_TEST

/* ---- valid code --------------------------------------------------------------- */

START_TEST(valid_code) {
  VALID(":", 0, 0x00, 0x6A, 0x1A, 0x0B);                        /* unreachable; i32.add */
  VALID(":", 0, 0x00, 0x1B, 0x1A, 0x0B);                        /* select over Unknown */
  VALID(":i", 0, 0x00, 0x0B);                                   /* unreachable satisfies results */
  VALID(":", 0, 0x02, 0x7F, 0x00, 0x0C, 0x00, 0x0B, 0x1A, 0x0B); /* br in dead code */
  VALID(":i", 0, 0x41, 0x01, 0x0F, 0x0B);                       /* return, then nothing */
  VALID(":", 0, 0x00, 0xD1, 0x1A, 0x0B);                        /* ref.is_null on Unknown */
  VALID(":", 0, 0xD0, 0x6F, 0xD0, 0x6F, 0x41, 0x00, 0x1C, 0x01, 0x6F, 0x1A, 0x0B); /* select t */
  /* multi-value block via a type index: (i32) -> (i32 i32) */
  VALID(":,i:ii", 0, 0x41, 0x01, 0x02, 0x01, 0x41, 0x02, 0x0B, 0x1A, 0x1A, 0x0B);
  /* loop with params: br carries the param */
  VALID(":,i:ii", 0, 0x41, 0x01, 0x03, 0x01, 0x41, 0x02, 0x0B, 0x1A, 0x1A, 0x0B);
  /* br_table to labels of equal arity but over the polymorphic stack */
  VALID(":", 0, 0x02, 0x7F, 0x02, 0x7D, 0x00, 0x0E, 0x01, 0x00, 0x01, 0x0B, 0x1A, 0x00, 0x0B, 0x1A,
        0x0B);
  VALID(":", MEM | DATACOUNT, 0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x08, 0x00, 0x00, 0xFC,
        0x09, 0x00, 0x0B);
  VALID(":", TAB_FUNC, 0xD0, 0x70, 0x41, 0x01, 0xFC, 0x0F, 0x00, 0x1A, 0xFC, 0x10, 0x00, 0x1A,
        0x0B);
  INVALID("alignment must not be larger than natural", ":", MEM, 0x41, 0x00, 0x28, 0x42, 0x00, 0x00,
          0x1A, 0x0B); /* multi-memory memarg flag: not supported */
  INVALID("zero byte expected", ":", MEM, 0x3F, 0x80, 0x00, 0x1A, 0x0B);
  /* f32x4.relaxed_madd (sub-opcode 0x105 = LEB 0x85 0x02), i8x16.all_true */
  VALID(":", 0, V128_ZERO, V128_ZERO, V128_ZERO, 0xFD, 0x85, 0x02, 0xFD, 0x63, 0x1A, 0x0B);
  VALID(":,:", TWO_FUNCS, 0x12, 0x01, 0x0B); /* return_call */
}
END_TEST

/* ---- side table ------------------------------------------------------------------ */

typedef struct Want {
  uint16_t op;
  uint32_t pc, target, arity, height, count;
} Want;

static void check_table(const WasmModule *m, const WasmFunc *f, const Want *w, size_t n) {
  ck_assert_uint_eq(f->nctl, n);
  for (size_t i = 0; i < n; i++) {
    const WasmCtlEntry *e = &f->ctl[i];
    ck_assert_msg(e->op == w[i].op, "entry %zu: op %x, wanted %x", i, e->op, w[i].op);
    ck_assert_msg(e->pc - f->code_start == w[i].pc, "entry %zu: pc %u, wanted %u", i,
                  e->pc - f->code_start, w[i].pc);
    ck_assert_msg(e->target - f->code_start == w[i].target, "entry %zu: target %u, wanted %u", i,
                  e->target - f->code_start, w[i].target);
    ck_assert_msg(e->arity == w[i].arity, "entry %zu: arity %u, wanted %u", i, e->arity,
                  w[i].arity);
    ck_assert_msg(e->height == w[i].height, "entry %zu: height %u, wanted %u", i, e->height,
                  w[i].height);
    ck_assert_msg(e->count == w[i].count, "entry %zu: count", i);
  }
  (void)m;
}

START_TEST(side_table) {
  static const uint8_t code[] = {
      0x41, 0xE4, 0x00,       /*  0 i32.const 100 */
      0x02, 0x7F,             /*  3 block (result i32) */
      0x41, 0x07,             /*  5 i32.const 7 */
      0x20, 0x00,             /*  7 local.get 0 */
      0x0D, 0x00,             /*  9 br_if 0 */
      0x1A,                   /* 11 drop */
      0x03, 0x40,             /* 12 loop */
      0x20, 0x00,             /* 14 local.get 0 */
      0x0D, 0x00,             /* 16 br_if 0 */
      0x0B,                   /* 18 end */
      0x20, 0x00,             /* 19 local.get 0 */
      0x04, 0x7F,             /* 21 if (result i32) */
      0x41, 0x01,             /* 23 i32.const 1 */
      0x05,                   /* 25 else */
      0x41, 0x02,             /* 26 i32.const 2 */
      0x20, 0x00,             /* 28 local.get 0 */
      0x0E, 0x01, 0x00, 0x01, /* 30 br_table 0 1 */
      0x0B,                   /* 34 end */
      0x0F,                   /* 35 return */
      0x0B,                   /* 36 end */
      0x6A,                   /* 37 i32.add */
      0x0B,                   /* 38 end */
  };
  Buf b = build("i:i", 0, NULL, 0, code, sizeof code);
  char msg[256] = "";
  WasmModule *m = compile_buf(&b, msg, sizeof msg);
  ck_assert_msg(m != NULL, "%s", msg);
  const WasmFunc *f = &m->funcs[0];
  ck_assert_uint_eq(f->code_end - f->code_start, 39);
  static const Want want[] = {
      {WASM_OP_BLOCK, 3, 37, 0, 1, 0},     {WASM_OP_BR_IF, 9, 37, 1, 1, 0},
      {WASM_OP_LOOP, 12, 14, 0, 1, 0},     {WASM_OP_BR_IF, 16, 14, 0, 1, 0},
      {WASM_OP_END, 18, 19, 0, 1, 0},      {WASM_OP_IF, 21, 26, 0, 1, 0},
      {WASM_OP_ELSE, 25, 35, 1, 1, 0},     {WASM_OP_BR_TABLE, 30, 37, 1, 1, 1},
      {WASM_OP_BR_TABLE, 30, 35, 1, 1, 0}, {WASM_OP_END, 34, 35, 1, 1, 0},
      {WASM_OP_RETURN, 35, 39, 1, 0, 0},   {WASM_OP_END, 36, 37, 1, 1, 0},
      {WASM_OP_END, 38, 39, 1, 0, 0},
  };
  check_table(m, f, want, sizeof want / sizeof want[0]);
  ck_assert_uint_eq(f->max_height, 3);
  ck_assert_uint_eq(f->max_height_slots, 3);
  /* Lookup by pc finds the first entry of br_table's group. */
  const WasmCtlEntry *e = wasm_ctl_find(f, f->code_start + 30);
  ck_assert_ptr_eq(e, &f->ctl[7]);
  ck_assert_ptr_null(wasm_ctl_find(f, f->code_start + 31));
}
END_TEST

START_TEST(side_table_slots) {
  static const uint8_t code[] = {
      0x41, 0x01,             /*  0 i32.const 1 */
      0x02, 0x7B,             /*  2 block (result v128) */
      V128_ZERO,              /*  4 v128.const */
      0x0C, 0x00,             /* 22 br 0 */
      0x0B,                   /* 24 end */
      0x1A, 0x1A,             /* 25 drop drop */
      0x0B,                   /* 27 end */
  };
  Buf b = build(":", 0, NULL, 0, code, sizeof code);
  char msg[256] = "";
  WasmModule *m = compile_buf(&b, msg, sizeof msg);
  ck_assert_msg(m != NULL, "%s", msg);
  const WasmFunc *f = &m->funcs[0];
  ck_assert_uint_eq(f->nctl, 4);
  const WasmCtlEntry *br = &f->ctl[1];
  ck_assert_uint_eq(br->op, WASM_OP_BR);
  ck_assert_uint_eq(br->target - f->code_start, 25);
  ck_assert_uint_eq(br->arity, 1);
  ck_assert_uint_eq(br->arity_slots, 2);
  ck_assert_uint_eq(br->height, 1);
  ck_assert_uint_eq(br->height_slots, 1);
  ck_assert_uint_eq(f->max_height, 2);
  ck_assert_uint_eq(f->max_height_slots, 3);
  /* Locals: v128 counts two slots. */
  static const uint8_t locals[] = {0x02, 0x01, 0x7B, 0x02, 0x7E};
  static const uint8_t body[] = {0x0B};
  b = build(":", 0, locals, sizeof locals, body, sizeof body);
  m = compile_buf(&b, msg, sizeof msg);
  ck_assert_msg(m != NULL, "%s", msg);
  ck_assert_uint_eq(m->funcs[0].nlocals, 3);
  ck_assert_uint_eq(m->funcs[0].local_slots, 4);
}
END_TEST

/* memory64 and multi-memory, behind their feature switches. */
static Buf two_memories(const uint8_t *code, size_t n) {
  Buf m = {0}, s = {0};
  mod_begin(&m);
  mod_types(&m, ":");
  mod_funcs(&m, 1, 0);
  buf_bytes(&s, 2, 0x00, 0x01, 0x04, 0x01, -1); /* memory 0: i32, memory 1: i64 */
  mod_section(&m, 5, &s);
  Buf body = {0};
  buf_u8(&body, 0);
  buf_put(&body, code, n);
  mod_code(&m, 1, &body);
  buf_bytes(&s, 1, 0x02, 0x01, 0x42, 0x08, 0x0B, 0x01, 'z', -1); /* active data, i64 offset */
  mod_section(&m, 11, &s);
  return m;
}

START_TEST(memory64_multi_memory) {
  static const uint8_t good[] = {
      0x42, 0x00, 0x28, 0x42, 0x01, 0x80, 0x80, 0x80, 0x80, 0x10, 0x1A, /* i32.load mem 1, u64 offset */
      0x41, 0x00, 0x28, 0x02, 0x00, 0x1A,                               /* i32.load mem 0 */
      0x3F, 0x01, 0x42, 0x01, 0x7C, 0x40, 0x01, 0x1A,                   /* memory.grow 1 (i64) */
      0x41, 0x00, 0x42, 0x00, 0x41, 0x01, 0xFC, 0x0A, 0x00, 0x01,       /* copy 1 -> 0, i32 length */
      0x42, 0x00, 0x41, 0x07, 0x42, 0x01, 0xFC, 0x0B, 0x01,             /* memory.fill 1 */
      0x0B,
  };
  char msg[512] = "";
  Buf b = two_memories(good, sizeof good);
  ck_assert_ptr_null(compile_buf(&b, msg, sizeof msg)); /* features off: rejected */
  ck_assert_msg(strstr(msg, "multiple memories") != NULL, "%s", msg);
  wasm_set_features(WASM_FEATURE_MULTI_MEMORY | WASM_FEATURE_MEMORY64);
  b = two_memories(good, sizeof good);
  WasmModule *m = compile_buf(&b, msg, sizeof msg);
  ck_assert_msg(m != NULL, "%s", msg);
  ck_assert(m->memories[1].type.limits.is64);
  ck_assert_uint_eq(m->datas[0].offset.value.type, WASM_I64);
  static const uint8_t bad_addr[] = {0x41, 0x00, 0x28, 0x42, 0x01, 0x00, 0x1A, 0x0B};
  b = two_memories(bad_addr, sizeof bad_addr);
  ck_assert_ptr_null(compile_buf(&b, msg, sizeof msg));
  ck_assert_msg(strstr(msg, "type mismatch") != NULL, "%s", msg);
  static const uint8_t bad_len[] = {0x41, 0x00, 0x42, 0x00, 0x42, 0x01, 0xFC, 0x0A, 0x00, 0x01, 0x0B};
  b = two_memories(bad_len, sizeof bad_len);
  ck_assert_ptr_null(compile_buf(&b, msg, sizeof msg));
  ck_assert_msg(strstr(msg, "type mismatch") != NULL, "%s", msg);
  static const uint8_t bad_mem[] = {0x3F, 0x02, 0x1A, 0x0B};
  b = two_memories(bad_mem, sizeof bad_mem);
  ck_assert_ptr_null(compile_buf(&b, msg, sizeof msg));
  ck_assert_msg(strstr(msg, "unknown memory 2") != NULL, "%s", msg);
  wasm_set_features(0);
}
END_TEST

Suite *wasm_validate_suite(void) {
  Suite *s = suite_create("wasm_validate");
  TCase *tc = tcase_create("validate");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, type_mismatch);
  tcase_add_test(tc, unknown_indices);
  tcase_add_test(tc, other_code_errors);
  tcase_add_test(tc, module_errors);
  tcase_add_test(tc, valid_code);
  tcase_add_test(tc, side_table);
  tcase_add_test(tc, side_table_slots);
  tcase_add_test(tc, memory64_multi_memory);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(wasm_validate_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
