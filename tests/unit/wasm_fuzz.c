/* wasm_fuzz.c: feeds the decoder/validator every truncation, every single-bit
 * flip and seeded random mutations of real modules, and instantiates and calls
 * the exports of the mutants that still validate (each in a forked child with
 * a time limit). Passes when nothing crashes and every rejection leaves a
 * CompileError pending whose message names the offset. */
#define _GNU_SOURCE
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "test_util.h"
#include "wasm/wasm.h"

/* --- the corpus ------------------------------------------------------------------ */

typedef struct WatSource {
  const char *name;
  const char *text;
  const char *exports[8];
} WatSource;

static const WatSource wat_sources[] = {
    {"mvp",
     "(module\n"
     "  (type $bin (func (param i32 i32) (result i32)))\n"
     "  (memory 1 2)\n"
     "  (data (i32.const 16) \"hello, fuzz!\")\n"
     "  (table 4 funcref)\n"
     "  (elem (i32.const 0) $add $sub $mul)\n"
     "  (global $g (mut i32) (i32.const 5))\n"
     "  (func $add (type $bin) (i32.add (local.get 0) (local.get 1)))\n"
     "  (func $sub (type $bin) (i32.sub (local.get 0) (local.get 1)))\n"
     "  (func $mul (type $bin) (i32.mul (local.get 0) (local.get 1)))\n"
     "  (func (export \"dispatch\") (param i32) (result i32)\n"
     "    (call_indirect (type $bin) (i32.const 6) (i32.const 3) (local.get 0)))\n"
     "  (func (export \"sum\") (param i32) (result i32) (local $i i32) (local $s i32)\n"
     "    (block $done (loop $l\n"
     "      (br_if $done (i32.ge_u (local.get $i) (i32.and (local.get 0) (i32.const 63))))\n"
     "      (local.set $s (i32.add (local.get $s)\n"
     "        (i32.load8_u offset=16 (i32.and (local.get $i) (i32.const 15)))))\n"
     "      (local.set $i (i32.add (local.get $i) (i32.const 1)))\n"
     "      (br $l)))\n"
     "    (local.get $s))\n"
     "  (func $fac (export \"fac\") (param i64) (result i64)\n"
     "    (if (result i64) (i64.le_s (local.get 0) (i64.const 1))\n"
     "      (then (i64.const 1))\n"
     "      (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1)))))))\n"
     "  (func (export \"switch\") (param i32) (result i32)\n"
     "    (block $c (block $b (block $a\n"
     "      (br_table $a $b $c (local.get 0)))\n"
     "      (return (i32.const 10)))\n"
     "      (return (i32.const 20)))\n"
     "    (global.set $g (i32.add (global.get $g) (i32.const 1)))\n"
     "    (select (global.get $g) (i32.const 30) (local.get 0)))\n"
     "  (func (export \"floats\") (param f64) (result f64)\n"
     "    (f64.add (f64.sqrt (f64.abs (local.get 0)))\n"
     "             (f64.promote_f32 (f32.demote_f64 (f64.convert_i32_s (i32.const -3))))))\n"
     "  (func (export \"mem\") (param i32) (result i32)\n"
     "    (drop (memory.grow (i32.const 1)))\n"
     "    (i64.store (i32.const 64) (i64.extend_i32_u (local.get 0)))\n"
     "    (i32.add (memory.size) (i32.load16_s (i32.const 64))))\n"
     "  (func (export \"traps\") (param i32) (result i32)\n"
     "    (if (i32.eq (local.get 0) (i32.const 1)) (then unreachable))\n"
     "    (i32.div_s (i32.const 100) (local.get 0)))\n"
     ")\n",
     {"dispatch", "sum", "fac", "switch", "floats", "mem", "traps"}},
    {"bulk_refs_multi",
     "(module\n"
     "  (memory 1)\n"
     "  (table $t 8 funcref)\n"
     "  (table $e 2 externref)\n"
     "  (data $d \"abcdefgh\")\n"
     "  (elem $el func $one $two)\n"
     "  (elem declare func $one)\n"
     "  (func $one (result i32) (i32.const 1))\n"
     "  (func $two (result i32) (i32.const 2))\n"
     "  (func (export \"bulk\") (param i32) (result i32)\n"
     "    (memory.init $d (i32.and (local.get 0) (i32.const 255)) (i32.const 0) (i32.const 4))\n"
     "    (memory.copy (i32.const 100) (i32.and (local.get 0) (i32.const 255)) (i32.const 4))\n"
     "    (memory.fill (i32.const 200) (i32.const 7) (i32.const 10))\n"
     "    (data.drop $d)\n"
     "    (i32.add (i32.load (i32.const 100)) (i32.load8_u (i32.const 209))))\n"
     "  (func (export \"tables\") (param i32) (result i32)\n"
     "    (table.init $t $el (i32.const 0) (i32.const 0) (i32.const 2))\n"
     "    (elem.drop $el)\n"
     "    (drop (table.grow $t (ref.null func) (i32.const 1)))\n"
     "    (i32.add (table.size $t) (call_indirect $t (result i32) (local.get 0))))\n"
     "  (func (export \"multi\") (param i32 i32) (result i32 i32)\n"
     "    (local.get 1) (local.get 0))\n"
     "  (func (export \"refs\") (result i32)\n"
     "    (table.set $e (i32.const 1) (ref.null extern))\n"
     "    (i32.add (ref.is_null (table.get $e (i32.const 0))) (ref.is_null (ref.func $one))))\n"
     "  (func (export \"sat\") (param f32) (result i32)\n"
     "    (i32.add (i32.trunc_sat_f32_s (local.get 0)) (i32.extend8_s (i32.const 0x80))))\n"
     ")\n",
     {"bulk", "tables", "multi", "refs", "sat"}},
    {"simd",
     "(module\n"
     "  (memory 1)\n"
     "  (func (export \"lanes\") (param i32) (result i32)\n"
     "    (v128.store (i32.const 0)\n"
     "      (i32x4.add (v128.const i32x4 1 2 3 4) (i32x4.splat (local.get 0))))\n"
     "    (i32x4.extract_lane 2\n"
     "      (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\n"
     "        (v128.load (i32.const 0)) (v128.const i64x2 0 0))))\n"
     "  (func (export \"fsimd\") (param f64) (result f64)\n"
     "    (f64x2.extract_lane 1\n"
     "      (f64x2.mul (f64x2.splat (local.get 0)) (v128.const f64x2 1.5 -2.5))))\n"
     "  (func (export \"bits\") (param i32) (result i32)\n"
     "    (i8x16.bitmask (i8x16.eq (i8x16.splat (local.get 0)) (v128.const i8x16 0 1 2 3 4 5 6 7\n"
     "      8 9 10 11 12 13 14 15))))\n"
     ")\n",
     {"lanes", "fsimd", "bits"}},
    {"memory64_multi",
     "(module\n"
     "  (memory $a i64 1)\n"
     "  (memory $b 1 2)\n"
     "  (data (memory $b) (i32.const 0) \"xyz\")\n"
     "  (func (export \"copy\") (param i32) (result i32)\n"
     "    (memory.copy $b $b (i32.const 10) (i32.const 0) (i32.const 3))\n"
     "    (i32.add (i32.load8_u $b (i32.const 11)) (local.get 0)))\n"
     "  (func (export \"m64\") (param i64) (result i64)\n"
     "    (i64.store $a (i64.and (local.get 0) (i64.const 0xfff)) (local.get 0))\n"
     "    (drop (memory.grow $a (i64.const 1)))\n"
     "    (i64.add (i64.load $a (i64.const 0)) (memory.size $a))))\n",
     {"copy", "m64"}},
};
#define NWAT (sizeof wat_sources / sizeof wat_sources[0])

