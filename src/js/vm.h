/* vm.h: the JavaScript virtual machine's internals shared by the compiler,
 * the interpreter and the built-ins: realms and their intrinsics, frames,
 * function objects (bytecode closures and native functions), calls, and the
 * abstract operations (conversions, equality, property access on any value). */
#ifndef TANDEM_JS_VM_H
#define TANDEM_JS_VM_H

#include <stdbool.h>
#include <stdint.h>

#include "core/atom.h"
#include "core/object.h"
#include "core/runtime.h"
#include "core/string.h"
#include "core/symbol.h"
#include "js/bytecode.h"

/* --- realms ----------------------------------------------------------------------
 * Intrinsic objects of a realm, defined once. */
#define JS_INTRINSIC_LIST(X)                                                                       \
  X(ObjectPrototype)                                                                               \
  X(FunctionPrototype)                                                                             \
  X(ArrayPrototype)                                                                                \
  X(StringPrototype)                                                                               \
  X(NumberPrototype)                                                                               \
  X(BooleanPrototype)                                                                              \
  X(SymbolPrototype)                                                                               \
  X(BigIntPrototype)                                                                               \
  X(IteratorPrototype)                                                                             \
  X(ArrayIteratorPrototype)                                                                        \
  X(StringIteratorPrototype)                                                                       \
  X(ForInIteratorPrototype)                                                                        \
  X(Object)                                                                                        \
  X(Function)                                                                                      \
  X(Array)                                                                                         \
  X(ThrowTypeError)                                                                                \
  X(ArrayProtoValues)

typedef enum JsIntrinsic {
#define JS_INTRINSIC_ENUM(name) JS_INTR_##name,
  JS_INTRINSIC_LIST(JS_INTRINSIC_ENUM)
#undef JS_INTRINSIC_ENUM
      JS_INTR_COUNT
} JsIntrinsic;

typedef struct JsRealm {
  Context *ctx;
  Value global;                     /* the global object */
  Value global_lex;                 /* global let/const/class bindings (a null-prototype object) */
  Value intrinsics[JS_INTR_COUNT];
  Value error_protos[ERR_COUNT];    /* Error.prototype, TypeError.prototype, ... */
  Value error_ctors[ERR_COUNT];
  Value templates;                  /* template objects by site (a null-prototype object) */
  struct JsRealm *next_realm;       /* all realms of the runtime (for GC tracing) */
} JsRealm;

static inline Value js_intrinsic(JsRealm *r, JsIntrinsic i) { return r->intrinsics[i]; }

/* Per-runtime state of the JS layer (rt->js). */
typedef struct JsFrame JsFrame;
typedef struct JsRuntime {
  JsRealm *realms;        /* every live realm */
  JsRealm *current;       /* realm of the running code */
  JsFrame *top;           /* innermost frame (bytecode or native) */
  bool trace_ic;          /* --trace-ic */
  void (*print)(Runtime *rt, const char *utf8, size_t len); /* print/console.log sink */
} JsRuntime;

static inline JsRuntime *js_rt(Runtime *rt) { return (JsRuntime *)rt->js; }
static inline JsRealm *js_realm(Runtime *rt) { return js_rt(rt)->current; }

/* Creates the JS layer of a runtime (idempotent) and a realm for ctx. */
bool js_runtime_init(Runtime *rt);
void js_runtime_free(Runtime *rt);
JsRealm *js_realm_new(Context *ctx);
void js_realm_free(JsRealm *realm);

/* --- frames ----------------------------------------------------------------------
 * Every running function, bytecode or native, has a frame on the C stack,
 * linked from JsRuntime.top: for stack traces, `arguments`, and the JIT. */
struct JsFrame {
  JsFrame *prev;
  Object *func;              /* the running function object (NULL for scripts) */
  JsFunctionCode *code;      /* NULL for native functions */
  const uint16_t *pc;        /* current instruction (saved at calls) */
  Value this_val;
  Value new_target;
  const Value *argv;
  uint32_t argc;
  JsEnv *env;
  Value *regs;
  JsRealm *realm;
};

