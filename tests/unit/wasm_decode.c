/* wasm_decode.c: unit tests of the Wasm binary decoder: every section kind
 * decoded into module.h's structures, each malformed-input class rejected
 * with the spec's message, and truncation / bit-flip sweeps over real
 * modules that must never crash (run them under the sanitizer build). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wasm/module.h"
#include "wasm/wasm.h"
#include "wasm_builder.h"

static Runtime *rt;

static void setup(void) {
  rt = rt_new(NULL);
  gc_set_kind_ops(GC_KIND_WASM_MODULE, &wasm_module_kind_ops);
}

static void teardown(void) { rt_free(rt); }

/* Compiles; returns the module, or NULL with the message copied to msg. */
static WasmModule *compile(const uint8_t *b, size_t n, char *msg, size_t msgsize) {
  WasmModule *m = wasm_module_new(rt, b, n);
  if (!m) {
    ck_assert(rt_has_exception(rt));
    ck_assert_int_eq(rt_exception_kind(rt), ERR_CompileError);
    snprintf(msg, msgsize, "%s", rt_exception_message(rt));
    rt_clear_exception(rt);
  } else {
    ck_assert(!rt_has_exception(rt));
  }
  return m;
}

static void expect_error(const uint8_t *b, size_t n, const char *want, int line) {
  char msg[512] = "";
  WasmModule *m = compile(b, n, msg, sizeof msg);
  ck_assert_msg(m == NULL, "line %d: accepted, wanted \"%s\"", line, want);
  ck_assert_msg(strncmp(msg, "at offset ", 10) == 0, "line %d: message \"%s\"", line, msg);
  ck_assert_msg(strstr(msg, want) != NULL, "line %d: got \"%s\", wanted \"%s\"", line, msg, want);
}

#define REJECT_RAW(want, ...)                                                                      \
  do {                                                                                             \
    static const uint8_t bytes_[] = {__VA_ARGS__};                                                 \
    expect_error(bytes_, sizeof bytes_, want, __LINE__);                                           \
  } while (0)

#define REJECT_BUF(want, buf)                                                                      \
  do {                                                                                             \
    expect_error((buf).b, (buf).n, want, __LINE__);                                                \
    buf_free(&(buf));                                                                              \
  } while (0)

#define HDR 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00

/* ---- valid modules ------------------------------------------------------------- */

START_TEST(empty_module) {
  static const uint8_t b[] = {HDR};
  char msg[256];
  WasmModule *m = compile(b, sizeof b, msg, sizeof msg);
  ck_assert_ptr_nonnull(m);
  ck_assert_uint_eq(m->nfuncs, 0);
  ck_assert_uint_eq(m->ntypes, 0);
  ck_assert_uint_eq(m->len, 8);
}
END_TEST