/* Written by hand, so the suite has a module even without wat2wasm:
 * (module (memory 1) (func (export "inc") (param i32) (result i32)
 *   (i32.add (local.get 0) (i32.const 1)))) */
static const uint8_t handmade[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,                   /* header */
    0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f,                   /* type (i32)->i32 */
    0x03, 0x02, 0x01, 0x00,                                           /* func 0: type 0 */
    0x05, 0x03, 0x01, 0x00, 0x01,                                     /* memory 1 */
    0x07, 0x07, 0x01, 0x03, 'i',  'n',  'c',  0x00, 0x00,             /* export "inc" */
    0x0a, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x41, 0x01, 0x6a, 0x0b, /* code */
};

typedef struct Sample {
  const char *name;
  uint8_t *bytes;
  size_t len;
  const char *const *exports;
} Sample;

static Sample samples[NWAT + 1];
static size_t nsamples;

static uint8_t *read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  uint8_t *buf = NULL;
  if (fseek(f, 0, SEEK_END) == 0) {
    long n = ftell(f);
    if (n > 0 && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n)))
      *len = fread(buf, 1, (size_t)n, f);
  }
  fclose(f);
  return buf;
}

/* Builds the corpus once, before the tests fork: the handmade module plus
 * the .wat sources compiled by wat2wasm when it is installed. */