/* --- function objects -------------------------------------------------------------
 * Functions are objects of class Function with these internal fields. */
enum {
  FN_CODE,   /* bytecode: the JsFunctionCode; native: val_from_int(native id) */
  FN_ENV,    /* bytecode: the closure's JsEnv (or undefined); native: its data value */
  FN_HOME,   /* home object for super (methods), else undefined */
  FN_THIS,   /* arrows: the captured this */
  FN_NEWTGT, /* arrows: the captured new.target */
  FN_INTERNAL_COUNT
};

/* A native (C) function: one calling convention for every built-in.
 * argv has at least `nargs` (the declared length) entries, padded with
 * undefined, so natives can read their declared parameters without checks.
 * new_target is undefined for a plain call. Returns VAL_EXCEPTION with an
 * exception pending on failure. */
typedef Value (*JsNativeFn)(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,
                            Value new_target, int magic);

enum { JS_NATIVE_CTOR = 1 }; /* may be called with new */

/* A new native function object. name may be a C string, or NULL with
 * name_atom given (for symbols). */
Value js_native_new(Runtime *rt, JsRealm *realm, const char *name, JsNativeFn fn, int length,
                    int magic, unsigned flags);
/* Defines a native method `name` on obj (writable, configurable, not enumerable). */
bool js_define_method(Runtime *rt, Value obj, const char *name, JsNativeFn fn, int length,
                      int magic);
/* Defines a data property with the given attributes by C-string name. */
bool js_define_value(Runtime *rt, Value obj, const char *name, Value v, uint8_t attrs);
bool js_define_getter(Runtime *rt, Value obj, Atom key, JsNativeFn fn, int magic);

/* A closure of code over env. */
Value js_closure_new(Runtime *rt, JsRealm *realm, JsFunctionCode *code, JsEnv *env);
bool js_is_callable(Value v);
bool js_is_constructor(Value v);

/* [[Call]] and [[Construct]] of any function value. */
Value js_call(Runtime *rt, Value func, Value this_val, int argc, const Value *argv);
Value js_construct(Runtime *rt, Value func, int argc, const Value *argv, Value new_target);
/* Calls obj[key](args). */
Value js_invoke(Runtime *rt, Value obj, Atom key, int argc, const Value *argv);

/* Runs a bytecode function (interp.c). */
Value js_interp_run(Runtime *rt, Object *func, JsFunctionCode *code, JsEnv *env, Value this_val,
                    int argc, const Value *argv, Value new_target);

