/* wasm_interp.c: the interpreter and instantiation on small modules built
 * from text with wat2wasm at test time: recursion, br_table loops,
 * multi-value blocks, call_indirect and its traps, memory growth, stack
 * exhaustion, host imports, segment traps during instantiation, SIMD. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/runtime.h"
#include "wasm/interp.h"
#include "wasm/wasm.h"

static Runtime *rt;

static void setup(void) {
  wasm_init_gc_kinds();
  rt = rt_new(NULL);
}

static void teardown(void) {
  rt_free(rt);
  rt = NULL;
}

/* Text to binary through wat2wasm; the test fails if the tool is missing. */
static uint8_t *wat(const char *text, size_t *len) {
  char in[] = "/tmp/tandem_wasm_interp_XXXXXX";
  int fd = mkstemp(in);
  ck_assert_int_ge(fd, 0);
  ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
  close(fd);
  char out[64], cmd[256];
  snprintf(out, sizeof out, "%s.wasm", in);
  snprintf(cmd, sizeof cmd, "wat2wasm --enable-all --debug-names %s -o %s", in, out);
  int rc = system(cmd);
  unlink(in);
  ck_assert_msg(rc == 0, "wat2wasm failed");
  FILE *f = fopen(out, "rb");
  ck_assert_ptr_nonnull(f);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *buf = malloc((size_t)n);
  ck_assert_int_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  unlink(out);
  *len = (size_t)n;
  return buf;
}

typedef struct Imports {
  const char *names[4];
  WasmExtern ext[4];
  int n;
} Imports;

static bool resolve(void *data, const char *module, const char *name, WasmExtern *out) {
  Imports *im = data;
  for (int i = 0; im && i < im->n; i++)
    if (strcmp(im->names[i], name) == 0) {
      *out = im->ext[i];
      return true;
    }
  return false;
}

static WasmInstance *instantiate(const char *text, Imports *im) {
  size_t len;
  uint8_t *bytes = wat(text, &len);
  WasmModule *m = wasm_module_new(rt, bytes, len);
  free(bytes);
  ck_assert_msg(m != NULL, "compile: %s", rt_exception_message(rt));
  return wasm_instantiate(rt, m, resolve, im);
}

static Value export_func(WasmInstance *inst, const char *name) {
  WasmExtern e;
  ck_assert(wasm_instance_export(inst, name, &e));
  ck_assert_int_eq(e.kind, WASM_EXTERN_FUNC);
  return e.obj;
}

static WasmVal i32v(uint32_t x) { return (WasmVal){.type = WASM_I32, .of.i32 = x}; }
static WasmVal i64v(uint64_t x) { return (WasmVal){.type = WASM_I64, .of.i64 = x}; }

static uint32_t call_i32(WasmInstance *inst, const char *name, int n, uint32_t a, uint32_t b) {
  WasmVal args[2] = {i32v(a), i32v(b)}, r;
  bool ok = wasm_call(rt, export_func(inst, name), args, (size_t)n, &r, 1);
  ck_assert_msg(ok, "%s trapped: %s", name, rt_exception_message(rt));
  return r.of.i32;
}

/* Calls expecting a trap whose message starts with `msg`. */
static void expect_trap(WasmInstance *inst, const char *name, int n, uint32_t a, const char *msg) {
  WasmVal args[1] = {i32v(a)}, r[2];
  Value f = export_func(inst, name);
  const uint8_t *p, *res;
  uint32_t np, nr;
  ck_assert(wasm_func_type(f, &p, &np, &res, &nr));
  ck_assert(!wasm_call(rt, f, args, (size_t)n, r, nr));
  ck_assert_int_eq(rt_exception_kind(rt), ERR_RuntimeError);
  ck_assert_msg(strncmp(rt_exception_message(rt), msg, strlen(msg)) == 0, "got \"%s\", want \"%s\"",
                rt_exception_message(rt), msg);
  rt_clear_exception(rt);
}

START_TEST(factorial) {
  WasmInstance *inst = instantiate(
      "(module (func $fac (export \"fac\") (param i64) (result i64)"
      "  (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 1))"
      "    (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1))))))))",
      NULL);
  ck_assert_ptr_nonnull(inst);
  WasmVal a = i64v(20), r;
  ck_assert(wasm_call(rt, export_func(inst, "fac"), &a, 1, &r, 1));
  ck_assert_uint_eq(r.of.i64, 2432902008176640000ull);
}
END_TEST