static void build_corpus(void) {
  static const char *const handmade_exports[] = {"inc", NULL};
  samples[nsamples++] =
      (Sample){"handmade", (uint8_t *)handmade, sizeof handmade, handmade_exports};
  if (system("command -v wat2wasm >/dev/null 2>&1") != 0) {
    fprintf(stderr, "wasm_fuzz: wat2wasm not found (Debian package wabt); fuzzing only the "
                    "handmade module\n");
    return;
  }
  char dir[] = "/tmp/tandem-wasm-fuzz-XXXXXX";
  if (!mkdtemp(dir)) return;
  for (size_t i = 0; i < NWAT; i++) {
    char wat[256], wasm[256], cmd[700];
    snprintf(wat, sizeof wat, "%s/%s.wat", dir, wat_sources[i].name);
    snprintf(wasm, sizeof wasm, "%s/%s.wasm", dir, wat_sources[i].name);
    FILE *f = fopen(wat, "w");
    if (!f) continue;
    fputs(wat_sources[i].text, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "wat2wasm --enable-all '%s' -o '%s'", wat, wasm);
    size_t len = 0;
    uint8_t *bytes = system(cmd) == 0 ? read_all(wasm, &len) : NULL;
    if (bytes)
      samples[nsamples++] = (Sample){wat_sources[i].name, bytes, len, wat_sources[i].exports};
    else
      fprintf(stderr, "wasm_fuzz: wat2wasm failed on %s\n", wat_sources[i].name);
    remove(wat);
    remove(wasm);
  }
  rmdir(dir);
}

/* --- checking one input ------------------------------------------------------------ */

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef struct Stats {
  size_t inputs, rejected, accepted, executed, interrupted, hung;
  double deadline; /* executing mutants stops here; decoding goes on */
} Stats;

static Runtime *new_runtime(void) {
  wasm_init_gc_kinds();
  RuntimeOptions ro = {.max_heap_bytes = 256u << 20};
  Runtime *rt = rt_new(&ro);
  ck_assert_ptr_nonnull(rt);
  return rt;
}

static bool resolve_nothing(void *data, const char *module, const char *name, WasmExtern *out) {
  (void)data, (void)module, (void)name, (void)out;
  return false;
}

static void save_reproducer(const uint8_t *bytes, size_t len, const char *what) {
  char path[] = "/tmp/wasm_fuzz_failure_XXXXXX.wasm";
  int fd = mkstemps(path, 5);
  if (fd < 0) return;
  if (write(fd, bytes, len) != (ssize_t)len) fprintf(stderr, "wasm_fuzz: short write\n");
  close(fd);
  fprintf(stderr, "wasm_fuzz: %s; input saved as %s\n", what, path);
}