/* --- errors ------------------------------------------------------------------------ */
/* Throws a new error object of `kind` in the current realm. Returns VAL_EXCEPTION. */
Value js_throw(Runtime *rt, ErrorKind kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* An error object with message and a `stack` captured from the current frames. */
Value js_error_new(Runtime *rt, ErrorKind kind, Value message);
/* The stack trace text ("    at f (file:line:col)" lines) of the current frames. */
Value js_capture_stack(Runtime *rt);

/* --- conversions and operators (ops.c) ---------------------------------------------- */
bool js_to_boolean(Value v);
/* Each returns false with an exception pending on failure. */
bool js_to_number(Runtime *rt, Value v, double *out);
bool js_to_numeric(Runtime *rt, Value v, Value *out); /* number or BigInt */
bool js_to_int32(Runtime *rt, Value v, int32_t *out);
bool js_to_uint32(Runtime *rt, Value v, uint32_t *out);
bool js_to_integer_or_infinity(Runtime *rt, Value v, double *out);
bool js_to_length(Runtime *rt, Value v, uint64_t *out);
Value js_to_string(Runtime *rt, Value v);          /* string or VAL_EXCEPTION */
Value js_to_property_key(Runtime *rt, Value v);    /* atom (string or symbol) or VAL_EXCEPTION */
Value js_to_object(Runtime *rt, Value v);          /* object or VAL_EXCEPTION */
Value js_to_primitive(Runtime *rt, Value v, int hint); /* hint: 0 default, 1 number, 2 string */
Value js_number_to_string(Runtime *rt, double d);
/* Formats d as JavaScript's Number::toString(10) does (shortest round trip). */
int js_format_number(double d, char *buf, size_t size);
/* StringToNumber of UTF-8/Latin-1 text (whitespace trimmed; NaN when invalid). */
double js_string_to_number(const uint8_t *chars, size_t len);
Value js_typeof(Runtime *rt, Value v);             /* the typeof string */

bool js_strict_equals(Runtime *rt, Value a, Value b);
bool js_loose_equals(Runtime *rt, Value a, Value b, bool *out);
bool js_same_value(Runtime *rt, Value a, Value b);
bool js_same_value_zero(Runtime *rt, Value a, Value b);
/* a < b (IsLessThan with LeftFirst): *out is 1 true, 0 false, -1 undefined (NaN). */
bool js_less_than(Runtime *rt, Value a, Value b, bool left_first, int *out);
Value js_add(Runtime *rt, Value a, Value b);
/* Numeric binary operator by opcode (SUB..SHR, not ADD). */
Value js_arith(Runtime *rt, int op, Value a, Value b);
bool js_instance_of(Runtime *rt, Value v, Value target, bool *out);
/* Number::remainder, Number::exponentiate and ToInt32 on a double. */
double js_number_mod(double x, double y);
double js_number_pow(double x, double y);
int32_t js_double_to_int32(double d);

/* --- property access on any value ---------------------------------------------------- */
Value js_get(Runtime *rt, Value obj, Atom key);               /* obj[key] with ToObject for primitives */
Value js_get_v(Runtime *rt, Value obj, Value key);            /* obj[key] for any key value */
bool js_set(Runtime *rt, Value obj, Atom key, Value v, bool strict);
bool js_set_v(Runtime *rt, Value obj, Value key, Value v, bool strict);
/* Get with an explicit receiver (for super and proxies). */
Value js_get_with_receiver(Runtime *rt, Object *o, Atom key, Value receiver);
bool js_set_with_receiver(Runtime *rt, Object *o, Atom key, Value v, Value receiver, bool strict);
bool js_has_property(Runtime *rt, Object *o, Atom key, bool *out);
bool js_delete(Runtime *rt, Value obj, Value key, bool strict, bool *out);
/* CreateDataPropertyOrThrow. */
bool js_create_data_property(Runtime *rt, Object *o, Atom key, Value v);
Value js_get_prototype_of(Runtime *rt, Value v);
/* An array of the given values in the current realm. */
Value js_array_new(Runtime *rt, uint32_t count, const Value *values);
bool js_array_push(Runtime *rt, Object *arr, Value v);
/* An atom from an index (for array keys beyond the element store). */
Atom js_atom_from_index(Runtime *rt, uint32_t index);
/* Objects created by `new F` get F.prototype (or the realm's default). */
Value js_get_prototype_from_ctor(Runtime *rt, Value ctor, JsIntrinsic fallback);

/* Iteration protocol. */
bool js_get_iterator(Runtime *rt, Value obj, Value *iter, Value *next);
/* Steps: *done set; *value the next value when not done. */
bool js_iterator_step(Runtime *rt, Value iter, Value next, bool *done, Value *value);
/* IteratorClose on an abrupt exit: keeps a pending exception if there is one. */
void js_iterator_close(Runtime *rt, Value iter);

/* --- built-ins ------------------------------------------------------------------------ */
/* Each builtins/ file installs its objects on a new realm. */
bool js_builtins_object(Runtime *rt, JsRealm *realm);
bool js_builtins_function(Runtime *rt, JsRealm *realm);
bool js_builtins_array(Runtime *rt, JsRealm *realm);
bool js_builtins_error(Runtime *rt, JsRealm *realm);
bool js_builtins_global(Runtime *rt, JsRealm *realm);
bool js_builtins_math(Runtime *rt, JsRealm *realm);
bool js_builtins_string(Runtime *rt, JsRealm *realm);
bool js_builtins_number(Runtime *rt, JsRealm *realm);
bool js_builtins_symbol(Runtime *rt, JsRealm *realm);

#endif
