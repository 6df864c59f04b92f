/* interp.c: the bytecode interpreter, tandem's first JavaScript tier. One C
 * call per JS call, registers in an alloca'd array on the native stack (so
 * the conservative GC scan sees them), computed-goto dispatch, inline caches
 * on property and global sites, and type feedback for the JIT. Errors jump to
 * the innermost handler pushed by TRY, or leave the function. */
#include <alloca.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "js/vm.h"

#define MAX_HANDLERS 64

typedef struct Handler {
  const uint16_t *pc; /* catch code */
  JsEnv *env;         /* environment to restore */
  uint32_t dead_from; /* registers from here up are dead in the handler */
} Handler;

/* Reads a property slot found by an inline cache. */
static inline Value *ic_slot(Object *holder, uint8_t loc, uint32_t index) {
  return loc == LOC_INLINE ? &holder->fields[index] : &holder->slots->v[index];
}

static const char *ic_state_name(int s) {
  static const char *const names[] = {"uninitialized", "monomorphic", "polymorphic", "megamorphic"};
  return names[s];
}

static void trace_ic(Runtime *rt, JsFunctionCode *code, const uint16_t *pc, const char *what,
                     Atom key, int from, int to) {
  uint32_t line, col;
  js_code_position(code, (uint32_t)(pc - code->code), &line, &col);
  char name[64] = "?", file[128] = "?";
  if (str_is_string(key)) str_to_utf8_buf(rt, key, name, sizeof name);
  if (str_is_string(code->filename)) str_to_utf8_buf(rt, code->filename, file, sizeof file);
  fprintf(stderr, "[ic] %s:%u:%u %s '%s': %s -> %s\n", file, line, col, what, name,
          ic_state_name(from), ic_state_name(to));
}

/* Records a load site's outcome in its feedback slot. */
static void ic_update_load(Runtime *rt, JsFunctionCode *code, const uint16_t *pc, JsFeedback *fb,
                           Object *o, Atom key, const char *what) {
  if (fb->state == IC_MEGA) return;
  ICInfo info;
  obj_ic_lookup(rt, o, key, &info);
  int from = fb->state;
  if (!info.cacheable || !info.found || info.accessor ||
      (info.loc != LOC_INLINE && info.loc != LOC_SLOTS)) {
    fb->state = IC_MEGA;
  } else {
    uint32_t i = 0;
    while (i < fb->count && fb->e[i].shape != info.shape) i++;
    if (i == JS_IC_POLY) {
      fb->state = IC_MEGA;
      goto traced;
    }
    if (i == fb->count) fb->count++;
    JsICEntry *e = &fb->e[i];
    e->shape = info.shape;
    e->holder = info.holder == o ? NULL : info.holder;
    e->index = info.index;
    e->loc = (uint8_t)info.loc;
    e->epoch = info.epoch;
    e->new_shape = NULL;
    fb->state = fb->count == 1 ? IC_MONO : IC_POLY;
  }
traced:
  if (from != fb->state && js_rt(rt)->trace_ic) trace_ic(rt, code, pc, what, key, from, fb->state);
}

/* A named store on an ordinary object through obj_set_ic, recording how to
 * repeat it (replace a slot, or add the property with a shape transition). */
static bool store_slow(Runtime *rt, JsFunctionCode *code, const uint16_t *pc, JsFeedback *fb,
                       Object *o, Atom key, Value v, bool strict) {
  uint32_t index;
  if (fb->state == IC_MEGA || atom_is_array_index(key, &index))
    return js_set_with_receiver(rt, o, key, v, obj_value(o), strict);
  Value fn = VAL_UNDEFINED;
  Object *exotic = NULL;
  ICStoreInfo ic = {0};
  ObjResult r = obj_set_ic(rt, o, key, v, &fn, &exotic, &ic);
  if (r == OBJ_ERROR) return false;
  if (r != OBJ_TRUE) {
    /* Setters, read-only properties and exotic objects: the generic path
     * (the store has not happened). */
    fb->state = IC_MEGA;
    return js_set_with_receiver(rt, o, key, v, obj_value(o), strict);
  }
  int from = fb->state;
  if (!ic.cacheable) {
    fb->state = IC_MEGA;
  } else {
    uint32_t i = 0;
    while (i < fb->count && fb->e[i].shape != ic.shape) i++;
    if (i == JS_IC_POLY) {
      fb->state = IC_MEGA;
    } else {
      if (i == fb->count) fb->count++;
      JsICEntry *e = &fb->e[i];
      e->shape = ic.shape;
      e->holder = NULL;
      e->new_shape = ic.add ? ic.new_shape : NULL;
      e->loc = (uint8_t)ic.loc;
      e->index = ic.index;
      e->epoch = ic.epoch;
      fb->state = fb->count == 1 ? IC_MONO : IC_POLY;
    }
  }
  if (from != fb->state && js_rt(rt)->trace_ic) trace_ic(rt, code, pc, "store", key, from, fb->state);
  return true;
}

static inline uint8_t type_bits(Value v) {
  if (val_is_int(v)) return TY_INT;
  if (val_is_double(v)) return TY_DOUBLE;
  if (val_is_ptr(v) && str_is_string(v)) return TY_STRING;
  return TY_OTHER;
}

/* --- globals ----------------------------------------------------------------------------- */

static Value global_lookup(Runtime *rt, JsRealm *realm, Atom key, bool for_typeof) {
  Object *lex = val_to_object(realm->global_lex);
  PropertyLookup l;
  obj_lookup(rt, lex, key, &l);
  if (l.result == OBJ_TRUE && l.holder == lex) {
    if (l.value == VAL_UNINITIALIZED) {
      char name[64];
      str_to_utf8_buf(rt, key, name, sizeof name);
      return js_throw(rt, ERR_ReferenceError, "Cannot access '%s' before initialization", name);
    }
    return l.value;
  }
  Object *g = val_to_object(realm->global);
  Object *exotic = NULL;
  bool has;
  if (!js_has_property(rt, g, key, &has)) return VAL_EXCEPTION;
  (void)exotic;
  if (!has) {
    if (for_typeof) return VAL_UNDEFINED;
    char name[64] = "?";
    if (str_is_string(key)) str_to_utf8_buf(rt, key, name, sizeof name);
    return js_throw(rt, ERR_ReferenceError, "%s is not defined", name);
  }
  return js_get_with_receiver(rt, g, key, realm->global);
}

static bool global_assign(Runtime *rt, JsRealm *realm, Atom key, Value v, bool strict) {
  Object *lex = val_to_object(realm->global_lex);
  PropertyLookup l;
  obj_lookup(rt, lex, key, &l);
  char name[64] = "?";
  if (l.result == OBJ_TRUE && l.holder == lex) {
    if (str_is_string(key)) str_to_utf8_buf(rt, key, name, sizeof name);
    if (l.value == VAL_UNINITIALIZED) {
      js_throw(rt, ERR_ReferenceError, "Cannot access '%s' before initialization", name);
      return false;
    }
    if (!(l.attrs & PROP_WRITABLE)) {
      js_throw(rt, ERR_TypeError, "Assignment to constant variable '%s'.", name);
      return false;
    }
    return obj_define_value(rt, lex, key, v, l.attrs) != OBJ_ERROR;
  }
  Object *g = val_to_object(realm->global);
  if (strict) {
    bool has;
    if (!js_has_property(rt, g, key, &has)) return false;
    if (!has) {
      if (str_is_string(key)) str_to_utf8_buf(rt, key, name, sizeof name);
      js_throw(rt, ERR_ReferenceError, "%s is not defined", name);
      return false;
    }
  }
  return js_set_with_receiver(rt, g, key, v, realm->global, strict);
}