/* A module with every section kind and all 8 element-segment forms. */
static Buf full_module(void) {
  Buf m = {0}, s = {0};
  mod_begin(&m);
  buf_bytes(&s, 5, 'f', 'i', 'r', 's', 't', 1, 2, 3, -1); /* custom section before types */
  mod_section(&m, 0, &s);
  mod_types(&m, "ii:i,:");
  /* imports: func type 0, table funcref 1.., memory 1..2, global i32 const */
  buf_u32(&s, 4);
  buf_str(&s, "env"), buf_str(&s, "f"), buf_bytes(&s, 0x00, 0x00, -1);
  buf_str(&s, "env"), buf_str(&s, "t"), buf_bytes(&s, 0x01, 0x70, 0x00, 0x01, -1);
  buf_str(&s, "env"), buf_str(&s, "m"), buf_bytes(&s, 0x02, 0x01, 0x01, 0x02, -1);
  buf_str(&s, "env"), buf_str(&s, "g"), buf_bytes(&s, 0x03, 0x7F, 0x00, -1);
  mod_section(&m, 2, &s);
  mod_funcs(&m, 2, 1);
  buf_bytes(&s, 1, 0x6F, 0x01, 0x02, 0x05, -1); /* table externref 2..5 */
  mod_section(&m, 4, &s);
  buf_bytes(&s, 2, -1);
  buf_bytes(&s, 0x7E, 0x01, 0x42, -1), buf_s64(&s, -5), buf_u8(&s, 0x0B); /* mut i64 = -5 */
  buf_bytes(&s, 0x7F, 0x00, 0x23, 0x00, 0x0B, -1);                        /* i32 = global 0 */
  mod_section(&m, 6, &s);
  buf_u32(&s, 4);
  buf_str(&s, "f1"), buf_bytes(&s, 0x00, 0x01, -1);
  buf_str(&s, "tab"), buf_bytes(&s, 0x01, 0x00, -1);
  buf_str(&s, "mem"), buf_bytes(&s, 0x02, 0x00, -1);
  buf_str(&s, "g"), buf_bytes(&s, 0x03, 0x01, -1);
  mod_section(&m, 7, &s);
  buf_bytes(&s, 0x02, -1); /* start: func 2 */
  mod_section(&m, 8, &s);
  buf_bytes(&s, 8, -1);
  buf_bytes(&s, 0x00, 0x41, 0x00, 0x0B, 0x02, 0x01, 0x02, -1);       /* active, table 0, funcs */
  buf_bytes(&s, 0x01, 0x00, 0x01, 0x01, -1);                         /* passive funcs */
  buf_bytes(&s, 0x02, 0x00, 0x41, 0x01, 0x0B, 0x00, 0x01, 0x02, -1); /* active, explicit table */
  buf_bytes(&s, 0x03, 0x00, 0x01, 0x00, -1);                         /* declarative funcs */
  buf_bytes(&s, 0x04, 0x41, 0x00, 0x0B, 0x02, 0xD2, 0x01, 0x0B, 0xD0, 0x70, 0x0B, -1);
  buf_bytes(&s, 0x05, 0x6F, 0x01, 0xD0, 0x6F, 0x0B, -1);
  buf_bytes(&s, 0x06, 0x01, 0x41, 0x00, 0x0B, 0x6F, 0x01, 0xD0, 0x6F, 0x0B, -1);
  buf_bytes(&s, 0x07, 0x70, 0x01, 0xD2, 0x02, 0x0B, -1);
  mod_section(&m, 9, &s);
  buf_bytes(&s, 3, -1); /* data count */
  mod_section(&m, 12, &s);
  Buf bodies[2] = {{0}, {0}};
  buf_bytes(&bodies[0], 1, 2, 0x7F, 0xD2, 0x01, 0x1A, 0x01, 0x0B, -1); /* 2 i32 locals */
  buf_bytes(&bodies[1], 0, 0x0B, -1);
  mod_code(&m, 2, bodies);
  buf_bytes(&s, 3, -1);
  buf_bytes(&s, 0x00, 0x41, 0x00, 0x0B, 0x02, 'h', 'i', -1);
  buf_bytes(&s, 0x01, 0x03, 'a', 'b', 'c', -1);
  buf_bytes(&s, 0x02, 0x00, 0x23, 0x00, 0x0B, 0x00, -1);
  mod_section(&m, 11, &s);
  /* name section: module name, function names */
  Buf names = {0}, sub = {0};
  buf_str(&names, "name");
  buf_str(&sub, "mod");
  buf_u8(&names, 0), buf_u32(&names, (uint32_t)sub.n), buf_put(&names, sub.b, sub.n);
  buf_free(&sub);
  buf_bytes(&sub, 2, 1, -1), buf_str(&sub, "first"), buf_u8(&sub, 2), buf_str(&sub, "second");
  buf_u8(&names, 1), buf_u32(&names, (uint32_t)sub.n), buf_put(&names, sub.b, sub.n);
  buf_free(&sub);
  mod_section(&m, 0, &names);
  return m;
}