START_TEST(br_table_loop) {
  /* Sums a per-case weight over i = 0..n-1: case i%4 -> 1, 10, 100, default 1000. */
  WasmInstance *inst = instantiate(
      "(module (func (export \"run\") (param $n i32) (result i32) (local $i i32) (local $s i32)"
      "  (block $exit (loop $top"
      "    (br_if $exit (i32.ge_u (local.get $i) (local.get $n)))"
      "    (block $d (block $c2 (block $c1 (block $c0"
      "      (br_table $c0 $c1 $c2 $d (i32.rem_u (local.get $i) (i32.const 4))))"
      "      (local.set $s (i32.add (local.get $s) (i32.const 1))) (br $d))"
      "      (local.set $s (i32.add (local.get $s) (i32.const 10))) (br $d))"
      "      (local.set $s (i32.add (local.get $s) (i32.const 100))))"
      "    (local.set $i (i32.add (local.get $i) (i32.const 1)))"
      "    (br $top)))"
      "  (local.get $s)))",
      NULL);
  ck_assert_ptr_nonnull(inst);
  ck_assert_uint_eq(call_i32(inst, "run", 1, 10, 0), 1 + 10 + 100 + 0 + 1 + 10 + 100 + 0 + 1 + 10);
  ck_assert_uint_eq(call_i32(inst, "run", 1, 0, 0), 0);
}
END_TEST

START_TEST(multi_value) {
  WasmInstance *inst = instantiate(
      "(module"
      "  (func $swap (param i32 i32) (result i32 i32) (local.get 1) (local.get 0))"
      "  (func (export \"f\") (param i32 i32) (result i32)"
      "    (local.get 0) (local.get 1) (block (param i32 i32) (result i32 i32) (call $swap))"
      "    (i32.sub))"
      "  (func (export \"g\") (result i32 i64)"
      "    (block $b (result i32 i64) (i32.const 7) (i64.const 9) (br $b) ) )"
      /* A branch to the function's end that drops values below what it carries. */
      "  (func (export \"h\") (result i32 i64)"
      "    (i32.const 2) (block (result i64) (br 0 (i32.const 1) (i64.const 8)))))",
      NULL);
  ck_assert_ptr_nonnull(inst);
  ck_assert_uint_eq(call_i32(inst, "f", 2, 3, 10), 7);
  WasmVal r[2];
  ck_assert(wasm_call(rt, export_func(inst, "g"), NULL, 0, r, 2));
  ck_assert_uint_eq(r[0].of.i32, 7);
  ck_assert_uint_eq(r[1].of.i64, 9);
  ck_assert(wasm_call(rt, export_func(inst, "h"), NULL, 0, r, 2));
  ck_assert_uint_eq(r[0].of.i32, 2);
  ck_assert_uint_eq(r[1].of.i64, 8);
}
END_TEST

START_TEST(call_indirect_traps) {
  WasmInstance *inst =
      instantiate("(module (type $ii (func (param i32) (result i32)))"
                  "  (table 4 funcref) (elem (i32.const 0) $inc $wrong)"
                  "  (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))"
                  "  (func $wrong (param i64) (result i64) (local.get 0))"
                  "  (func (export \"call\") (param i32) (result i32)"
                  "    (call_indirect (type $ii) (i32.const 41) (local.get 0))))",
                  NULL);
  ck_assert_ptr_nonnull(inst);
  ck_assert_uint_eq(call_i32(inst, "call", 1, 0, 0), 42);
  expect_trap(inst, "call", 1, 1, "indirect call type mismatch");
  expect_trap(inst, "call", 1, 2, "uninitialized element");
  expect_trap(inst, "call", 1, 4, "undefined element");
  expect_trap(inst, "call", 1, 0xFFFFFFFF, "undefined element");
}
END_TEST

START_TEST(memory_grow_and_bounds) {
  WasmInstance *inst =
      instantiate("(module (memory 1 3)"
                  "  (func (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0)))"
                  "  (func (export \"size\") (result i32) (memory.size))"
                  "  (func (export \"poke\") (param i32) (result i32)"
                  "    (i32.store (local.get 0) (i32.const 0x11223344)) (i32.load (local.get 0))))",
                  NULL);
  ck_assert_ptr_nonnull(inst);
  ck_assert_uint_eq(call_i32(inst, "poke", 1, 65532, 0), 0x11223344);
  expect_trap(inst, "poke", 1, 65533, "out of bounds memory access");
  ck_assert_uint_eq(call_i32(inst, "grow", 1, 1, 0), 1);
  ck_assert_uint_eq(call_i32(inst, "size", 0, 0, 0), 2);
  ck_assert_uint_eq(call_i32(inst, "poke", 1, 65536 + 100, 0), 0x11223344);
  expect_trap(inst, "poke", 1, 2 * 65536 - 3, "out of bounds memory access");
  ck_assert_uint_eq(call_i32(inst, "grow", 1, 2, 0), 0xFFFFFFFFu); /* beyond max */
  ck_assert_uint_eq(call_i32(inst, "grow", 1, 1, 0), 2);
  ck_assert_uint_eq(call_i32(inst, "size", 0, 0, 0), 3);
}
END_TEST