/* Argument values tried for each call: zeros first, then small and edge values. */
static void make_args(const uint8_t *types, uint32_t n, int round, WasmVal *args) {
  static const uint64_t ints[] = {0, 7, 0xFFFFFFFFu, 1};
  static const uint32_t f32s[] = {0x00000000u, 0x40E00000u /* 7 */, 0x7FC00000u, 0xFF800000u};
  static const uint64_t f64s[] = {0, 0x401C000000000000ull, 0x7FF8000000000000ull,
                                  0x8000000000000000ull};
  for (uint32_t i = 0; i < n; i++) {
    memset(&args[i], 0, sizeof args[i]);
    args[i].type = types[i];
    switch (types[i]) {
    case WASM_I32: args[i].of.i32 = (uint32_t)ints[round]; break;
    case WASM_I64: args[i].of.i64 = ints[round] | (round == 2 ? ~0ull : 0); break;
    case WASM_F32: args[i].of.f32 = f32s[round]; break;
    case WASM_F64: args[i].of.f64 = f64s[round]; break;
    case WASM_V128: memset(args[i].of.v128, round * 0x11, 16); break;
    default: args[i].of.ref = VAL_NULL; break;
    }
  }
}

/* The child's watchdog: the first alarm asks the running code to stop (the
 * interpreter checks the flag on branches and calls); if it is still running
 * at the second, the default action ends the child. */
static Runtime *child_rt;
static volatile sig_atomic_t alarms, interrupted;
static void on_alarm(int sig) {
  if (alarms++ == 0) {
    child_rt->interrupt_requested = 1;
    interrupted = 1;
    return;
  }
  signal(sig, SIG_DFL);
  raise(sig);
}

static void arm_watchdog(long usec) {
  alarms = 0;
  struct itimerval t = {{0, usec}, {0, usec}};
  setitimer(ITIMER_REAL, &t, NULL);
}

/* In a child: instantiate and call every known export with a few argument
 * sets. Traps and link errors are fine; only crashes (and sanitizer
 * reports, which exit non-zero) are failures. Exit status 10 says a runaway
 * call was stopped through the interrupt flag. */
static void run_exports_in_child(Runtime *rt, WasmModule *m, const char *const *exports) {
  /* Replaces Check's inherited SIGALRM handler, which would kill the whole
   * process group. */
  child_rt = rt;
  signal(SIGALRM, on_alarm);
  arm_watchdog(150000);
  WasmInstance *inst = wasm_instantiate(rt, m, resolve_nothing, NULL);
  if (!inst) _exit(0);
  for (size_t e = 0; exports[e]; e++) {
    WasmExtern ext;
    if (!wasm_instance_export(inst, exports[e], &ext) || ext.kind != WASM_EXTERN_FUNC) continue;
    const uint8_t *params, *results;
    uint32_t np, nr;
    if (!wasm_func_type(ext.obj, &params, &np, &results, &nr)) _exit(3);
    WasmVal *args = calloc(np + 1, sizeof *args), *res = calloc(nr + 1, sizeof *res);
    if (!args || !res) _exit(4);
    for (int round = 0; round < 4; round++) {
      make_args(params, np, round, args);
      arm_watchdog(150000);
      if (!wasm_call(rt, ext.obj, args, np, res, nr)) {
        if (!rt_has_exception(rt)) _exit(5); /* failed without saying why */
        rt_clear_exception(rt);
      }
      rt->interrupt_requested = 0;
    }
    free(args);
    free(res);
  }
  _exit(interrupted ? 10 : 0);
}

static void execute_forked(Runtime *rt, WasmModule *m, const uint8_t *bytes, size_t len,
                           const char *const *exports, Stats *st) {
  fflush(NULL);
  pid_t pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) run_exports_in_child(rt, m, exports);
  int status;
  ck_assert_int_eq(waitpid(pid, &status, 0), pid);
  st->executed++;
  if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) {
    st->hung++; /* a mutant may well loop forever: not stopped by the flag */
    return;
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 10) {
    st->interrupted++;
    return;
  }
  if (WIFSIGNALED(status) || WEXITSTATUS(status) != 0) {
    char what[128];
    snprintf(what, sizeof what, "running a mutant failed (%s %d)",
             WIFSIGNALED(status) ? "signal" : "exit status",
             WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    save_reproducer(bytes, len, what);
    ck_abort_msg("%s", what);
  }
}

