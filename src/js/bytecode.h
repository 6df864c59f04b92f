/* bytecode.h: tandem's JavaScript bytecode, defined once. A register
 * machine: operands name frame registers, so most instructions are one
 * dispatch. The X-macro below generates the opcode enum, the operand layout
 * used by the compiler, the disassembler (--print-bytecode) and the
 * interpreter's dispatch table. See docs/bytecode.md. */
#ifndef TANDEM_JS_BYTECODE_H
#define TANDEM_JS_BYTECODE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/atom.h"
#include "core/object.h"
#include "core/runtime.h"
#include "core/shape.h"
#include "gc/gc.h"

/* Code is an array of 16-bit units: the opcode, then its operands. Operand
 * kinds (one letter each in the layout strings):
 *   r  register (u16)            k  constant-pool index (u16)
 *   i  signed 16-bit immediate   n  unsigned 16-bit count or index
 *   f  feedback slot (u16)       j  jump: signed 32-bit offset (2 units),
 *                                   relative to the start of the next instruction
 * X(NAME, "layout", "what it does") */
#define JS_OPCODE_LIST(X)                                                                          \
  X(NOP, "", "nothing")                                                                            \
  X(MOV, "rr", "r0 = r1")                                                                          \
  X(LOADK, "rk", "r0 = constant k")                                                                \
  X(LOADI, "ri", "r0 = small integer i")                                                           \
  X(LOADUNDEF, "r", "r0 = undefined")                                                              \
  X(LOADNULL, "r", "r0 = null")                                                                    \
  X(LOADTRUE, "r", "r0 = true")                                                                    \
  X(LOADFALSE, "r", "r0 = false")                                                                  \
  X(LOADUNINIT, "r", "r0 = <uninitialized> (let/const/class before initialization)")              \
  X(CHECKTDZ, "rk", "ReferenceError unless r0 is initialized; k: the variable's name")             \
  X(CHECKCONST, "k", "TypeError: assignment to constant variable k")                               \
  X(LOADTHIS, "r", "r0 = this (ReferenceError in a derived constructor before super())")          \
  X(LOADNEWTARGET, "r", "r0 = new.target")                                                         \
  X(LOADFUNC, "r", "r0 = the running function")                                                    \
  X(GETARG, "rn", "r0 = argument n (undefined when fewer were passed)")                            \
  X(GETENV, "rnn", "r0 = slot n2 of the environment n1 hops up")                                   \
  X(SETENV, "nnr", "slot n1 of the environment n0 hops up = r2")                                   \
  X(PUSHENV, "n", "enter a block scope whose captured bindings need n slots")                      \
  X(POPENV, "", "leave the innermost block scope")                                                 \
  X(GETGLOBAL, "rkf", "r0 = global variable k (ReferenceError when absent)")                       \
  X(TYPEOFGLOBAL, "rkf", "r0 = global variable k, or undefined when absent (for typeof)")          \
  X(SETGLOBAL, "krf", "global variable k = r1 (ReferenceError when absent in strict code)")        \
  X(DEFVAR, "kn", "declare global var k (n: 1 = function declaration, 0 = var)")                   \
  X(DEFLEX, "kn", "declare global lexical binding k (n: 1 = const)")                               \
  X(INITGLOBAL, "kr", "initialize the global binding k (var, function or lexical) to r1")          \
  X(GETNAME, "rkf", "r0 = variable k looked up dynamically (with / sloppy eval scopes)")           \
  X(SETNAME, "krf", "variable k = r1, looked up dynamically")                                      \
  X(GETPROP, "rrkf", "r0 = r1.k")                                                                  \
  X(SETPROP, "rkrf", "r0.k = r2")                                                                  \
  X(GETELEM, "rrrf", "r0 = r1[r2]")                                                                \
  X(SETELEM, "rrrf", "r0[r1] = r2")                                                                \
  X(DELPROP, "rrr", "r0 = delete r1[r2]")                                                          \
  X(IN, "rrr", "r0 = r1 in r2")                                                                    \
  X(DEFFIELD, "rkr", "define own enumerable data property r0.k = r2 (object literals)")            \
  X(DEFELEM, "rrr", "define own enumerable data property r0[r1] = r2")                             \
  X(DEFGETTER, "rrr", "define getter r2 for key r1 on r0 (enumerable n/a: literal)")              \
  X(DEFSETTER, "rrr", "define setter r2 for key r1 on r0")                                         \
  X(DEFMETHOD, "rrrn", "define method r2 at key r1 on r0; n: 0 method, 1 getter, 2 setter; "      \
                       "non-enumerable (classes)")                                                 \
  X(SETPROTO, "rr", "r0.[[Prototype]] = r1 when r1 is an object or null (__proto__: in literals)") \
  X(COPYPROPS, "rr", "copy r1's own enumerable properties to r0 (object spread)")                  \
  X(NEWOBJ, "r", "r0 = {}")                                                                        \
  X(NEWARR, "rn", "r0 = [] with room for n elements")                                              \
  X(ARRPUSH, "rr", "append r1 to array r0")                                                        \
  X(ARRHOLE, "r", "append a hole to array r0")                                                     \
  X(ARRSPREAD, "rr", "append every value of iterable r1 to array r0")                              \
  X(ADD, "rrrf", "r0 = r1 + r2")                                                                   \
  X(SUB, "rrrf", "r0 = r1 - r2")                                                                   \
  X(MUL, "rrrf", "r0 = r1 * r2")                                                                   \
  X(DIV, "rrrf", "r0 = r1 / r2")                                                                   \
  X(MOD, "rrrf", "r0 = r1 % r2")                                                                   \
  X(EXP, "rrrf", "r0 = r1 ** r2")                                                                  \
  X(BITAND, "rrrf", "r0 = r1 & r2")                                                                \
  X(BITOR, "rrrf", "r0 = r1 | r2")                                                                 \
  X(BITXOR, "rrrf", "r0 = r1 ^ r2")                                                                \
  X(SHL, "rrrf", "r0 = r1 << r2")                                                                  \
  X(SAR, "rrrf", "r0 = r1 >> r2")                                                                  \
  X(SHR, "rrrf", "r0 = r1 >>> r2")                                                                 \
  X(EQ, "rrrf", "r0 = r1 == r2")                                                                   \
  X(NE, "rrrf", "r0 = r1 != r2")                                                                   \
  X(SEQ, "rrrf", "r0 = r1 === r2")                                                                 \
  X(SNE, "rrrf", "r0 = r1 !== r2")                                                                 \
  X(LT, "rrrf", "r0 = r1 < r2")                                                                    \
  X(LE, "rrrf", "r0 = r1 <= r2")                                                                   \
  X(GT, "rrrf", "r0 = r1 > r2")                                                                    \
  X(GE, "rrrf", "r0 = r1 >= r2")                                                                   \
  X(INSTANCEOF, "rrr", "r0 = r1 instanceof r2")                                                    \
  X(NEG, "rr", "r0 = -r1")                                                                         \
  X(TONUMBER, "rr", "r0 = +r1 (ToNumber)")                                                         \
  X(TONUMERIC, "rr", "r0 = ToNumeric(r1) (for postfix ++/--)")                                     \
  X(NOT, "rr", "r0 = !r1")                                                                         \
  X(BITNOT, "rr", "r0 = ~r1")                                                                      \
  X(TYPEOF, "rr", "r0 = typeof r1")                                                                \
  X(INC, "rrf", "r0 = r1 + 1 (numeric)")                                                           \
  X(DEC, "rrf", "r0 = r1 - 1 (numeric)")                                                           \
  X(TOSTRING, "rr", "r0 = ToString(r1) (template literals)")                                      \
  X(TOPROPKEY, "rr", "r0 = r1, through ToPropertyKey if an object (computed keys)")             \
  X(JMP, "j", "jump")                                                                              \
  X(JT, "rj", "jump if r0 is truthy")                                                              \
  X(JF, "rj", "jump if r0 is falsy")                                                               \
  X(JNULLISH, "rj", "jump if r0 is null or undefined")                                             \
  X(JNOTNULLISH, "rj", "jump unless r0 is null or undefined")                                      \
  X(JUNDEF, "rj", "jump if r0 is undefined")                                                       \
  X(LOOP, "jf", "backward jump of a loop; counts the back edge (f: loop counter slot)")            \
  X(CALL, "rrrrnf", "r0 = r1.call(r2, r3 .. r3+n-1)")                                              \
  X(CALLSPREAD, "rrrr", "r0 = r1.apply(r2, array r3)")                                             \
  X(NEW, "rrrnf", "r0 = new r1(r2 .. r2+n-1)")                                                     \
  X(NEWSPREAD, "rrr", "r0 = new r1(...array r2)")                                                  \
  X(SUPERCALL, "rrn", "r0 = super(r1 .. r1+n-1) in a derived constructor; binds this")             \
  X(SUPERCALLSPREAD, "rr", "r0 = super(...array r1)")                                              \
  X(RET, "r", "return r0")                                                                         \
  X(RETUNDEF, "", "return undefined")                                                              \
  X(CLOSURE, "rk", "r0 = a new closure of function code k over the current environment")          \
  X(CLASS, "rrrk", "r0 = class constructor from code k with parent r2; r1 = its prototype object") \
  X(GETSUPER, "rrr", "r0 = super[r2] with this r1 (home object's prototype)")                      \
  X(SETSUPER, "rrr", "super[r1] = r2 with this r0")                                                \
  X(THROW, "r", "throw r0")                                                                        \
  X(THROWERR, "nk", "throw a new error of kind n with message constant k")                         \
  X(TRY, "nj", "push an exception handler whose catch code starts at the jump target; registers "\
                "from n up are dead when it runs (cleared, so they keep no garbage alive)")         \
  X(ENDTRY, "", "pop the innermost exception handler")                                             \
  X(CATCH, "r", "r0 = the exception just caught (first instruction of a handler)")                 \
  X(GETITER, "rr", "r0, r0+1 = iterator and its next method of r1")                                \
  X(ITERNEXT, "rrr", "r0 = next value of iterator r2 (r2, r2+1); r1 = done")                       \
  X(ITERCLOSE, "r", "call return() of iterator r0 (if any) on an early exit")                      \
  X(FORIN, "rr", "r0 = a for-in key iterator over r1")                                             \
  X(FORINNEXT, "rrj", "r0 = next key of for-in iterator r1, or jump when done")                    \
  X(ARGUMENTS, "r", "r0 = the arguments object")                                                   \
  X(REST, "rn", "r0 = array of the arguments from index n on")                                     \
  X(TEMPLATE, "rk", "r0 = the cached template object for template site k")                        \
  X(REGEXP, "rkk", "r0 = new RegExp(pattern k1, flags k2)")                                       \
  X(DEBUGGER, "", "debugger statement (no-op)")