START_TEST(stack_exhaustion) {
  WasmInstance *inst = instantiate(
      "(module (func $r (export \"runaway\") (param i32) (result i32) (call $r (local.get 0)))"
      "  (func (export \"ok\") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1))))",
      NULL);
  ck_assert_ptr_nonnull(inst);
  expect_trap(inst, "runaway", 1, 0, "call stack exhausted");
  /* The runtime is usable afterwards, twice over. */
  ck_assert_uint_eq(call_i32(inst, "ok", 1, 1, 0), 2);
  expect_trap(inst, "runaway", 1, 0, "call stack exhausted");
  ck_assert_uint_eq(call_i32(inst, "ok", 1, 5, 0), 6);
}
END_TEST

START_TEST(trap_message_names_function) {
  WasmInstance *inst =
      instantiate("(module (func $divider (export \"div\") (param i32) (result i32)"
                  "  (i32.div_s (i32.const 1) (local.get 0))))",
                  NULL);
  ck_assert_ptr_nonnull(inst);
  expect_trap(inst, "div", 1, 0, "integer divide by zero");
  ck_assert(!wasm_call(rt, export_func(inst, "div"), (WasmVal[]){i32v(0)}, 1, (WasmVal[1]){0}, 1));
  ck_assert_ptr_nonnull(strstr(rt_exception_message(rt), "$divider"));
  ck_assert_ptr_nonnull(strstr(rt_exception_message(rt), "offset 0x"));
  rt_clear_exception(rt);
}
END_TEST

static bool host_add(Runtime *r, void *data, const WasmVal *args, WasmVal *results) {
  int *calls = data;
  (*calls)++;
  if (args[0].of.i32 == 666) {
    rt_throw(r, ERR_TypeError, "host says no");
    return false;
  }
  results[0].of.i32 = args[0].of.i32 + args[1].of.i32;
  return true;
}

START_TEST(host_imports) {
  int calls = 0;
  static const uint8_t ii[2] = {WASM_I32, WASM_I32}, i[1] = {WASM_I32};
  Imports im = {.names = {"add"}, .n = 1};
  im.ext[0].kind = WASM_EXTERN_FUNC;
  im.ext[0].obj = wasm_host_func_new(rt, ii, 2, i, 1, host_add, &calls);
  WasmInstance *inst =
      instantiate("(module (import \"env\" \"add\" (func $add (param i32 i32) (result i32)))"
                  "  (func (export \"twice\") (param i32) (result i32)"
                  "    (call $add (call $add (local.get 0) (i32.const 1)) (i32.const 2))))",
                  &im);
  ck_assert_ptr_nonnull(inst);
  ck_assert_uint_eq(call_i32(inst, "twice", 1, 10, 0), 13);
  ck_assert_int_eq(calls, 2);
  /* The host's error comes out unchanged. */
  ck_assert(
      !wasm_call(rt, export_func(inst, "twice"), (WasmVal[]){i32v(666)}, 1, (WasmVal[1]){0}, 1));
  ck_assert_int_eq(rt_exception_kind(rt), ERR_TypeError);
  ck_assert_str_eq(rt_exception_message(rt), "host says no");
  rt_clear_exception(rt);

  /* Wrong signature: a LinkError. */
  static const uint8_t l[1] = {WASM_I64};
  im.ext[0].obj = wasm_host_func_new(rt, l, 1, i, 1, host_add, &calls);
  ck_assert_ptr_null(
      instantiate("(module (import \"env\" \"add\" (func (param i32 i32) (result i32))))", &im));
  ck_assert_int_eq(rt_exception_kind(rt), ERR_LinkError);
  ck_assert_ptr_nonnull(strstr(rt_exception_message(rt), "incompatible import type"));
  rt_clear_exception(rt);
  ck_assert_ptr_null(instantiate("(module (import \"env\" \"nope\" (func)))", &im));
  ck_assert_ptr_nonnull(strstr(rt_exception_message(rt), "unknown import"));
  rt_clear_exception(rt);
}
END_TEST