START_TEST(every_section_kind) {
  Buf b = full_module();
  char msg[256] = "";
  WasmModule *m = compile(b.b, b.n, msg, sizeof msg);
  ck_assert_msg(m != NULL, "%s", msg);
  ck_assert_uint_eq(m->ntypes, 2);
  ck_assert_uint_eq(m->types[0].nparams, 2);
  ck_assert_uint_eq(m->types[0].params[1], WASM_I32);
  ck_assert_uint_eq(m->types[0].nresults, 1);
  ck_assert_uint_eq(m->nimports, 4);
  ck_assert_str_eq(m->imports[2].module, "env");
  ck_assert_str_eq(m->imports[2].name, "m");
  ck_assert_uint_eq(m->imports[2].kind, WASM_EXTERN_MEMORY);
  ck_assert_uint_eq(m->imports[2].desc.memory.limits.max, 2);
  ck_assert_uint_eq(m->nfuncs, 3);
  ck_assert_uint_eq(m->nfunc_imports, 1);
  ck_assert(m->funcs[0].imported);
  ck_assert_uint_eq(m->funcs[1].type_index, 1);
  ck_assert_uint_eq(m->funcs[1].nlocals, 2);
  ck_assert_uint_eq(m->funcs[1].local_types[1], WASM_I32);
  ck_assert_uint_eq(m->bytes[m->funcs[1].code_end - 1], 0x0B);
  ck_assert_uint_eq(m->bytes[m->funcs[1].code_start], 0xD2);
  ck_assert_uint_eq(m->ntables, 2);
  ck_assert_uint_eq(m->tables[1].type.elem_type, WASM_EXTERNREF);
  ck_assert_uint_eq(m->tables[1].type.limits.max, 5);
  ck_assert_uint_eq(m->nmemories, 1);
  ck_assert_uint_eq(m->nglobals, 3);
  ck_assert(m->globals[1].type.mutable_);
  ck_assert_uint_eq(m->globals[1].init.kind, WASM_CONST_VALUE);
  ck_assert_uint_eq(m->globals[1].init.value.of.i64, (uint64_t)-5);
  ck_assert_uint_eq(m->globals[2].init.kind, WASM_CONST_GLOBAL_GET);
  ck_assert_uint_eq(m->nexports, 4);
  ck_assert_str_eq(m->exports[1].name, "tab");
  ck_assert_uint_eq(m->exports[3].index, 1);
  ck_assert(m->has_start);
  ck_assert_uint_eq(m->start, 2);
  ck_assert_uint_eq(m->nelems, 8);
  ck_assert_uint_eq(m->elems[0].mode, WASM_SEG_ACTIVE);
  ck_assert_uint_eq(m->elems[0].count, 2);
  ck_assert_uint_eq(m->elems[0].items[1].kind, WASM_CONST_REF_FUNC);
  ck_assert_uint_eq(m->elems[0].items[1].index, 2);
  ck_assert_uint_eq(m->elems[1].mode, WASM_SEG_PASSIVE);
  ck_assert_uint_eq(m->elems[2].offset.value.of.i32, 1);
  ck_assert_uint_eq(m->elems[3].mode, WASM_SEG_DECLARATIVE);
  ck_assert_uint_eq(m->elems[4].items[1].kind, WASM_CONST_VALUE);
  ck_assert_uint_eq(m->elems[5].elem_type, WASM_EXTERNREF);
  ck_assert_uint_eq(m->elems[6].table_index, 1);
  ck_assert_uint_eq(m->elems[7].mode, WASM_SEG_DECLARATIVE);
  ck_assert(m->has_data_count);
  ck_assert_uint_eq(m->ndatas, 3);
  ck_assert_uint_eq(m->datas[0].data_len, 2);
  ck_assert_int_eq(memcmp(m->bytes + m->datas[1].data_start, "abc", 3), 0);
  ck_assert_uint_eq(m->datas[1].mode, WASM_SEG_PASSIVE);
  ck_assert_uint_eq(m->datas[2].offset.kind, WASM_CONST_GLOBAL_GET);
  ck_assert_uint_eq(m->ncustoms, 2);
  ck_assert_str_eq(m->customs[0].name, "first");
  ck_assert_uint_eq(m->customs[0].data_len, 3);
  ck_assert_str_eq(m->module_name, "mod");
  ck_assert_ptr_null(m->funcs[0].name);
  ck_assert_str_eq(m->funcs[1].name, "first");
  ck_assert_str_eq(m->funcs[2].name, "second");
  buf_free(&b);
}
END_TEST

/* A broken name section is ignored, as custom sections are. */
START_TEST(malformed_name_section_ignored) {
  Buf m = {0}, s = {0};
  mod_begin(&m);
  mod_types(&m, ":");
  mod_funcs(&m, 1, 0);
  Buf body = {0};
  buf_bytes(&body, 0, 0x0B, -1);
  mod_code(&m, 1, &body);
  buf_str(&s, "name");
  buf_bytes(&s, 1, 9, 1, 0, 0x20, 0xFF, 0xFE, -1); /* bad length and UTF-8 */
  mod_section(&m, 0, &s);
  char msg[256] = "";
  WasmModule *mod = compile(m.b, m.n, msg, sizeof msg);
  ck_assert_msg(mod != NULL, "%s", msg);
  ck_assert_ptr_null(mod->funcs[0].name);
  buf_free(&m);
}
END_TEST

START_TEST(const_expr_eval) {
  /* global i32 = 7; global i32 = (global.get 0) * 6 - 2 (extended const) */
  Buf m = {0}, s = {0};
  mod_begin(&m);
  buf_bytes(&s, 2, 0x7F, 0x00, 0x41, 0x07, 0x0B, -1);
  buf_bytes(&s, 0x7F, 0x00, 0x23, 0x00, 0x41, 0x06, 0x6C, 0x41, 0x02, 0x6B, 0x0B, -1);
  mod_section(&m, 6, &s);
  char msg[256] = "";
  WasmModule *mod = compile(m.b, m.n, msg, sizeof msg);
  ck_assert_msg(mod != NULL, "%s", msg);
  ck_assert_uint_eq(mod->globals[1].init.kind, WASM_CONST_EXPR);
  WasmVal g[2], out;
  ck_assert(wasm_const_expr_eval(mod, &mod->globals[0].init, g, NULL, NULL, &g[0]));
  ck_assert_uint_eq(g[0].of.i32, 7);
  ck_assert(wasm_const_expr_eval(mod, &mod->globals[1].init, g, NULL, NULL, &out));
  ck_assert_uint_eq(out.type, WASM_I32);
  ck_assert_uint_eq(out.of.i32, 40);
  buf_free(&m);
}
END_TEST