typedef enum JsOpcode {
#define JS_OP_ENUM(name, layout, doc) OP_##name,
  JS_OPCODE_LIST(JS_OP_ENUM)
#undef JS_OP_ENUM
      OP_COUNT
} JsOpcode;

/* Operand layout of each opcode and the instruction length in code units. */
extern const char *const js_op_layout[OP_COUNT];
extern const char *const js_op_name[OP_COUNT];
extern const uint8_t js_op_length[OP_COUNT];

/* --- feedback (the profiler) ---------------------------------------------------
 * One entry per feedback slot. Property sites cache up to JS_IC_POLY shapes;
 * arithmetic sites record the operand types seen; loop sites count back
 * edges. The JIT reads these. */
#define JS_IC_POLY 4

enum { IC_UNINIT, IC_MONO, IC_POLY, IC_MEGA };

/* Observed operand types (bit set) for arithmetic / comparison sites. */
enum { TY_INT = 1, TY_DOUBLE = 2, TY_STRING = 4, TY_OTHER = 8 };

typedef struct JsICEntry {
  Shape *shape;      /* receiver shape */
  Object *holder;    /* NULL: own property of the receiver */
  uint32_t index;    /* slot index (inline: into fields; else into slots) */
  uint8_t loc;       /* PropLocKind */
  uint32_t epoch;    /* prototype epoch when holder != receiver, or of an add */
  Shape *new_shape;  /* stores that add the property: the shape after the add */
} JsICEntry;