static bool declare_global(Runtime *rt, JsRealm *realm, Atom key, int kind) {
  Object *g = val_to_object(realm->global), *lex = val_to_object(realm->global_lex);
  PropertyDescriptor d;
  char name[64] = "?";
  if (str_is_string(key)) str_to_utf8_buf(rt, key, name, sizeof name);
  ObjResult in_lex = obj_get_own_property(rt, lex, key, &d);
  if (in_lex == OBJ_ERROR) return false;
  if (kind <= 1) { /* var (0) or function (1) */
    if (in_lex == OBJ_TRUE) {
      js_throw(rt, ERR_SyntaxError, "Identifier '%s' has already been declared", name);
      return false;
    }
    ObjResult own = obj_get_own_property(rt, g, key, &d);
    if (own == OBJ_ERROR) return false;
    if (own == OBJ_FALSE)
      return obj_define_value(rt, g, key, VAL_UNDEFINED, PROP_WRITABLE | PROP_ENUMERABLE) != OBJ_ERROR;
    return true;
  }
  /* let (2) / const (3) / class (2) */
  if (in_lex == OBJ_TRUE) {
    js_throw(rt, ERR_SyntaxError, "Identifier '%s' has already been declared", name);
    return false;
  }
  ObjResult own = obj_get_own_property(rt, g, key, &d);
  if (own == OBJ_ERROR) return false;
  if (own == OBJ_TRUE && !(d.attrs & PROP_CONFIGURABLE)) {
    js_throw(rt, ERR_SyntaxError, "Identifier '%s' has already been declared", name);
    return false;
  }
  /* Configurable so that initialization can replace the value; the record is
   * never visible to scripts, so that changes nothing observable. */
  uint8_t attrs = PROP_CONFIGURABLE | PROP_ENUMERABLE | (kind == 3 ? 0 : PROP_WRITABLE);
  return obj_define_value(rt, lex, key, VAL_UNINITIALIZED, attrs) != OBJ_ERROR;
}

static bool init_global(Runtime *rt, JsRealm *realm, Atom key, Value v) {
  Object *lex = val_to_object(realm->global_lex);
  PropertyDescriptor d;
  ObjResult in_lex = obj_get_own_property(rt, lex, key, &d);
  if (in_lex == OBJ_ERROR) return false;
  if (in_lex == OBJ_TRUE) return obj_define_value(rt, lex, key, v, d.attrs) != OBJ_ERROR;
  /* A function declaration: CreateGlobalFunctionBinding. */
  Object *g = val_to_object(realm->global);
  ObjResult own = obj_get_own_property(rt, g, key, &d);
  if (own == OBJ_ERROR) return false;
  uint8_t attrs = PROP_WRITABLE | PROP_ENUMERABLE;
  if (own == OBJ_TRUE && (d.attrs & PROP_CONFIGURABLE) == 0) attrs = d.attrs;
  return obj_define_value(rt, g, key, v, attrs) != OBJ_ERROR;
}

/* Global sites cache either a global object property (valid while the
 * global lexical record keeps its shape, so no new let/const shadows it) or
 * a binding of the global lexical record itself (marked by this epoch). */
#define GLOBAL_IC_LEXICAL 0xffffffffu

static bool global_ic_lexical(Runtime *rt, JsFeedback *fb, Object *lex, Atom key, bool store) {
  ICInfo info;
  obj_ic_lookup(rt, lex, key, &info);
  if (!info.cacheable || !info.found || info.accessor || info.holder != lex ||
      (info.loc != LOC_INLINE && info.loc != LOC_SLOTS))
    return false;
  if (store && !(info.attrs & PROP_WRITABLE)) {
    fb->state = IC_MEGA;
    return true;
  }
  fb->state = IC_MONO;
  fb->count = 1;
  fb->e[0].shape = info.shape;
  fb->e[0].holder = NULL;
  fb->e[0].loc = (uint8_t)info.loc;
  fb->e[0].index = info.index;
  fb->e[0].epoch = GLOBAL_IC_LEXICAL;
  return true;
}

/* Fills an uninitialized global site's cache after a lookup succeeded. */
static void global_ic_fill(Runtime *rt, JsFeedback *fb, Object *g, Object *lex, Atom key,
                           bool store) {
  if (global_ic_lexical(rt, fb, lex, key, store)) return;
  ICInfo info;
  obj_ic_lookup(rt, g, key, &info);
  PropertyDescriptor d;
  if (info.cacheable && info.found && !info.accessor && info.holder == g &&
      (info.loc == LOC_INLINE || info.loc == LOC_SLOTS) &&
      (!store || (info.attrs & PROP_WRITABLE)) &&
      obj_get_own_property(rt, lex, key, &d) == OBJ_FALSE) {
    fb->state = IC_MONO;
    fb->count = 1;
    fb->e[0].shape = info.shape;
    fb->e[0].holder = (Object *)(void *)lex->shape;
    fb->e[0].loc = (uint8_t)info.loc;
    fb->e[0].index = info.index;
  } else {
    fb->state = IC_MEGA;
  }
}

/* --- helpers for the less common instructions ------------------------------------------------ */

static Value make_arguments(Runtime *rt, JsFrame *f) {
  JsRealm *realm = f->realm;
  Object *a = obj_new(rt, realm->intrinsics[JS_INTR_ObjectPrototype], OBJ_CLASS_Arguments, 4);
  if (!a) return VAL_EXCEPTION;
  Value av = obj_value(a);
  for (uint32_t i = 0; i < f->argc; i++)
    if (obj_define_value(rt, a, js_atom_from_index(rt, i), f->argv[i], PROP_DEFAULT) == OBJ_ERROR)
      return VAL_EXCEPTION;
  if (obj_define_value(rt, a, atom_well_known(rt, ATOM_length), val_from_int((int32_t)f->argc),
                       PROP_WRITABLE | PROP_CONFIGURABLE) == OBJ_ERROR)
    return VAL_EXCEPTION;
  if (obj_define_value(rt, a, sym_well_known(rt, SYM_iterator),
                       realm->intrinsics[JS_INTR_ArrayProtoValues],
                       PROP_WRITABLE | PROP_CONFIGURABLE) == OBJ_ERROR)
    return VAL_EXCEPTION;
  return av;
}

/* for-in: a snapshot of the enumerable string keys of the object and its
 * prototypes (shadowed keys once), checked for presence when visited. */