/* The info table generated from opcodes.h's signature strings. */
START_TEST(opcode_info) {
  const WasmOpInfo *i = wasm_op_lookup(WASM_OP_I32_ADD);
  ck_assert_str_eq(i->name, "i32.add");
  ck_assert(i->fixed_sig);
  ck_assert_uint_eq(i->nparams, 2);
  ck_assert_uint_eq(i->params[1], WASM_I32);
  ck_assert_uint_eq(i->nresults, 1);
  ck_assert_uint_eq(i->result, WASM_I32);
  i = wasm_op_lookup(WASM_OP_I64_STORE32);
  ck_assert_uint_eq(i->imm, WASM_IMM_MEMARG);
  ck_assert_uint_eq(i->extra, 2);
  ck_assert_uint_eq(i->nparams, 2);
  ck_assert_uint_eq(i->params[0], WASM_I32);
  ck_assert_uint_eq(i->params[1], WASM_I64);
  ck_assert_uint_eq(i->nresults, 0);
  i = wasm_op_lookup(WASM_OP_F64_CONVERT_I64_U);
  ck_assert_uint_eq(i->params[0], WASM_I64);
  ck_assert_uint_eq(i->result, WASM_F64);
  i = wasm_op_lookup(WASM_OP_V128_BITSELECT);
  ck_assert_uint_eq(i->nparams, 3);
  ck_assert_uint_eq(i->params[2], WASM_V128);
  i = wasm_op_lookup(WASM_OP_I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S);
  ck_assert_uint_eq(WASM_OP_I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S, WASM_OP_FD_BASE + 0x113);
  ck_assert_str_eq(i->name, "i32x4.relaxed_dot_i8x16_i7x16_add_s");
  i = wasm_op_lookup(WASM_OP_I16X8_REPLACE_LANE);
  ck_assert_uint_eq(i->imm, WASM_IMM_LANE);
  ck_assert_uint_eq(i->extra, 8);
  ck_assert_uint_eq(i->params[1], WASM_I32);
  i = wasm_op_lookup(WASM_OP_MEMORY_COPY);
  ck_assert_uint_eq(WASM_OP_MEMORY_COPY, WASM_OP_FC_BASE + 10);
  ck_assert_uint_eq(i->nparams, 3);
  ck_assert(!wasm_op_lookup(WASM_OP_BLOCK)->fixed_sig);
  ck_assert_ptr_null(wasm_op_lookup(0x06));
  ck_assert_ptr_null(wasm_op_lookup(WASM_OP_FD_BASE + 0x9A));
  /* Every instruction: 2.0's 183 single-byte + 2 tail calls, 18 FC, 236 SIMD + 20 relaxed. */
  unsigned n = 0;
  for (uint32_t id = 0; id < WASM_OP_ID_LIMIT; id++) n += wasm_op_lookup(id) != NULL;
  ck_assert_uint_eq(n, 459);
}
END_TEST

/* ---- malformed input --------------------------------------------------------------- */

START_TEST(header_errors) {
  expect_error((const uint8_t *)"", 0, "unexpected end", __LINE__);
  REJECT_RAW("unexpected end", 0x00, 0x61, 0x73);
  REJECT_RAW("magic header not detected", 0x00, 0x41, 0x53, 0x4D, 1, 0, 0, 0);
  REJECT_RAW("unexpected end", 0x00, 0x61, 0x73, 0x6D, 0x01);
  REJECT_RAW("unknown binary version", 0x00, 0x61, 0x73, 0x6D, 0x02, 0, 0, 0);
  REJECT_RAW("unknown binary version", 0x00, 0x61, 0x73, 0x6D, 0x0D, 0, 1, 0);
}
END_TEST