START_TEST(segment_trap_keeps_earlier_writes) {
  Imports im = {.names = {"mem"}, .n = 1};
  im.ext[0].kind = WASM_EXTERN_MEMORY;
  im.ext[0].obj = wasm_memory_new(rt, 1, UINT32_MAX);
  WasmMemoryObj *mem = val_to_ptr(im.ext[0].obj);
  ck_assert_ptr_null(instantiate("(module (import \"env\" \"mem\" (memory 1))"
                                 "  (data (i32.const 10) \"ab\") (data (i32.const 65535) \"xy\"))",
                                 &im));
  ck_assert_int_eq(rt_exception_kind(rt), ERR_RuntimeError);
  ck_assert_str_eq(rt_exception_message(rt), "out of bounds memory access");
  rt_clear_exception(rt);
  ck_assert_int_eq(mem->base[10], 'a');
  ck_assert_int_eq(mem->base[11], 'b');
}
END_TEST

START_TEST(simd_and_v128_calls) {
  WasmInstance *inst = instantiate(
      "(module"
      "  (func $addv (param v128 v128) (result v128) (i32x4.add (local.get 0) (local.get 1)))"
      "  (func (export \"f\") (param i32) (result i32) (local v128)"
      "    (local.set 1 (call $addv (i32x4.splat (local.get 0)) (v128.const i32x4 1 2 3 4)))"
      "    (i32.add (i32x4.extract_lane 3 (local.get 1))"
      "             (i32x4.extract_lane 0 (i8x16.shuffle 4 5 6 7 0 1 2 3 8 9 10 11 12 13 14 15"
      "                 (local.get 1) (local.get 1))))))",
      NULL);
  ck_assert_ptr_nonnull(inst);
  /* lane3 = x+4, shuffled lane0 = lane1 = x+2 */
  ck_assert_uint_eq(call_i32(inst, "f", 1, 100, 0), 104 + 102);
}
END_TEST

START_TEST(globals_and_tables) {
  WasmInstance *inst =
      instantiate("(module (global $g (mut i32) (i32.const 5)) (table $t 2 10 externref)"
                  "  (func (export \"bump\") (result i32) (global.set $g (i32.add (global.get $g) "
                  "(i32.const 1))) (global.get $g))"
                  "  (func (export \"grow\") (param i32) (result i32) (table.grow $t (ref.null "
                  "extern) (local.get 0)))"
                  "  (func (export \"fill\") (param i32) (result i32) (table.fill $t (i32.const 0) "
                  "(ref.null extern) (local.get 0)) (table.size $t)))",
                  NULL);
  ck_assert_ptr_nonnull(inst);
  ck_assert_uint_eq(call_i32(inst, "bump", 0, 0, 0), 6);
  ck_assert_uint_eq(call_i32(inst, "bump", 0, 0, 0), 7);
  ck_assert_uint_eq(call_i32(inst, "grow", 1, 3, 0), 2);
  ck_assert_uint_eq(call_i32(inst, "grow", 1, 6, 0), 0xFFFFFFFFu);
  ck_assert_uint_eq(call_i32(inst, "fill", 1, 5, 0), 5);
  expect_trap(inst, "fill", 1, 6, "out of bounds table access");
}
END_TEST

START_TEST(tail_calls_run_in_constant_stack) {
  WasmInstance *inst =
      instantiate("(module (type $t (func (param i32 i32) (result i32))) (table 1 funcref) (elem "
                  "(i32.const 0) $odd)"
                  "  (func $count (export \"count\") (param i32 i32) (result i32)"
                  "    (if (result i32) (i32.eqz (local.get 0)) (then (local.get 1))"
                  "      (else (return_call $count (i32.sub (local.get 0) (i32.const 1)) (i32.add "
                  "(local.get 1) (i32.const 2))))))"
                  "  (func $odd (param i32 i32) (result i32)"
                  "    (if (result i32) (i32.eqz (local.get 0)) (then (local.get 1))"
                  "      (else (return_call_indirect (type $t) (i32.sub (local.get 0) (i32.const "
                  "1)) (local.get 1) (i32.const 0)))))"
                  "  (func (export \"indirect\") (param i32 i32) (result i32) (call $odd "
                  "(local.get 0) (local.get 1))))",
                  NULL);
  ck_assert_ptr_nonnull(inst);
  /* Far deeper than the frame limit: only frame reuse gets there. */
  ck_assert_uint_eq(call_i32(inst, "count", 2, 3000000, 0), 6000000);
  ck_assert_uint_eq(call_i32(inst, "indirect", 2, 3000000, 9), 9);
}
END_TEST