static Value forin_new(Runtime *rt, Value v) {
  Value keys = js_array_new(rt, 0, NULL);
  if (val_is_exception(keys)) return keys;
  Object *ka = val_to_object(keys);
  if (val_is_nullish(v)) return keys;
  Value ov = js_to_object(rt, v);
  if (val_is_exception(ov)) return ov;
  Object *seen = obj_new(rt, VAL_NULL, OBJ_CLASS_Object, 0);
  if (!seen) return VAL_EXCEPTION;
  for (Value p = ov; val_is_object(p); p = obj_proto(val_to_object(p))) {
    uint32_t n;
    GCValueArray *own = obj_own_keys(rt, val_to_object(p), OBJ_KEYS_STRINGS, &n);
    if (!own) return VAL_EXCEPTION;
    for (uint32_t i = 0; i < n; i++) {
      Atom k = own->v[i];
      PropertyDescriptor d;
      ObjResult r = obj_get_own_property(rt, seen, k, &d);
      if (r == OBJ_ERROR) return VAL_EXCEPTION;
      if (r == OBJ_TRUE) continue;
      if (obj_define_value(rt, seen, k, VAL_TRUE, PROP_DEFAULT) == OBJ_ERROR) return VAL_EXCEPTION;
      r = obj_get_own_property(rt, val_to_object(p), k, &d);
      if (r == OBJ_ERROR) return VAL_EXCEPTION;
      if (r == OBJ_TRUE && (d.attrs & PROP_ENUMERABLE) && !js_array_push(rt, ka, k))
        return VAL_EXCEPTION;
    }
  }
  /* The iterator: [keys, next index, object]. */
  Object *it = obj_new_ex(rt, VAL_NULL, OBJ_CLASS_ForInIterator, 3, 0);
  if (!it) return VAL_EXCEPTION;
  obj_set_internal(rt, it, 0, keys);
  obj_set_internal(rt, it, 1, val_from_int(0));
  obj_set_internal(rt, it, 2, ov);
  return obj_value(it);
}

/* Next key, VAL_HOLE when done, VAL_EXCEPTION on error. */
static Value forin_next(Runtime *rt, Value itv) {
  if (!val_is_object(itv)) return VAL_HOLE;
  Object *it = val_to_object(itv);
  if (obj_class(it) != OBJ_CLASS_ForInIterator) return VAL_HOLE;
  Object *keys = val_to_object(obj_get_internal(it, 0));
  Object *o = val_to_object(obj_get_internal(it, 2));
  for (;;) {
    int32_t i = val_to_int(obj_get_internal(it, 1));
    if ((uint32_t)i >= keys->length) return VAL_HOLE;
    obj_set_internal(rt, it, 1, val_from_int(i + 1));
    Value k;
    if (obj_get_own_dense(keys, (uint32_t)i, &k) != OBJ_TRUE) continue;
    bool has;
    if (!js_has_property(rt, o, k, &has)) return VAL_EXCEPTION;
    if (has) return k;
  }
}

static Value make_rest(Runtime *rt, JsFrame *f, uint32_t from) {
  uint32_t n = f->argc > from ? f->argc - from : 0;
  return js_array_new(rt, n, f->argv + from);
}

static bool spread_into(Runtime *rt, Object *arr, Value iterable) {
  /* Fast path: a plain dense array whose iteration is not customized. */
  Value iter, next;
  if (!js_get_iterator(rt, iterable, &iter, &next)) return false;
  for (;;) {
    bool done;
    Value v;
    if (!js_iterator_step(rt, iter, next, &done, &v)) return false;
    if (done) return true;
    if (!js_array_push(rt, arr, v)) return false;
  }
}

/* Calls with the arguments in an array (spread calls). */
static Value args_from_array(Object *arr, const Value **argv) {
  *argv = arr->elements ? arr->elements->v : NULL;
  return val_from_int((int32_t)arr->elem_count);
}

static Value copy_data_properties(Runtime *rt, Object *target, Value source) {
  if (val_is_nullish(source)) return VAL_UNDEFINED;
  Value from = js_to_object(rt, source);
  if (val_is_exception(from)) return from;
  uint32_t n;
  GCValueArray *keys = obj_own_keys(rt, val_to_object(from), OBJ_KEYS_ALL, &n);
  if (!keys) return VAL_EXCEPTION;
  for (uint32_t i = 0; i < n; i++) {
    PropertyDescriptor d;
    ObjResult r = obj_get_own_property(rt, val_to_object(from), keys->v[i], &d);
    if (r == OBJ_ERROR) return VAL_EXCEPTION;
    if (r != OBJ_TRUE || !(d.attrs & PROP_ENUMERABLE)) continue;
    Value v = js_get(rt, from, keys->v[i]);
    if (val_is_exception(v) || !js_create_data_property(rt, target, keys->v[i], v))
      return VAL_EXCEPTION;
  }
  return VAL_UNDEFINED;
}

static Value make_class(Runtime *rt, JsRealm *realm, JsFunctionCode *code, JsEnv *env,
                        Value parent, Value *proto_out) {
  Value proto_parent = realm->intrinsics[JS_INTR_ObjectPrototype];
  Value ctor_parent = realm->intrinsics[JS_INTR_FunctionPrototype];
  if (parent != VAL_UNINITIALIZED) { /* VAL_UNINITIALIZED: no extends clause */
    if (parent == VAL_NULL) {
      proto_parent = VAL_NULL;
    } else {
      if (!js_is_constructor(parent))
        return js_throw(rt, ERR_TypeError, "Class extends value is not a constructor or null");
      proto_parent = js_get(rt, parent, atom_well_known(rt, ATOM_prototype));
      if (val_is_exception(proto_parent)) return proto_parent;
      if (!val_is_object(proto_parent) && proto_parent != VAL_NULL)
        return js_throw(rt, ERR_TypeError, "Class extends value does not have valid prototype property");
      ctor_parent = parent;
    }
  }
  Object *proto = obj_new(rt, proto_parent, OBJ_CLASS_Object, 4);
  if (!proto) return VAL_EXCEPTION;
  Value ctor = js_closure_new(rt, realm, code, env);
  if (val_is_exception(ctor)) return ctor;
  Object *c = val_to_object(ctor);
  if (obj_set_prototype_of(rt, c, ctor_parent) != OBJ_TRUE)
    return js_throw(rt, ERR_TypeError, "cannot set the class constructor's prototype");
  obj_set_internal(rt, c, FN_HOME, obj_value(proto));
  if (obj_define_value(rt, c, atom_well_known(rt, ATOM_prototype), obj_value(proto), 0) == OBJ_ERROR ||
      obj_define_value(rt, proto, atom_well_known(rt, ATOM_constructor), ctor,
                       PROP_WRITABLE | PROP_CONFIGURABLE) == OBJ_ERROR)
    return VAL_EXCEPTION;
  *proto_out = obj_value(proto);
  return ctor;
}

static Value super_base(Runtime *rt, JsFrame *f) {
  Value home = f->func ? obj_get_internal(f->func, FN_HOME) : VAL_UNDEFINED;
  if (!val_is_object(home)) return js_throw(rt, ERR_SyntaxError, "'super' keyword unexpected here");
  Value base = obj_proto(val_to_object(home));
  if (!val_is_object(base))
    return js_throw(rt, ERR_TypeError, "Cannot read properties of %s (super)",
                    base == VAL_NULL ? "null" : "undefined");
  return base;
}

/* Double paths of the arithmetic instructions. */
static inline double js_arith_mod(double x, double y) { return js_number_mod(x, y); }
static inline double js_arith_pow(double x, double y) { return js_number_pow(x, y); }
static inline double js_arith_shr(double x, double y) {
  return (double)((uint32_t)js_double_to_int32(x) >> (js_double_to_int32(y) & 31));
}
static inline int32_t js_arith_i32(int op, double x, double y) {
  int32_t a = js_double_to_int32(x), b = js_double_to_int32(y);
  switch (op) {
  case OP_BITAND: return a & b;
  case OP_BITOR: return a | b;
  case OP_BITXOR: return a ^ b;
  case OP_SHL: return (int32_t)((uint32_t)a << (b & 31));
  default: return a >> (b & 31);
  }
}