START_TEST(leb128_errors) {
  /* u32 with 6 bytes: too long; 5th byte with high bits: too large. */
  REJECT_RAW("integer representation too long", HDR, 0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
  REJECT_RAW("integer too large", HDR, 0x01, 0x80, 0x80, 0x80, 0x80, 0x10);
  /* Type count of 1 written in the maximal 5 bytes is fine. */
  static const uint8_t ok5[] = {HDR, 0x01, 0x08, 0x81, 0x80, 0x80, 0x80, 0x00, 0x60, 0x00, 0x00};
  char msg[256] = "";
  ck_assert_msg(compile(ok5, sizeof ok5, msg, sizeof msg) != NULL, "%s", msg);
  /* s32 in a global initializer: unused bits of the last byte must be sign bits. */
  REJECT_RAW("integer too large", HDR, 0x06, 0x0A, 0x01, 0x7F, 0x00, 0x41, 0x80, 0x80, 0x80, 0x80,
             0x70, 0x0B);
  REJECT_RAW("integer too large", HDR, 0x06, 0x0A, 0x01, 0x7F, 0x00, 0x41, 0xFF, 0xFF, 0xFF, 0xFF,
             0x0F, 0x0B);
  REJECT_RAW("integer representation too long", HDR, 0x06, 0x0B, 0x01, 0x7F, 0x00, 0x41, 0x80,
             0x80, 0x80, 0x80, 0x80, 0x00, 0x0B);
  static const uint8_t s32_ok[] = {HDR,  0x06, 0x0A, 0x01, 0x7F, 0x00, 0x41,
                                   0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x0B}; /* -1 in 5 bytes */
  ck_assert_msg(compile(s32_ok, sizeof s32_ok, msg, sizeof msg) != NULL, "%s", msg);
  /* s64: 10 bytes, last byte must be 0x00 or 0x7F. */
  REJECT_RAW("integer too large", HDR, 0x06, 0x0F, 0x01, 0x7E, 0x00, 0x42, 0x80, 0x80, 0x80, 0x80,
             0x80, 0x80, 0x80, 0x80, 0x80, 0x02, 0x0B);
  REJECT_RAW("integer representation too long", HDR, 0x06, 0x10, 0x01, 0x7E, 0x00, 0x42, 0x80,
             0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0B);
  static const uint8_t s64_ok[] = {HDR,  0x06, 0x0F, 0x01, 0x7E, 0x00, 0x42, 0x80, 0x80,
                                   0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F, 0x0B};
  ck_assert_msg(compile(s64_ok, sizeof s64_ok, msg, sizeof msg) != NULL, "%s", msg);
}
END_TEST

START_TEST(section_errors) {
  REJECT_RAW("malformed section id", HDR, 0x0E, 0x01, 0x00);
  REJECT_RAW("length out of bounds", HDR, 0x01, 0x07, 0x02, 0x60, 0x00, 0x00);
  REJECT_RAW("section size mismatch", HDR, 0x01, 0x07, 0x01, 0x60, 0x00, 0x00, 0x60, 0x00, 0x00);
  REJECT_RAW("unexpected end of section or function", HDR, 0x01, 0x04, 0x02, 0x60, 0x00, 0x00,
             0x03, 0x01, 0x00);
  REJECT_RAW("unexpected end", HDR, 0x01);
  /* Out of order and duplicate sections. */
  REJECT_RAW("unexpected content after last section", HDR, 0x03, 0x01, 0x00, 0x01, 0x01, 0x00);
  REJECT_RAW("unexpected content after last section", HDR, 0x01, 0x01, 0x00, 0x01, 0x01, 0x00);
  /* Data count must come before code. */
  REJECT_RAW("unexpected content after last section", HDR, 0x0A, 0x01, 0x00, 0x0C, 0x01, 0x00);
  /* Custom sections may appear anywhere, even after the last one. */
  static const uint8_t customs[] = {HDR, 0x00, 0x02, 0x01, 'a', 0x01, 0x01, 0x00, 0x00, 0x01, 0x00};
  char msg[256] = "";
  ck_assert_msg(compile(customs, sizeof customs, msg, sizeof msg) != NULL, "%s", msg);
  REJECT_RAW("length out of bounds", HDR, 0x00, 0x05, 0x09, 'a', 'b', 'c', 'd', 'e');
  REJECT_RAW("unexpected end", HDR, 0x00);
}
END_TEST

START_TEST(count_errors) {
  /* 1 function declared, no code section / 2 bodies. */
  REJECT_RAW("function and code section have inconsistent lengths", HDR, 0x01, 0x04, 0x01, 0x60,
             0x00, 0x00, 0x03, 0x02, 0x01, 0x00);
  REJECT_RAW("function and code section have inconsistent lengths", HDR, 0x01, 0x04, 0x01, 0x60,
             0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0A, 0x07, 0x02, 0x02, 0x00, 0x0B, 0x02, 0x00,
             0x0B);
  REJECT_RAW("function and code section have inconsistent lengths", HDR, 0x0A, 0x04, 0x01, 0x02,
             0x00, 0x0B);
  /* Data count 2 but 1 segment; data count 1 and no data section. */
  REJECT_RAW("data count and data section have inconsistent lengths", HDR, 0x05, 0x03, 0x01, 0x00,
             0x01, 0x0C, 0x01, 0x02, 0x0B, 0x04, 0x01, 0x01, 0x01, 'x');
  REJECT_RAW("data count and data section have inconsistent lengths", HDR, 0x0C, 0x01, 0x01);
  /* memory.init without a data count section. */
  REJECT_RAW("data count section required", HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02,
             0x01, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01, 0x0A, 0x0E, 0x01, 0x0C, 0x00, 0x41, 0x00,
             0x41, 0x00, 0x41, 0x00, 0xFC, 0x08, 0x00, 0x00, 0x0B, 0x0B, 0x03, 0x01, 0x01, 0x00);
  REJECT_RAW("data count section required", HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02,
             0x01, 0x00, 0x0A, 0x07, 0x01, 0x05, 0x00, 0xFC, 0x09, 0x00, 0x0B);
}
END_TEST

START_TEST(type_and_import_errors) {
  REJECT_RAW("malformed function type", HDR, 0x01, 0x04, 0x01, 0x61, 0x00, 0x00);
  REJECT_RAW("malformed value type", HDR, 0x01, 0x05, 0x01, 0x60, 0x01, 0x10, 0x00);
  /* import: module "m", name "f", kind 5 */
  REJECT_RAW("malformed import kind", HDR, 0x02, 0x07, 0x01, 0x01, 'm', 0x01, 'f', 0x05, 0x00);
  REJECT_RAW("malformed mutability", HDR, 0x02, 0x08, 0x01, 0x01, 'm', 0x01, 'g', 0x03, 0x7F,
             0x02);
  REJECT_RAW("malformed reference type", HDR, 0x04, 0x04, 0x01, 0x7F, 0x00, 0x01);
  REJECT_RAW("malformed limits flags", HDR, 0x05, 0x03, 0x01, 0x08, 0x00);
  REJECT_RAW("malformed UTF-8 encoding", HDR, 0x02, 0x08, 0x01, 0x02, 0xC0, 0x80, 0x01, 'f', 0x00,
             0x00);
  REJECT_RAW("malformed UTF-8 encoding", HDR, 0x02, 0x09, 0x01, 0x01, 'm', 0x03, 0xED, 0xA0, 0x80,
             0x00, 0x00); /* a surrogate */
  REJECT_RAW("malformed UTF-8 encoding", HDR, 0x00, 0x03, 0x02, 0xF8, 0x88);
  REJECT_RAW("length out of bounds", HDR, 0x02, 0x05, 0x01, 0x09, 'm', 'o', 'd');
  REJECT_RAW("malformed export kind", HDR, 0x07, 0x05, 0x01, 0x01, 'e', 0x04, 0x00);
  REJECT_RAW("malformed element kind", HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01,
             0x00, 0x09, 0x05, 0x01, 0x01, 0x01, 0x01, 0x00, 0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B);
}
END_TEST

START_TEST(code_errors) {
  /* Too many locals: two groups of 2^31. */
  REJECT_RAW("too many locals", HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
             0x0A, 0x10, 0x01, 0x0E, 0x02, 0x80, 0x80, 0x80, 0x80, 0x08, 0x7F, 0x80, 0x80, 0x80,
             0x80, 0x08, 0x7F, 0x0B);
  /* Missing end, then another function: END opcode expected. */
  REJECT_RAW("END opcode expected", HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x03, 0x02,
             0x00, 0x00, 0x0A, 0x0C, 0x02, 0x04, 0x00, 0x41, 0x01, 0x1A, 0x05, 0x00, 0x41, 0x01,
             0x1A, 0x0B);
  /* Missing end at the end of the module. */
  REJECT_RAW("unexpected end of section or function", HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
             0x03, 0x02, 0x01, 0x00, 0x0A, 0x06, 0x01, 0x04, 0x00, 0x41, 0x01, 0x1A);
  /* Bytes after the final end of a body. */
  REJECT_RAW("section size mismatch", HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01,
             0x00, 0x0A, 0x05, 0x01, 0x03, 0x00, 0x0B, 0x01);
  /* Immediate running past the body. */
  REJECT_RAW("unexpected end of section or function", HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
             0x03, 0x02, 0x01, 0x00, 0x0A, 0x05, 0x01, 0x03, 0x00, 0x41, 0x80);
  REJECT_RAW("illegal opcode", HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
             0x0A, 0x05, 0x01, 0x03, 0x00, 0xFF, 0x0B);
  REJECT_RAW("illegal opcode", HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
             0x0A, 0x06, 0x01, 0x04, 0x00, 0xFC, 0x12, 0x0B);
  REJECT_RAW("illegal opcode", HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
             0x0A, 0x07, 0x01, 0x05, 0x00, 0xFD, 0x9A, 0x01, 0x0B);
  /* Body size beyond the section. */
  REJECT_RAW("length out of bounds", HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01,
             0x00, 0x0A, 0x04, 0x01, 0x09, 0x00, 0x0B);
  /* Global initializer without end. */
  REJECT_RAW("unexpected end of section or function", HDR, 0x06, 0x05, 0x01, 0x7F, 0x00, 0x41,
             0x00, 0x0A, 0x01, 0x00);
  /* Non-constant initializer. */
  REJECT_RAW("constant expression required", HDR, 0x06, 0x07, 0x01, 0x7F, 0x00, 0x41, 0x00, 0x45,
             0x0B);
}
END_TEST

/* ---- resource use stays linear in the input ---------------------------------------- */

START_TEST(many_custom_sections) {
  Buf m = {0};
  mod_begin(&m);
  for (int i = 0; i < 50000; i++) buf_bytes(&m, 0x00, 0x02, 0x01, 'c', -1);
  char msg[256] = "";
  WasmModule *mod = compile(m.b, m.n, msg, sizeof msg);
  ck_assert_msg(mod != NULL, "%s", msg);
  ck_assert_uint_eq(mod->ncustoms, 50000);
  ck_assert_str_eq(mod->customs[49999].name, "c");
  buf_free(&m);
}
END_TEST

/* Bodies that each declare ~50,000 locals in 5 bytes: identical declarations
 * share one expansion; varying ones hit the module-wide cap. */
static Buf many_locals(uint32_t nfuncs, int vary) {
  Buf m = {0};
  mod_begin(&m);
  mod_types(&m, ":");
  mod_funcs(&m, nfuncs, 0);
  Buf *bodies = calloc(nfuncs, sizeof *bodies);
  for (uint32_t i = 0; i < nfuncs; i++) {
    buf_u8(&bodies[i], 1);
    buf_u32(&bodies[i], 49990 + (vary ? i % 2 : 0));
    buf_bytes(&bodies[i], 0x7F, 0x0B, -1);
  }
  mod_code(&m, nfuncs, bodies);
  free(bodies);
  return m;
}

START_TEST(shared_and_capped_locals) {
  Buf m = many_locals(3000, 0);
  char msg[256] = "";
  WasmModule *mod = compile(m.b, m.n, msg, sizeof msg);
  ck_assert_msg(mod != NULL, "%s", msg);
  ck_assert_uint_eq(mod->funcs[2999].nlocals, 49990);
  ck_assert_ptr_eq(mod->funcs[2999].local_types, mod->funcs[0].local_types);
  buf_free(&m);
  m = many_locals(1400, 1);
  expect_error(m.b, m.n, "too many locals", __LINE__);
  buf_free(&m);
}
END_TEST

/* ---- robustness sweeps --------------------------------------------------------------- */

/* Decodes b and frees nothing (the GC owns modules); asserts the result is
 * consistent: a module, or NULL with a CompileError pending. */
static void decode_any(const uint8_t *b, size_t n) {
  /* A heap copy of exactly n bytes, so ASan sees any read past the end. */
  uint8_t *copy = malloc(n ? n : 1);
  memcpy(copy, b, n);
  WasmModule *m = wasm_module_new(rt, copy, n);
  if (!m) {
    ck_assert(rt_has_exception(rt));
    ck_assert_int_eq(rt_exception_kind(rt), ERR_CompileError);
    rt_clear_exception(rt);
  }
  free(copy);
}

static void sweep(const uint8_t *b, size_t n) {
  char msg[256] = "";
  ck_assert_msg(compile(b, n, msg, sizeof msg) != NULL, "base module rejected: %s", msg);
  for (size_t cut = 0; cut < n; cut++) decode_any(b, cut);
  uint8_t *mut = malloc(n);
  for (size_t i = 0; i < n; i++)
    for (int bit = 0; bit < 8; bit++) {
      memcpy(mut, b, n);
      mut[i] ^= (uint8_t)(1 << bit);
      decode_any(mut, n);
    }
  /* Byte values that matter to the decoder: 0x00, 0x80 (LEB continuation), 0xFF. */
  static const uint8_t special[] = {0x00, 0x0B, 0x40, 0x7F, 0x80, 0xFF};
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < sizeof special; k++) {
      memcpy(mut, b, n);
      mut[i] = special[k];
      decode_any(mut, n);
    }
  free(mut);
  gc_collect(rt->heap);
}