static bool host_stop(Runtime *r, void *data, const WasmVal *args, WasmVal *results) {
  r->interrupt_requested = 1;
  return true;
}

START_TEST(interrupt_stops_infinite_loop) {
  Imports im = {.names = {"stop"}, .n = 1};
  im.ext[0].kind = WASM_EXTERN_FUNC;
  im.ext[0].obj = wasm_host_func_new(rt, NULL, 0, NULL, 0, host_stop, NULL);
  WasmInstance *inst =
      instantiate("(module (import \"env\" \"stop\" (func $stop))"
                  "  (func (export \"spin\") (param i32) (result i32) (call $stop) (loop $l (br "
                  "$l)) (i32.const 0))"
                  "  (func (export \"ok\") (param i32) (result i32) (local.get 0)))",
                  &im);
  ck_assert_ptr_nonnull(inst);
  expect_trap(inst, "spin", 1, 0, "interrupted");
  rt->interrupt_requested = 0;
  ck_assert_uint_eq(call_i32(inst, "ok", 1, 9, 0), 9);
}
END_TEST

START_TEST(multi_memory) {
  WasmInstance *inst =
      instantiate("(module (memory $a 1) (memory $b 1 2)"
                  "  (func (export \"f\") (param i32) (result i32)"
                  "    (i32.store $b (i32.const 8) (local.get 0))"
                  "    (memory.copy $a $b (i32.const 100) (i32.const 8) (i32.const 4))"
                  "    (i32.add (i32.load $a (i32.const 8)) (i32.load $a (i32.const 100))))"
                  "  (func (export \"grow\") (param i32) (result i32) (drop (memory.grow $b "
                  "(local.get 0))) (memory.size $b))"
                  "  (func (export \"oob\") (param i32) (result i32) (i32.load $b (local.get 0))))",
                  NULL);
  ck_assert_ptr_nonnull(inst);
  ck_assert_uint_eq(call_i32(inst, "f", 1, 77, 0), 77); /* memory $a at 8 stays 0 */
  ck_assert_uint_eq(call_i32(inst, "grow", 1, 1, 0), 2);
  ck_assert_uint_eq(call_i32(inst, "grow", 1, 1, 0), 2); /* beyond max */
  ck_assert_uint_eq(call_i32(inst, "oob", 1, 65536, 0), 0);
  expect_trap(inst, "oob", 1, 2 * 65536 - 2, "out of bounds memory access");
}
END_TEST

START_TEST(memory64) {
  WasmInstance *inst = instantiate(
      "(module (memory i64 1 2)"
      "  (func (export \"rt\") (param i32) (result i32)"
      "    (i32.store (i64.const 65532) (local.get 0)) (i32.load (i64.const 65532)))"
      "  (func (export \"far\") (param i32) (result i32) (i32.load (i64.const 0x100000000)))"
      "  (func (export \"grow\") (param i32) (result i32) (i32.wrap_i64 (memory.grow (i64.const "
      "5)))))",
      NULL);
  ck_assert_ptr_nonnull(inst);
  ck_assert_uint_eq(call_i32(inst, "rt", 1, 1234, 0), 1234);
  /* An address above 32 bits must not wrap onto low memory. */
  expect_trap(inst, "far", 1, 0, "out of bounds memory access");
  ck_assert_uint_eq(call_i32(inst, "grow", 1, 0, 0), 0xFFFFFFFFu);
}
END_TEST

int main(void) {
  Suite *s = suite_create("wasm_interp");
  TCase *tc = tcase_create("interp");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, factorial);
  tcase_add_test(tc, br_table_loop);
  tcase_add_test(tc, multi_value);
  tcase_add_test(tc, call_indirect_traps);
  tcase_add_test(tc, memory_grow_and_bounds);
  tcase_add_test(tc, stack_exhaustion);
  tcase_add_test(tc, trap_message_names_function);
  tcase_add_test(tc, host_imports);
  tcase_add_test(tc, segment_trap_keeps_earlier_writes);
  tcase_add_test(tc, simd_and_v128_calls);
  tcase_add_test(tc, globals_and_tables);
  tcase_add_test(tc, tail_calls_run_in_constant_stack);
  tcase_add_test(tc, interrupt_stops_infinite_loop);
  tcase_add_test(tc, multi_memory);
  tcase_add_test(tc, memory64);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