typedef struct JsFeedback {
  uint8_t state;     /* IC_* for property sites */
  uint8_t types;     /* TY_* for arithmetic sites */
  uint8_t count;     /* entries used */
  uint32_t hits;     /* back edges for LOOP, calls for CALL */
  Value target;      /* CALL/NEW: the one callee seen (or VAL_UNDEFINED when several) */
  JsICEntry e[JS_IC_POLY];
} JsFeedback;

/* --- compiled functions -------------------------------------------------------- */
enum {
  FC_STRICT = 1 << 0,
  FC_ARROW = 1 << 1,         /* lexical this / arguments / new.target */
  FC_CTOR = 1 << 2,          /* can be called with new (normal functions and classes) */
  FC_CLASS_CTOR = 1 << 3,    /* throws when called without new */
  FC_DERIVED = 1 << 4,       /* derived class constructor: this bound by super() */
  FC_METHOD = 1 << 5,        /* has a home object (super property access) */
  FC_GENERATOR = 1 << 6,
  FC_ASYNC = 1 << 7,
  FC_USES_ARGUMENTS = 1 << 8,
  FC_USES_THIS = 1 << 9,
  FC_SCRIPT = 1 << 10,       /* top-level code of a script */
  FC_NEEDS_ENV = 1 << 11,    /* function scope has captured bindings: make an environment */
  FC_SIMPLE_PARAMS = 1 << 12,
};