/* Decodes one input from an exactly-sized copy, so that any read past the end
 * is caught by AddressSanitizer. */
static void check_input(Runtime *rt, const uint8_t *bytes, size_t len, const char *const *exports,
                        Stats *st) {
  uint8_t *copy = malloc(len ? len : 1);
  ck_assert_ptr_nonnull(copy);
  memcpy(copy, bytes, len);
  st->inputs++;
  /* WASM_FUZZ_TRACE=1 names each input before it runs, to find a killer. */
  static int trace = -1;
  if (trace < 0) trace = getenv("WASM_FUZZ_TRACE") != NULL;
  if (trace) {
    fprintf(stderr, "wasm_fuzz: input %zu (%zu bytes)\n", st->inputs, len);
    FILE *f = fopen("/tmp/wasm_fuzz_current.wasm", "wb");
    if (f) {
      fwrite(copy, 1, len, f);
      fclose(f);
    }
  }
  WasmModule *m = wasm_module_new(rt, copy, len);
  if (!m) {
    st->rejected++;
    if (!rt_has_exception(rt)) save_reproducer(copy, len, "rejected without a pending error");
    ck_assert_msg(rt_has_exception(rt), "wasm_module_new failed without a pending error");
    const char *msg = rt_exception_message(rt);
    if (rt_exception_kind(rt) != ERR_CompileError || !strstr(msg, "at offset"))
      save_reproducer(copy, len, "bad rejection");
    ck_assert_msg(rt_exception_kind(rt) == ERR_CompileError, "rejected with %s: %s",
                  error_kind_name(rt_exception_kind(rt)), msg);
    ck_assert_msg(strstr(msg, "at offset") != NULL, "CompileError without an offset: %s", msg);
    rt_clear_exception(rt);
  } else {
    st->accepted++;
    if (now_seconds() < st->deadline) execute_forked(rt, m, copy, len, exports, st);
  }
  free(copy);
}

static void print_stats(const char *what, const Stats *st) {
  fprintf(stderr,
          "wasm_fuzz: %s: %zu inputs, %zu rejected, %zu valid, %zu executed (%zu runaway calls "
          "interrupted, %zu killed)\n",
          what, st->inputs, st->rejected, st->accepted, st->executed, st->interrupted, st->hung);
}

/* --- the tests ------------------------------------------------------------------------ */

/* The unmutated modules validate and compute the right answers, so the fuzz
 * tests below really exercise the decoder rather than rejecting everything. */
START_TEST(originals_work) {
  Runtime *rt = new_runtime();
  for (size_t i = 0; i < nsamples; i++) {
    WasmModule *m = wasm_module_new(rt, samples[i].bytes, samples[i].len);
    ck_assert_msg(m != NULL, "%s does not compile: %s", samples[i].name, rt_exception_message(rt));
    WasmInstance *inst = wasm_instantiate(rt, m, resolve_nothing, NULL);
    ck_assert_msg(inst != NULL, "%s does not instantiate: %s", samples[i].name,
                  rt_exception_message(rt));
    WasmExtern ext;
    const char *name = samples[i].exports[0];
    ck_assert_msg(wasm_instance_export(inst, name, &ext), "%s: no export %s", samples[i].name,
                  name);
    ck_assert_int_eq(ext.kind, WASM_EXTERN_FUNC);
    WasmVal arg = {.type = WASM_I32, .of.i32 = 0}, res = {0};
    if (strcmp(name, "inc") == 0) arg.of.i32 = 41;
    ck_assert_msg(wasm_call(rt, ext.obj, &arg, 1, &res, 1), "%s.%s trapped: %s", samples[i].name,
                  name, rt_exception_message(rt));
    /* inc(41) = 42; dispatch(0) = add(6, 3); bulk(0) = "abcd" + 7; lanes(0) = 3;
     * copy(0) = 'y' */
    uint32_t want = strcmp(name, "inc") == 0        ? 42
                    : strcmp(name, "dispatch") == 0 ? 9
                    : strcmp(name, "bulk") == 0     ? 0x64636261u + 7
                    : strcmp(name, "copy") == 0     ? 'y'
                                                    : 3;
    ck_assert_uint_eq(res.of.i32, want);
  }
  rt_free(rt);
}
END_TEST