START_TEST(sweep_full_module) {
  Buf b = full_module();
  sweep(b.b, b.n);
  buf_free(&b);
}
END_TEST

/* A function body with every kind of control flow, SIMD and bulk memory. */
static Buf code_module(void) {
  static const uint8_t code[] = {
      0x02, 0x7F,                   /* block (result i32) */
      0x41, 0x01,                   /* i32.const 1 */
      0x04, 0x40,                   /* if */
      0x03, 0x40,                   /* loop */
      0x20, 0x00, 0x0D, 0x00,       /* local.get 0, br_if 0 */
      0x0B,                         /* end loop */
      0x05,                         /* else */
      0x41, 0x00, 0x0E, 0x01, 0x00, 0x00, /* i32.const 0, br_table 0 0 */
      0x0B,                         /* end if */
      0x41, 0x05, 0x0C, 0x00,       /* i32.const 5, br 0 */
      0x0B,                         /* end block */
      0x1A,                         /* drop */
      0xFD, 0x0C, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, /* v128.const */
      0xFD, 0x15, 0x03,             /* i8x16.extract_lane_s 3 */
      0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x0B, 0x00, /* memory.fill */
      0x41, 0x00, 0x28, 0x02, 0x04, /* i32.load align=2 offset=4 */
      0x6A,                         /* i32.add */
      0x0F,                         /* return */
      0x0B,
  };
  static const uint8_t locals[] = {0x01, 0x01, 0x7F};
  return one_func_module("i:i", locals, sizeof locals, code, sizeof code, 1);
}