/* A function's bytecode and everything it refers to (GC_KIND_FUNCTION_CODE).
 * Immutable after compilation except the feedback and counters. */
typedef struct JsFunctionCode {
  GCHeader h;
  uint16_t *code;        /* malloc'd */
  uint32_t code_len;     /* in units */
  uint32_t flags;        /* FC_* */
  uint16_t nregs;        /* frame registers */
  uint16_t nparams;      /* formal parameters before the first default/rest (the length property) */
  uint16_t nformals;     /* formal parameter registers filled from arguments */
  uint16_t env_size;     /* slots of the function-scope environment (FC_NEEDS_ENV) */
  uint16_t nfeedback;
  uint32_t invocations;  /* profiler: calls so far */
  GCValueArray *consts;  /* constant pool: numbers, strings, atoms, nested codes */
  uint32_t nconsts;
  JsFeedback *feedback;  /* malloc'd, nfeedback entries */
  Value name;            /* atom (or the empty atom) */
  Value source;          /* the whole source text (string) for toString, or undefined */
  Value filename;        /* string */
  uint32_t src_start, src_end; /* this function's text in source */
  uint32_t *lines;       /* malloc'd: pairs (code offset, line << 12 | column), sorted */
  uint32_t nlines;
} JsFunctionCode;

/* Installs the GC callbacks for function code and environments (idempotent). */
void js_init_gc_kinds(void);

/* Source position of a code offset: line and column (1-based). */
void js_code_position(const JsFunctionCode *fc, uint32_t pc, uint32_t *line, uint32_t *col);

/* Environments (GC_KIND_ENV): closure-captured bindings of one scope. */
typedef struct JsEnv {
  GCHeader h; /* h.aux = number of slots */
  struct JsEnv *parent;
  Value slots[];
} JsEnv;

JsEnv *js_env_new(Runtime *rt, JsEnv *parent, uint32_t nslots);

/* Prints every function's bytecode (the shell's --print-bytecode). */
struct JsFunctionCode;
void js_disassemble(Runtime *rt, FILE *out, const JsFunctionCode *fc);

#endif