START_TEST(truncations) {
  Runtime *rt = new_runtime();
  Stats st = {.deadline = now_seconds() + 6};
  for (size_t i = 0; i < nsamples; i++)
    for (size_t len = 0; len < samples[i].len; len++)
      check_input(rt, samples[i].bytes, len, samples[i].exports, &st);
  print_stats("truncations", &st);
  ck_assert_uint_gt(st.rejected, 0);
  rt_free(rt);
}
END_TEST

START_TEST(bit_flips) {
  Runtime *rt = new_runtime();
  Stats st = {.deadline = now_seconds() + 8};
  for (size_t i = 0; i < nsamples; i++) {
    uint8_t *buf = malloc(samples[i].len);
    ck_assert_ptr_nonnull(buf);
    for (size_t bit = 0; bit < samples[i].len * 8; bit++) {
      memcpy(buf, samples[i].bytes, samples[i].len);
      buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
      check_input(rt, buf, samples[i].len, samples[i].exports, &st);
    }
    free(buf);
  }
  print_stats("bit flips", &st);
  ck_assert_uint_gt(st.rejected, 0);
  rt_free(rt);
}
END_TEST

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rng(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

/* Overwrites, inserts, deletes and duplicates bytes, with a bias towards the
 * values that matter to LEB128 and section framing. */
static size_t mutate(uint8_t *buf, size_t len, size_t cap) {
  static const uint8_t interesting[] = {0x00, 0x01, 0x7F, 0x80, 0xFF, 0x40, 0x0B, 0x41, 0x60, 0x70};
  int edits = 1 + (int)(rng() % 4);
  for (int e = 0; e < edits && len > 0; e++) {
    size_t at = (size_t)(rng() % len);
    uint8_t val = rng() % 2 ? (uint8_t)rng() : interesting[rng() % sizeof interesting];
    switch (rng() % 4) {
    case 0: buf[at] = val; break;
    case 1:
      if (len < cap) {
        memmove(buf + at + 1, buf + at, len - at);
        buf[at] = val;
        len++;
      }
      break;
    case 2:
      memmove(buf + at, buf + at + 1, len - at - 1);
      len--;
      break;
    default: {
      size_t n = 1 + (size_t)(rng() % 8);
      if (at + n <= len && len + n <= cap) {
        memmove(buf + at + n, buf + at, len - at);
        len += n;
      }
      break;
    }
    }
  }
  return len;
}

START_TEST(random_mutations) {
  Runtime *rt = new_runtime();
  Stats st = {.deadline = now_seconds() + 6};
  double stop = now_seconds() + 10;
  for (size_t i = 0; i < nsamples; i++) {
    size_t cap = samples[i].len + 64;
    uint8_t *buf = malloc(cap);
    ck_assert_ptr_nonnull(buf);
    for (int round = 0; round < 3000 && now_seconds() < stop; round++) {
      memcpy(buf, samples[i].bytes, samples[i].len);
      size_t len = mutate(buf, samples[i].len, cap);
      check_input(rt, buf, len, samples[i].exports, &st);
    }
    free(buf);
  }
  print_stats("random mutations", &st);
  ck_assert_uint_gt(st.rejected, 0);
  rt_free(rt);
}
END_TEST

int main(void) {
  build_corpus();
  Suite *s = suite_create("wasm_fuzz");
  TCase *tc = tcase_create("fuzz");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, originals_work);
  tcase_add_test(tc, truncations);
  tcase_add_test(tc, bit_flips);
  tcase_add_test(tc, random_mutations);
  suite_add_tcase(s, tc);
  return test_run_suite(s);
}