START_TEST(sweep_code_module) {
  Buf b = code_module();
  sweep(b.b, b.n);
  buf_free(&b);
}
END_TEST

/* A module assembled by wat2wasm at test time, when wabt is installed. */
START_TEST(sweep_wat2wasm_module) {
  if (system("command -v wat2wasm >/dev/null 2>&1") != 0) return;
  char dir[] = "/tmp/tandem_wasm_decodeXXXXXX";
  ck_assert_ptr_nonnull(mkdtemp(dir));
  char wat[256], wasm[256], cmd[700];
  snprintf(wat, sizeof wat, "%s/m.wat", dir);
  snprintf(wasm, sizeof wasm, "%s/m.wasm", dir);
  FILE *f = fopen(wat, "w");
  ck_assert_ptr_nonnull(f);
  fputs("(module\n"
        "  (type $t (func (param i32) (result i32)))\n"
        "  (import \"env\" \"print\" (func $print (param i32)))\n"
        "  (memory (export \"mem\") 1 2)\n"
        "  (table 4 funcref)\n"
        "  (global $g (mut i64) (i64.const 10))\n"
        "  (elem (i32.const 0) $fac $fib)\n"
        "  (data (i32.const 16) \"hello\")\n"
        "  (func $fac (export \"fac\") (type $t)\n"
        "    (if (result i32) (i32.lt_s (local.get 0) (i32.const 2))\n"
        "      (then (i32.const 1))\n"
        "      (else (i32.mul (local.get 0) (call $fac (i32.sub (local.get 0) (i32.const 1)))))))\n"
        "  (func $fib (type $t) (local i32 i32)\n"
        "    (local.set 1 (i32.const 1))\n"
        "    (block $done (loop $l\n"
        "      (br_if $done (i32.eqz (local.get 0)))\n"
        "      (local.set 2 (i32.add (local.get 1) (local.get 2)))\n"
        "      (local.set 1 (i32.sub (local.get 2) (local.get 1)))\n"
        "      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))\n"
        "      (br $l)))\n"
        "    (call $print (local.get 2))\n"
        "    (call_indirect (type $t) (local.get 2) (i32.const 0)))\n"
        "  (func (export \"simd\") (param v128) (result v128)\n"
        "    (i32x4.add (local.get 0) (v128.load offset=16 (i32.const 0))))\n"
        "  (func (export \"sw\") (param i32) (result i32)\n"
        "    (block (block (block (br_table 0 1 2 (local.get 0))) (return (i32.const 1)))\n"
        "      (return (i32.const 2)))\n"
        "    (global.set $g (i64.add (global.get $g) (i64.const 1)))\n"
        "    (i32.const 3)))\n",
        f);
  fclose(f);
  snprintf(cmd, sizeof cmd, "wat2wasm --debug-names %s -o %s", wat, wasm);
  ck_assert_int_eq(system(cmd), 0);
  f = fopen(wasm, "rb");
  ck_assert_ptr_nonnull(f);
  uint8_t buf[4096];
  size_t n = fread(buf, 1, sizeof buf, f);
  fclose(f);
  remove(wasm);
  remove(wat);
  rmdir(dir);
  char msg[256] = "";
  WasmModule *m = compile(buf, n, msg, sizeof msg);
  ck_assert_msg(m != NULL, "%s", msg);
  ck_assert_str_eq(m->funcs[1].name, "fac");
  sweep(buf, n);
}
END_TEST

Suite *wasm_decode_suite(void) {
  Suite *s = suite_create("wasm_decode");
  TCase *tc = tcase_create("decode");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, empty_module);
  tcase_add_test(tc, every_section_kind);
  tcase_add_test(tc, malformed_name_section_ignored);
  tcase_add_test(tc, const_expr_eval);
  tcase_add_test(tc, opcode_info);
  tcase_add_test(tc, header_errors);
  tcase_add_test(tc, leb128_errors);
  tcase_add_test(tc, section_errors);
  tcase_add_test(tc, count_errors);
  tcase_add_test(tc, type_and_import_errors);
  tcase_add_test(tc, code_errors);
  tcase_add_test(tc, many_custom_sections);
  tcase_add_test(tc, shared_and_capped_locals);
  tcase_add_test(tc, sweep_full_module);
  tcase_add_test(tc, sweep_code_module);
  tcase_add_test(tc, sweep_wat2wasm_module);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(wasm_decode_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