/* --- the loop --------------------------------------------------------------------------------- */

#define U16(i) (pc[(i)])
#define REG(i) regs[pc[(i)]]
#define K(i) (consts->v[pc[(i)]])
#define J32(i) ((int32_t)((uint32_t)pc[(i)] | ((uint32_t)pc[(i) + 1] << 16)))
#define NEXT(op) (pc += js_op_length[op])

Value js_interp_run(Runtime *rt, Object *func, JsFunctionCode *code, JsEnv *env, Value this_val,
                    int argc, const Value *argv, Value new_target) {
  JsRuntime *jr = js_rt(rt);
  code->invocations++;
  Value *regs = alloca(sizeof(Value) * (code->nregs ? code->nregs : 1));
  for (uint32_t i = 0; i < code->nregs; i++)
    regs[i] = i < code->nformals && i < (uint32_t)argc ? argv[i] : VAL_UNDEFINED;
  if (code->flags & FC_NEEDS_ENV) {
    env = js_env_new(rt, env, code->env_size);
    if (!env) return VAL_EXCEPTION;
  }
  JsFrame frame = {.prev = jr->top, .func = func, .code = code, .this_val = this_val,
                   .new_target = new_target, .argv = argv, .argc = (uint32_t)(argc < 0 ? 0 : argc),
                   .env = env, .regs = regs, .realm = jr->current};
  jr->top = &frame;
  Handler handlers[MAX_HANDLERS];
  int nhandlers = 0;
  GCValueArray *consts = code->consts;
  JsFeedback *feedback = code->feedback;
  bool strict = (code->flags & FC_STRICT) != 0;
  const uint16_t *pc = code->code;
  Value result = VAL_UNDEFINED;

  static const void *const dispatch[OP_COUNT] = {
#define JS_OP_LABEL(name, layout, doc) &&op_##name,
      JS_OPCODE_LIST(JS_OP_LABEL)
#undef JS_OP_LABEL
  };
#define DISPATCH()                                                                                 \
  do {                                                                                             \
    frame.pc = pc;                                                                                 \
    goto *dispatch[*pc];                                                                           \
  } while (0)
#define CHECK(v)                                                                                   \
  do {                                                                                             \
    if (val_is_exception(v)) goto exception;                                                       \
  } while (0)

  DISPATCH();

op_NOP:
  NEXT(OP_NOP);
  DISPATCH();
op_MOV:
  REG(1) = REG(2);
  NEXT(OP_MOV);
  DISPATCH();
op_LOADK:
  REG(1) = K(2);
  NEXT(OP_LOADK);
  DISPATCH();
op_LOADI:
  REG(1) = val_from_int((int16_t)U16(2));
  NEXT(OP_LOADI);
  DISPATCH();
op_LOADUNDEF:
  REG(1) = VAL_UNDEFINED;
  NEXT(OP_LOADUNDEF);
  DISPATCH();
op_LOADNULL:
  REG(1) = VAL_NULL;
  NEXT(OP_LOADNULL);
  DISPATCH();
op_LOADTRUE:
  REG(1) = VAL_TRUE;
  NEXT(OP_LOADTRUE);
  DISPATCH();
op_LOADFALSE:
  REG(1) = VAL_FALSE;
  NEXT(OP_LOADFALSE);
  DISPATCH();
op_LOADUNINIT:
  REG(1) = VAL_UNINITIALIZED;
  NEXT(OP_LOADUNINIT);
  DISPATCH();
op_CHECKTDZ:
  if (REG(1) == VAL_UNINITIALIZED) {
    char name[64] = "?";
    str_to_utf8_buf(rt, K(2), name, sizeof name);
    js_throw(rt, ERR_ReferenceError, "Cannot access '%s' before initialization", name);
    goto exception;
  }
  NEXT(OP_CHECKTDZ);
  DISPATCH();
op_CHECKCONST: {
  char name[64] = "?";
  str_to_utf8_buf(rt, K(1), name, sizeof name);
  js_throw(rt, ERR_TypeError, "Assignment to constant variable '%s'.", name);
  goto exception;
}
op_LOADTHIS:
  if (frame.this_val == VAL_UNINITIALIZED) {
    js_throw(rt, ERR_ReferenceError,
             "Must call super constructor in derived class before accessing 'this'");
    goto exception;
  }
  REG(1) = frame.this_val;
  NEXT(OP_LOADTHIS);
  DISPATCH();
op_LOADNEWTARGET:
  REG(1) = frame.new_target;
  NEXT(OP_LOADNEWTARGET);
  DISPATCH();
op_LOADFUNC:
  REG(1) = func ? obj_value(func) : VAL_UNDEFINED;
  NEXT(OP_LOADFUNC);
  DISPATCH();
op_GETARG:
  REG(1) = U16(2) < frame.argc ? argv[U16(2)] : VAL_UNDEFINED;
  NEXT(OP_GETARG);
  DISPATCH();
op_GETENV: {
  JsEnv *e = frame.env;
  for (uint16_t h = U16(2); h; h--) e = e->parent;
  REG(1) = e->slots[U16(3)];
  NEXT(OP_GETENV);
  DISPATCH();
}
op_SETENV: {
  JsEnv *e = frame.env;
  for (uint16_t h = U16(1); h; h--) e = e->parent;
  Value v = REG(3);
  GC_WRITE_BARRIER(rt->heap, e, v);
  e->slots[U16(2)] = v;
  NEXT(OP_SETENV);
  DISPATCH();
}
op_PUSHENV: {
  JsEnv *e = js_env_new(rt, frame.env, U16(1));
  if (!e) goto exception;
  frame.env = e;
  NEXT(OP_PUSHENV);
  DISPATCH();
}
op_POPENV:
  frame.env = frame.env->parent;
  NEXT(OP_POPENV);
  DISPATCH();
op_GETGLOBAL:
op_TYPEOFGLOBAL: {
  bool for_typeof = *pc == OP_TYPEOFGLOBAL;
  JsFeedback *fb = &feedback[U16(3)];
  Object *g = val_to_object(frame.realm->global);
  Object *lex = val_to_object(frame.realm->global_lex);
  /* IC: a data property of the global object, valid while neither the
   * global object's nor the global lexical scope's shape changed. */
  if (fb->state == IC_MONO) {
    JsICEntry *e = &fb->e[0];
    if (e->epoch == GLOBAL_IC_LEXICAL) {
      if (e->shape == lex->shape) {
        Value v = *ic_slot(lex, e->loc, e->index);
        if (v != VAL_UNINITIALIZED) {
          REG(1) = v;
          NEXT(OP_GETGLOBAL);
          DISPATCH();
        }
      }
    } else if (e->shape == g->shape && (const void *)e->holder == (const void *)lex->shape) {
      REG(1) = *ic_slot(g, e->loc, e->index);
      NEXT(OP_GETGLOBAL);
      DISPATCH();
    }
  }
  Value v = global_lookup(rt, frame.realm, K(2), for_typeof);
  CHECK(v);
  REG(1) = v;
  if (fb->state == IC_UNINIT) {
    global_ic_fill(rt, fb, g, lex, K(2), false);
  }
  NEXT(OP_GETGLOBAL);
  DISPATCH();
}
op_SETGLOBAL: {
  JsFeedback *fb = &feedback[U16(3)];
  Object *g = val_to_object(frame.realm->global);
  Object *lex = val_to_object(frame.realm->global_lex);
  if (fb->state == IC_MONO) {
    JsICEntry *e = &fb->e[0];
    Value v = REG(2);
    if (e->epoch == GLOBAL_IC_LEXICAL) {
      if (e->shape == lex->shape && *ic_slot(lex, e->loc, e->index) != VAL_UNINITIALIZED) {
        GC_WRITE_BARRIER(rt->heap, lex, v);
        *ic_slot(lex, e->loc, e->index) = v;
        NEXT(OP_SETGLOBAL);
        DISPATCH();
      }
    } else if (e->shape == g->shape && (const void *)e->holder == (const void *)lex->shape) {
      GC_WRITE_BARRIER(rt->heap, g, v);
      *ic_slot(g, e->loc, e->index) = v;
      NEXT(OP_SETGLOBAL);
      DISPATCH();
    }
  }
  if (!global_assign(rt, frame.realm, K(1), REG(2), strict)) goto exception;
  if (fb->state == IC_UNINIT) {
    global_ic_fill(rt, fb, g, lex, K(1), true);
  }
  NEXT(OP_SETGLOBAL);
  DISPATCH();
}
op_DEFVAR:
  if (!declare_global(rt, frame.realm, K(1), U16(2))) goto exception;
  NEXT(OP_DEFVAR);
  DISPATCH();
op_DEFLEX:
  if (!declare_global(rt, frame.realm, K(1), U16(2) ? 3 : 2)) goto exception;
  NEXT(OP_DEFLEX);
  DISPATCH();
op_INITGLOBAL:
  if (!init_global(rt, frame.realm, K(1), REG(2))) goto exception;
  NEXT(OP_INITGLOBAL);
  DISPATCH();
op_GETNAME:
op_SETNAME:
  js_throw(rt, ERR_InternalError, "dynamic scopes (with, sloppy direct eval) are not supported yet");
  goto exception;
op_GETPROP: {
  Value o = REG(2);
  JsFeedback *fb = &feedback[U16(4)];
  if (val_is_object(o)) {
    Object *obj = val_to_object(o);
    for (uint32_t i = 0; i < fb->count; i++) {
      JsICEntry *e = &fb->e[i];
      if (obj->shape != e->shape) continue;
      if (!e->holder) {
        REG(1) = *ic_slot(obj, e->loc, e->index);
        NEXT(OP_GETPROP);
        DISPATCH();
      }
      if (*obj_proto_epoch_ref(rt) == e->epoch) {
        REG(1) = *ic_slot(e->holder, e->loc, e->index);
        NEXT(OP_GETPROP);
        DISPATCH();
      }
    }
    Value v = js_get_with_receiver(rt, obj, K(3), o);
    CHECK(v);
    REG(1) = v;
    ic_update_load(rt, code, pc, fb, obj, K(3), "load");
  } else {
    Value v = js_get(rt, o, K(3));
    CHECK(v);
    REG(1) = v;
  }
  NEXT(OP_GETPROP);
  DISPATCH();
}
op_SETPROP: {
  Value o = REG(1);
  JsFeedback *fb = &feedback[U16(4)];
  if (val_is_object(o)) {
    Object *obj = val_to_object(o);
    Value v = REG(3);
    for (uint32_t i = 0; i < fb->count; i++) {
      JsICEntry *e = &fb->e[i];
      if (obj->shape != e->shape) continue;
      if (!e->new_shape) {
        GC_WRITE_BARRIER(rt->heap, obj, v);
        *ic_slot(obj, e->loc, e->index) = v;
        NEXT(OP_SETPROP);
        DISPATCH();
      }
      if (*obj_proto_epoch_ref(rt) == e->epoch) {
        ICStoreInfo ic = {true, true, e->shape, e->new_shape, (PropLocKind)e->loc, e->index, e->epoch};
        if (obj_ic_add_store(rt, obj, &ic, v) == OBJ_ERROR) goto exception;
        NEXT(OP_SETPROP);
        DISPATCH();
      }
    }
    if (!store_slow(rt, code, pc, fb, obj, K(2), v, strict)) goto exception;
  } else if (!js_set(rt, o, K(2), REG(3), strict)) {
    goto exception;
  }
  NEXT(OP_SETPROP);
  DISPATCH();
}
op_GETELEM: {
  Value o = REG(2), k = REG(3);
  if (val_is_object(o) && val_is_int(k) && val_to_int(k) >= 0) {
    Value v;
    if (obj_get_own_dense(val_to_object(o), (uint32_t)val_to_int(k), &v) == OBJ_TRUE) {
      REG(1) = v;
      NEXT(OP_GETELEM);
      DISPATCH();
    }
  }
  Value v = js_get_v(rt, o, k);
  CHECK(v);
  REG(1) = v;
  NEXT(OP_GETELEM);
  DISPATCH();
}
op_SETELEM:
  if (!js_set_v(rt, REG(1), REG(2), REG(3), strict)) goto exception;
  NEXT(OP_SETELEM);
  DISPATCH();
op_DELPROP: {
  bool ok;
  if (!js_delete(rt, REG(2), REG(3), strict, &ok)) goto exception;
  REG(1) = val_from_bool(ok);
  NEXT(OP_DELPROP);
  DISPATCH();
}
op_IN: {
  Value o = REG(3);
  if (!val_is_object(o)) {
    js_throw(rt, ERR_TypeError, "Cannot use 'in' operator to search for a key in a non-object");
    goto exception;
  }
  Atom k = js_to_property_key(rt, REG(2));
  CHECK(k);
  bool has;
  if (!js_has_property(rt, val_to_object(o), k, &has)) goto exception;
  REG(1) = val_from_bool(has);
  NEXT(OP_IN);
  DISPATCH();
}
op_DEFFIELD:
  if (obj_define_value(rt, val_to_object(REG(1)), K(2), REG(3), PROP_DEFAULT) == OBJ_ERROR)
    goto exception;
  NEXT(OP_DEFFIELD);
  DISPATCH();
op_DEFELEM: {
  Atom k = js_to_property_key(rt, REG(2));
  CHECK(k);
  if (obj_define_value(rt, val_to_object(REG(1)), k, REG(3), PROP_DEFAULT) == OBJ_ERROR)
    goto exception;
  NEXT(OP_DEFELEM);
  DISPATCH();
}
op_DEFGETTER:
op_DEFSETTER: {
  bool getter = *pc == OP_DEFGETTER;
  Object *o = val_to_object(REG(1));
  Atom k = js_to_property_key(rt, REG(2));
  CHECK(k);
  Value fn = REG(3);
  obj_set_internal(rt, val_to_object(fn), FN_HOME, REG(1));
  PropertyDescriptor d = {.present = (uint8_t)((getter ? PD_GET : PD_SET) | PD_ENUMERABLE | PD_CONFIGURABLE),
                          .attrs = PROP_ENUMERABLE | PROP_CONFIGURABLE,
                          .value = VAL_UNDEFINED,
                          .get = getter ? fn : VAL_UNDEFINED,
                          .set = getter ? VAL_UNDEFINED : fn};
  if (obj_define_own_property(rt, o, k, &d) == OBJ_ERROR) goto exception;
  NEXT(OP_DEFGETTER);
  DISPATCH();
}
op_DEFMETHOD: {
  Object *o = val_to_object(REG(1));
  Atom k = js_to_property_key(rt, REG(2));
  CHECK(k);
  Value fn = REG(3);
  obj_set_internal(rt, val_to_object(fn), FN_HOME, REG(1));
  uint16_t kind = U16(4);
  PropertyDescriptor d;
  if (kind == 0) {
    d = pd_data(fn, PROP_WRITABLE | PROP_CONFIGURABLE);
  } else {
    d.present = (uint8_t)((kind == 1 ? PD_GET : PD_SET) | PD_ENUMERABLE | PD_CONFIGURABLE);
    d.attrs = PROP_CONFIGURABLE;
    d.value = VAL_UNDEFINED;
    d.get = kind == 1 ? fn : VAL_UNDEFINED;
    d.set = kind == 2 ? fn : VAL_UNDEFINED;
  }
  ObjResult r = obj_define_own_property(rt, o, k, &d);
  if (r == OBJ_ERROR) goto exception;
  if (r == OBJ_FALSE) {
    js_throw(rt, ERR_TypeError, "Cannot redefine property");
    goto exception;
  }
  NEXT(OP_DEFMETHOD);
  DISPATCH();
}
op_SETPROTO: {
  Value p = REG(2);
  if ((val_is_object(p) || p == VAL_NULL) &&
      obj_set_prototype_of(rt, val_to_object(REG(1)), p) == OBJ_ERROR)
    goto exception;
  NEXT(OP_SETPROTO);
  DISPATCH();
}
op_COPYPROPS:
  CHECK(copy_data_properties(rt, val_to_object(REG(1)), REG(2)));
  NEXT(OP_COPYPROPS);
  DISPATCH();
op_NEWOBJ: {
  Object *o = obj_new(rt, frame.realm->intrinsics[JS_INTR_ObjectPrototype], OBJ_CLASS_Object, 4);
  if (!o) goto exception;
  REG(1) = obj_value(o);
  NEXT(OP_NEWOBJ);
  DISPATCH();
}
op_NEWARR: {
  Object *a = obj_new_array(rt, frame.realm->intrinsics[JS_INTR_ArrayPrototype], 0);
  if (!a) goto exception;
  REG(1) = obj_value(a);
  NEXT(OP_NEWARR);
  DISPATCH();
}
op_ARRPUSH:
  if (!js_array_push(rt, val_to_object(REG(1)), REG(2))) goto exception;
  NEXT(OP_ARRPUSH);
  DISPATCH();
op_ARRHOLE: {
  Object *a = val_to_object(REG(1));
  if (obj_array_set_length(rt, a, a->length + 1) != OBJ_TRUE) goto exception;
  NEXT(OP_ARRHOLE);
  DISPATCH();
}
op_ARRSPREAD:
  if (!spread_into(rt, val_to_object(REG(1)), REG(2))) goto exception;
  NEXT(OP_ARRSPREAD);
  DISPATCH();

  /* Arithmetic: int32 fast paths with overflow checks, double fast paths,
   * then the generic operation. Each site records the operand types. */
#define ARITH_OP(NAME, INT_EXPR, DBL_EXPR)                                                         \
  op_##NAME : {                                                                                    \
    Value a = REG(2), b = REG(3);                                                                  \
    feedback[U16(4)].types |= (uint8_t)(type_bits(a) | type_bits(b));                             \
    if (val_is_int(a) && val_is_int(b)) {                                                          \
      int32_t x = val_to_int(a), y = val_to_int(b), r;                                             \
      if (INT_EXPR) {                                                                              \
        REG(1) = val_from_int(r);                                                                  \
        NEXT(OP_##NAME);                                                                           \
        DISPATCH();                                                                                \
      }                                                                                            \
    }                                                                                              \
    if (val_is_number(a) && val_is_number(b)) {                                                    \
      double x = val_number(a), y = val_number(b);                                                 \
      REG(1) = val_from_number(DBL_EXPR);                                                          \
      NEXT(OP_##NAME);                                                                             \
      DISPATCH();                                                                                  \
    }                                                                                              \
    Value r = js_arith(rt, OP_##NAME, a, b);                                                       \
    CHECK(r);                                                                                      \
    REG(1) = r;                                                                                    \
    NEXT(OP_##NAME);                                                                               \
    DISPATCH();                                                                                    \
  }

op_ADD: {
  Value a = REG(2), b = REG(3);
  feedback[U16(4)].types |= (uint8_t)(type_bits(a) | type_bits(b));
  if (val_is_int(a) && val_is_int(b)) {
    int32_t r;
    if (!__builtin_add_overflow(val_to_int(a), val_to_int(b), &r)) {
      REG(1) = val_from_int(r);
      NEXT(OP_ADD);
      DISPATCH();
    }
  }
  if (val_is_number(a) && val_is_number(b)) {
    REG(1) = val_from_number(val_number(a) + val_number(b));
    NEXT(OP_ADD);
    DISPATCH();
  }
  Value r = js_add(rt, a, b);
  CHECK(r);
  REG(1) = r;
  NEXT(OP_ADD);
  DISPATCH();
}
  ARITH_OP(SUB, !__builtin_sub_overflow(x, y, &r), x - y)
  ARITH_OP(MUL, (!__builtin_mul_overflow(x, y, &r) && (r != 0 || (x >= 0 && y >= 0))), x * y)
  ARITH_OP(DIV, (y != 0 && !(x == INT32_MIN && y == -1) && x % y == 0 && (r = x / y, r != 0 || x == 0) &&
                 !(x == 0 && y < 0)),
           x / y)
  ARITH_OP(MOD, (y > 0 && x >= 0 && (r = x % y, 1)), js_arith_mod(x, y))
  ARITH_OP(EXP, ((void)x, (void)y, (void)r, 0), js_arith_pow(x, y))
  ARITH_OP(BITAND, (r = x & y, 1), (double)js_arith_i32(OP_BITAND, x, y))
  ARITH_OP(BITOR, (r = x | y, 1), (double)js_arith_i32(OP_BITOR, x, y))
  ARITH_OP(BITXOR, (r = x ^ y, 1), (double)js_arith_i32(OP_BITXOR, x, y))
  ARITH_OP(SHL, (r = (int32_t)((uint32_t)x << (y & 31)), 1), (double)js_arith_i32(OP_SHL, x, y))
  ARITH_OP(SAR, (r = x >> (y & 31), 1), (double)js_arith_i32(OP_SAR, x, y))
  ARITH_OP(SHR, (x >= 0 && (r = (int32_t)((uint32_t)x >> (y & 31)), 1)), js_arith_shr(x, y))

#define COMPARE_OP(NAME, CMP, GENERIC)                                                             \
  op_##NAME : {                                                                                    \
    Value a = REG(2), b = REG(3);                                                                  \
    feedback[U16(4)].types |= (uint8_t)(type_bits(a) | type_bits(b));                             \
    if (val_is_int(a) && val_is_int(b)) {                                                          \
      REG(1) = val_from_bool(val_to_int(a) CMP val_to_int(b));                                     \
    } else if (val_is_number(a) && val_is_number(b)) {                                             \
      REG(1) = val_from_bool(val_number(a) CMP val_number(b));                                     \
    } else {                                                                                       \
      GENERIC                                                                                      \
    }                                                                                              \
    NEXT(OP_##NAME);                                                                               \
    DISPATCH();                                                                                    \
  }

  COMPARE_OP(LT, <, {
    int r;
    if (!js_less_than(rt, a, b, true, &r)) goto exception;
    REG(1) = val_from_bool(r == 1);
  })
  COMPARE_OP(GT, >, {
    int r;
    if (!js_less_than(rt, b, a, false, &r)) goto exception;
    REG(1) = val_from_bool(r == 1);
  })
  COMPARE_OP(LE, <=, {
    int r;
    if (!js_less_than(rt, b, a, false, &r)) goto exception;
    REG(1) = val_from_bool(r == 0);
  })
  COMPARE_OP(GE, >=, {
    int r;
    if (!js_less_than(rt, a, b, true, &r)) goto exception;
    REG(1) = val_from_bool(r == 0);
  })
  COMPARE_OP(EQ, ==, {
    bool r;
    if (!js_loose_equals(rt, a, b, &r)) goto exception;
    REG(1) = val_from_bool(r);
  })
  COMPARE_OP(NE, !=, {
    bool r;
    if (!js_loose_equals(rt, a, b, &r)) goto exception;
    REG(1) = val_from_bool(!r);
  })
  COMPARE_OP(SEQ, ==, REG(1) = val_from_bool(js_strict_equals(rt, a, b));)
  COMPARE_OP(SNE, !=, REG(1) = val_from_bool(!js_strict_equals(rt, a, b));)

op_INSTANCEOF: {
  bool r;
  if (!js_instance_of(rt, REG(2), REG(3), &r)) goto exception;
  REG(1) = val_from_bool(r);
  NEXT(OP_INSTANCEOF);
  DISPATCH();
}
op_NEG: {
  Value a = REG(2);
  if (val_is_int(a) && val_to_int(a) != 0 && val_to_int(a) != INT32_MIN) {
    REG(1) = val_from_int(-val_to_int(a));
  } else {
    Value n;
    if (!js_to_numeric(rt, a, &n)) goto exception;
    REG(1) = val_from_number(-val_number(n));
  }
  NEXT(OP_NEG);
  DISPATCH();
}
op_TONUMBER: {
  double d;
  if (!js_to_number(rt, REG(2), &d)) goto exception;
  REG(1) = val_is_number(REG(2)) ? REG(2) : val_from_number(d);
  NEXT(OP_TONUMBER);
  DISPATCH();
}
op_TONUMERIC: {
  Value n;
  if (!js_to_numeric(rt, REG(2), &n)) goto exception;
  REG(1) = n;
  NEXT(OP_TONUMERIC);
  DISPATCH();
}
op_NOT:
  REG(1) = val_from_bool(!js_to_boolean(REG(2)));
  NEXT(OP_NOT);
  DISPATCH();
op_BITNOT: {
  int32_t i;
  if (!js_to_int32(rt, REG(2), &i)) goto exception;
  REG(1) = val_from_int(~i);
  NEXT(OP_BITNOT);
  DISPATCH();
}
op_TYPEOF: {
  Value t = js_typeof(rt, REG(2));
  CHECK(t);
  REG(1) = t;
  NEXT(OP_TYPEOF);
  DISPATCH();
}
op_INC:
op_DEC: {
  int delta = *pc == OP_INC ? 1 : -1;
  Value a = REG(2);
  int32_t r;
  feedback[U16(3)].types |= type_bits(a);
  if (val_is_int(a) && !__builtin_add_overflow(val_to_int(a), delta, &r)) {
    REG(1) = val_from_int(r);
  } else {
    Value n;
    if (!js_to_numeric(rt, a, &n)) goto exception;
    REG(1) = val_from_number(val_number(n) + delta);
  }
  NEXT(OP_INC);
  DISPATCH();
}
op_TOSTRING: {
  Value s = js_to_string(rt, REG(2));
  CHECK(s);
  REG(1) = s;
  NEXT(OP_TOSTRING);
  DISPATCH();
}
op_TOPROPKEY: {
  /* Only an object's conversion can run code (and must happen exactly
   * once, here); primitives convert later without observable effects, and
   * integer keys stay integers for the element fast paths. */
  Value k = REG(2);
  if (val_is_object(k)) {
    k = js_to_property_key(rt, k);
    CHECK(k);
  }
  REG(1) = k;
  NEXT(OP_TOPROPKEY);
  DISPATCH();
}
op_JMP:
  pc += js_op_length[OP_JMP] + J32(1);
  DISPATCH();
op_JT:
  pc += js_op_length[OP_JT] + (js_to_boolean(REG(1)) ? J32(2) : 0);
  DISPATCH();
op_JF:
  pc += js_op_length[OP_JF] + (js_to_boolean(REG(1)) ? 0 : J32(2));
  DISPATCH();
op_JNULLISH:
  pc += js_op_length[OP_JNULLISH] + (val_is_nullish(REG(1)) ? J32(2) : 0);
  DISPATCH();
op_JNOTNULLISH:
  pc += js_op_length[OP_JNOTNULLISH] + (val_is_nullish(REG(1)) ? 0 : J32(2));
  DISPATCH();
op_JUNDEF:
  pc += js_op_length[OP_JUNDEF] + (REG(1) == VAL_UNDEFINED ? J32(2) : 0);
  DISPATCH();
op_LOOP:
  feedback[U16(3)].hits++;
  if (rt->interrupt_requested) {
    rt->interrupt_requested = 0;
    js_throw(rt, ERR_InternalError, "interrupted");
    goto exception;
  }
  pc += js_op_length[OP_LOOP] + J32(1);
  DISPATCH();
op_CALL: {
  Value callee = REG(2);
  JsFeedback *fb = &feedback[U16(6)];
  fb->hits++;
  if (fb->target != callee) fb->target = fb->hits == 1 ? callee : VAL_UNDEFINED;
  Value r = js_call(rt, callee, REG(3), U16(5), &regs[U16(4)]);
  CHECK(r);
  REG(1) = r;
  NEXT(OP_CALL);
  DISPATCH();
}
op_CALLSPREAD: {
  const Value *args;
  Value n = args_from_array(val_to_object(REG(4)), &args);
  Value r = js_call(rt, REG(2), REG(3), val_to_int(n), args);
  CHECK(r);
  REG(1) = r;
  NEXT(OP_CALLSPREAD);
  DISPATCH();
}
op_NEW: {
  Value callee = REG(2);
  if (!js_is_constructor(callee)) {
    js_throw(rt, ERR_TypeError, "%s is not a constructor",
             js_is_callable(callee) ? "function" : "value");
    goto exception;
  }
  feedback[U16(5)].hits++;
  Value r = js_construct(rt, callee, U16(4), &regs[U16(3)], callee);
  CHECK(r);
  REG(1) = r;
  NEXT(OP_NEW);
  DISPATCH();
}
op_NEWSPREAD: {
  Value callee = REG(2);
  if (!js_is_constructor(callee)) {
    js_throw(rt, ERR_TypeError, "value is not a constructor");
    goto exception;
  }
  const Value *args;
  Value n = args_from_array(val_to_object(REG(3)), &args);
  Value r = js_construct(rt, callee, val_to_int(n), args, callee);
  CHECK(r);
  REG(1) = r;
  NEXT(OP_NEWSPREAD);
  DISPATCH();
}
op_SUPERCALL:
op_SUPERCALLSPREAD: {
  bool spread = *pc == OP_SUPERCALLSPREAD;
  Value parent = func ? obj_proto(func) : VAL_UNDEFINED;
  if (!js_is_constructor(parent)) {
    js_throw(rt, ERR_TypeError, "Super constructor is not a constructor");
    goto exception;
  }
  const Value *args;
  int n;
  if (spread) {
    n = val_to_int(args_from_array(val_to_object(REG(2)), &args));
  } else {
    args = &regs[U16(2)];
    n = U16(3);
  }
  Value r = js_construct(rt, parent, n, args, frame.new_target);
  CHECK(r);
  if (frame.this_val != VAL_UNINITIALIZED) {
    js_throw(rt, ERR_ReferenceError, "Super constructor may only be called once");
    goto exception;
  }
  frame.this_val = r;
  REG(1) = r;
  pc += spread ? js_op_length[OP_SUPERCALLSPREAD] : js_op_length[OP_SUPERCALL];
  DISPATCH();
}
op_RET:
  result = REG(1);
  goto done;
op_RETUNDEF:
  result = VAL_UNDEFINED;
  goto done;
op_CLOSURE: {
  JsFunctionCode *c = (JsFunctionCode *)val_to_ptr(K(2));
  Value f = js_closure_new(rt, frame.realm, c, frame.env);
  CHECK(f);
  if (c->flags & FC_ARROW) {
    Object *fo = val_to_object(f);
    obj_set_internal(rt, fo, FN_THIS, frame.this_val);
    obj_set_internal(rt, fo, FN_NEWTGT, frame.new_target);
    if (func) obj_set_internal(rt, fo, FN_HOME, obj_get_internal(func, FN_HOME));
  }
  REG(1) = f;
  NEXT(OP_CLOSURE);
  DISPATCH();
}
op_CLASS: {
  Value proto;
  Value c = make_class(rt, frame.realm, (JsFunctionCode *)val_to_ptr(K(4)), frame.env, REG(3),
                       &proto);
  CHECK(c);
  REG(1) = c;
  REG(2) = proto;
  NEXT(OP_CLASS);
  DISPATCH();
}
op_GETSUPER: {
  Value base = super_base(rt, &frame);
  CHECK(base);
  Atom k = js_to_property_key(rt, REG(3));
  CHECK(k);
  Value v = js_get_with_receiver(rt, val_to_object(base), k, REG(2));
  CHECK(v);
  REG(1) = v;
  NEXT(OP_GETSUPER);
  DISPATCH();
}
op_SETSUPER: {
  Value base = super_base(rt, &frame);
  CHECK(base);
  Atom k = js_to_property_key(rt, REG(2));
  CHECK(k);
  if (!js_set_with_receiver(rt, val_to_object(base), k, REG(3), REG(1), true)) goto exception;
  NEXT(OP_SETSUPER);
  DISPATCH();
}
op_THROW:
  rt_throw_value(rt, REG(1));
  goto exception;
op_THROWERR: {
  char msg[256] = "";
  str_to_utf8_buf(rt, K(2), msg, sizeof msg);
  js_throw(rt, (ErrorKind)U16(1), "%s", msg);
  goto exception;
}
op_TRY:
  if (nhandlers == MAX_HANDLERS) {
    js_throw(rt, ERR_RangeError, "too many nested try statements");
    goto exception;
  }
  handlers[nhandlers].pc = pc + js_op_length[OP_TRY] + J32(2);
  handlers[nhandlers].env = frame.env;
  handlers[nhandlers].dead_from = U16(1);
  nhandlers++;
  NEXT(OP_TRY);
  DISPATCH();
op_ENDTRY:
  nhandlers--;
  NEXT(OP_ENDTRY);
  DISPATCH();
op_CATCH:
  REG(1) = rt_take_exception(rt);
  NEXT(OP_CATCH);
  DISPATCH();
op_GETITER:
  if (!js_get_iterator(rt, REG(2), &regs[U16(1)], &regs[U16(1) + 1])) goto exception;
  NEXT(OP_GETITER);
  DISPATCH();
op_ITERNEXT: {
  bool done;
  Value v;
  if (!js_iterator_step(rt, regs[U16(3)], regs[U16(3) + 1], &done, &v)) goto exception;
  REG(1) = v;
  REG(2) = val_from_bool(done);
  NEXT(OP_ITERNEXT);
  DISPATCH();
}
op_ITERCLOSE:
  js_iterator_close(rt, REG(1));
  if (rt_has_exception(rt)) goto exception;
  NEXT(OP_ITERCLOSE);
  DISPATCH();
op_FORIN: {
  Value it = forin_new(rt, REG(2));
  CHECK(it);
  REG(1) = it;
  NEXT(OP_FORIN);
  DISPATCH();
}
op_FORINNEXT: {
  Value k = forin_next(rt, REG(2));
  CHECK(k);
  if (k == VAL_HOLE) {
    pc += js_op_length[OP_FORINNEXT] + J32(3);
  } else {
    REG(1) = k;
    NEXT(OP_FORINNEXT);
  }
  DISPATCH();
}
op_ARGUMENTS: {
  Value a = make_arguments(rt, &frame);
  CHECK(a);
  REG(1) = a;
  NEXT(OP_ARGUMENTS);
  DISPATCH();
}
op_REST: {
  Value a = make_rest(rt, &frame, U16(2));
  CHECK(a);
  REG(1) = a;
  NEXT(OP_REST);
  DISPATCH();
}
op_TEMPLATE:
  REG(1) = K(2);
  NEXT(OP_TEMPLATE);
  DISPATCH();
op_REGEXP:
  js_throw(rt, ERR_InternalError, "regular expressions are not supported yet");
  goto exception;
op_DEBUGGER:
  NEXT(OP_DEBUGGER);
  DISPATCH();

exception:
  if (nhandlers > 0 && rt_has_exception(rt)) {
    nhandlers--;
    pc = handlers[nhandlers].pc;
    frame.env = handlers[nhandlers].env;
    for (uint32_t i = handlers[nhandlers].dead_from; i < code->nregs; i++) regs[i] = VAL_UNDEFINED;
    DISPATCH();
  }
  jr->top = frame.prev;
  return VAL_EXCEPTION;

done:
  jr->top = frame.prev;
  if (!val_is_undefined(new_target) && !(code->flags & FC_ARROW)) {
    /* [[Construct]]: an object result replaces this; otherwise this, which a
     * derived constructor must have bound through super(). */
    if (val_is_object(result)) return result;
    if ((code->flags & FC_DERIVED) && !val_is_undefined(result))
      return js_throw(rt, ERR_TypeError, "Derived constructors may only return object or undefined");
    if (frame.this_val == VAL_UNINITIALIZED)
      return js_throw(rt, ERR_ReferenceError,
                      "Must call super constructor in derived class before returning");
    return frame.this_val;
  }
  return result;
}
