/* engine_tandem.c: tandem's bytecode interpreter behind the runner's
 * T262Engine (engine.h): one Runtime per test, its realms (the first plus
 * those $262.createRealm makes), the host-defined $262 object and print.
 * Built only into test262_runner; modules and promise jobs wait for the
 * engine to support them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine.h"
#include "t262.h"

#ifdef T262_HAVE_ENGINE
#include "core/runtime.h"
#include "js/js.h"
#include "js/vm.h"

/* One JS realm and the Context it belongs to (js_realm_new needs one per realm). */
typedef struct TandemRealm {
  Context *ctx;
  JsRealm *realm;
} TandemRealm;

struct T262Realm {
  Runtime *rt;
  T262Host host;
  volatile int *interrupt;
  TandemRealm *realms; /* realms[0] is the test's realm */
  int n_realms, cap_realms;
  /* An engine-made failure with no JS exception (modules not supported). */
  char host_error[256];
  bool has_host_error;
};

static T262Realm *owner_of(Runtime *rt) { return rt->embedder_data; }

/* The realm a $262 function belongs to: its magic is the realm's index. */
static JsRealm *realm_at(Runtime *rt, int index) {
  T262Realm *tr = owner_of(rt);
  return index >= 0 && index < tr->n_realms ? tr->realms[index].realm : NULL;
}

static bool add_host_api(Runtime *rt, int index, Value *out_262);

/* --- print and $262 ---------------------------------------------------------------- */

static void print_utf8(Runtime *rt, const char *text, size_t len) {
  T262Realm *tr = owner_of(rt);
  if (tr && tr->host.print) tr->host.print(tr->host.data, text, len);
}

static Value native_print(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,
                          Value new_target, int magic) {
  (void)func, (void)this_val, (void)argc, (void)new_target, (void)magic;
  Value s = js_to_string(rt, argv[0]);
  if (val_is_exception(s)) return s;
  size_t len = 0;
  char *text = str_to_utf8(rt, s, &len);
  if (!text) return rt_throw_out_of_memory(rt);
  print_utf8(rt, text, len);
  free(text);
  return VAL_UNDEFINED;
}

static Value native_create_realm(Runtime *rt, Value func, Value this_val, int argc,
                                 const Value *argv, Value new_target, int magic) {
  (void)func, (void)this_val, (void)argc, (void)argv, (void)new_target, (void)magic;
  T262Realm *tr = owner_of(rt);
  if (tr->n_realms == tr->cap_realms) {
    int cap = tr->cap_realms ? tr->cap_realms * 2 : 4;
    TandemRealm *grown = realloc(tr->realms, (size_t)cap * sizeof *grown);
    if (!grown) return rt_throw_out_of_memory(rt);
    tr->realms = grown;
    tr->cap_realms = cap;
  }
  Context *ctx = calloc(1, sizeof *ctx);
  if (!ctx) return rt_throw_out_of_memory(rt);
  ctx->rt = rt;
  ctx->global = VAL_UNDEFINED;
  JsRealm *saved = js_rt(rt)->current;
  JsRealm *r = js_realm_new(ctx);
  js_rt(rt)->current = saved;
  if (!r) {
    free(ctx);
    if (!rt_has_exception(rt)) rt_throw_out_of_memory(rt);
    return VAL_EXCEPTION;
  }
  int index = tr->n_realms++;
  tr->realms[index] = (TandemRealm){ctx, r};
  Value obj;
  if (!add_host_api(rt, index, &obj)) return VAL_EXCEPTION;
  return obj;
}

static Value native_eval_script(Runtime *rt, Value func, Value this_val, int argc,
                                const Value *argv, Value new_target, int magic) {
  (void)func, (void)this_val, (void)argc, (void)new_target;
  JsRealm *target = realm_at(rt, magic);
  if (!target) return js_throw(rt, ERR_TypeError, "$262.evalScript: the realm is gone");
  Value s = js_to_string(rt, argv[0]);
  if (val_is_exception(s)) return s;
  size_t len = 0;
  char *text = str_to_utf8(rt, s, &len);
  if (!text) return rt_throw_out_of_memory(rt);
  JsRuntime *jr = js_rt(rt);
  JsRealm *saved = jr->current;
  jr->current = target;
  Value r = js_eval_script(rt, "<evalScript>", text, len, 0);
  jr->current = saved;
  free(text);
  return r;
}

static Value native_gc(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,
                       Value new_target, int magic) {
  (void)func, (void)this_val, (void)argc, (void)argv, (void)new_target, (void)magic;
  gc_collect(rt->heap);
  return VAL_UNDEFINED;
}

static Value native_detach_array_buffer(Runtime *rt, Value func, Value this_val, int argc,
                                        const Value *argv, Value new_target, int magic) {
  (void)func, (void)this_val, (void)argc, (void)argv, (void)new_target, (void)magic;
  return js_throw(rt, ERR_TypeError, "$262.detachArrayBuffer: ArrayBuffer is not supported yet");
}

static double monotonic_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static Value native_agent_sleep(Runtime *rt, Value func, Value this_val, int argc,
                                const Value *argv, Value new_target, int magic) {
  (void)func, (void)this_val, (void)argc, (void)new_target, (void)magic;
  double ms;
  if (!js_to_number(rt, argv[0], &ms)) return VAL_EXCEPTION;
  /* Sleep in slices so the time limit still stops a long sleep. */
  double end = monotonic_ms() + (ms > 0 ? ms : 0);
  while (!rt->interrupt_requested && !*owner_of(rt)->interrupt) {
    double left = end - monotonic_ms();
    if (left <= 0) break;
    if (left > 10) left = 10;
    struct timespec ts = {0, (long)(left * 1e6)};
    nanosleep(&ts, NULL);
  }
  return VAL_UNDEFINED;
}

static Value native_agent_now(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,
                              Value new_target, int magic) {
  (void)rt, (void)func, (void)this_val, (void)argc, (void)argv, (void)new_target, (void)magic;
  return val_from_number(monotonic_ms());
}

static Value native_agent_unsupported(Runtime *rt, Value func, Value this_val, int argc,
                                      const Value *argv, Value new_target, int magic) {
  (void)func, (void)this_val, (void)argc, (void)argv, (void)new_target, (void)magic;
  return js_throw(rt, ERR_TypeError,
                  "$262.agent: other agents need one runtime per thread (not supported yet)");
}

/* Installs print and $262 on the global of realm `index`; *out_262 gets $262. */
static bool add_host_api(Runtime *rt, int index, Value *out_262) {
  T262Realm *tr = owner_of(rt);
  JsRealm *r = tr->realms[index].realm;
  JsRuntime *jr = js_rt(rt);
  JsRealm *saved = jr->current;
  jr->current = r; /* js_define_method makes functions of the current realm */
  const uint8_t hidden = PROP_WRITABLE | PROP_CONFIGURABLE;
  bool ok = false;
  Object *o262 = obj_new(rt, js_intrinsic(r, JS_INTR_ObjectPrototype), OBJ_CLASS_Object, 8);
  if (!o262) goto done;
  Value v262 = obj_value(o262);
  /* Reachable from the global before anything else allocates. */
  if (!js_define_value(rt, r->global, "$262", v262, hidden)) goto done;
  if (!js_define_method(rt, r->global, "print", native_print, 1, index)) goto done;
  if (!js_define_method(rt, v262, "createRealm", native_create_realm, 0, index) ||
      !js_define_method(rt, v262, "evalScript", native_eval_script, 1, index) ||
      !js_define_method(rt, v262, "gc", native_gc, 0, index) ||
      !js_define_method(rt, v262, "detachArrayBuffer", native_detach_array_buffer, 1, index) ||
      !js_define_value(rt, v262, "global", r->global, hidden))
    goto done;
  Object *agent = obj_new(rt, js_intrinsic(r, JS_INTR_ObjectPrototype), OBJ_CLASS_Object, 8);
  if (!agent) goto done;
  if (!js_define_value(rt, v262, "agent", obj_value(agent), hidden)) goto done;
  Value va = obj_value(agent);
  static const char *const unsupported[] = {"start",  "broadcast",        "getReport",
                                            "report", "receiveBroadcast", "leaving"};
  for (size_t i = 0; i < sizeof unsupported / sizeof *unsupported; i++)
    if (!js_define_method(rt, va, unsupported[i], native_agent_unsupported, 1, index)) goto done;
  if (!js_define_method(rt, va, "sleep", native_agent_sleep, 1, index) ||
      !js_define_method(rt, va, "monotonicNow", native_agent_now, 0, index))
    goto done;
  *out_262 = v262;
  ok = true;
done:
  jr->current = saved;
  if (!ok && !rt_has_exception(rt)) rt_throw_out_of_memory(rt);
  return ok;
}

/* --- the engine ---------------------------------------------------------------------- */

static void tandem_realm_free(T262Realm *tr) {
  if (!tr) return;
  if (tr->rt) {
    if (t262_interrupt_target == &tr->rt->interrupt_requested) t262_interrupt_target = NULL;
    js_runtime_free(tr->rt); /* frees every JsRealm; their contexts go below */
    rt_free(tr->rt);
  }
  for (int i = 0; i < tr->n_realms; i++) free(tr->realms[i].ctx);
  free(tr->realms);
  free(tr);
}

static T262Realm *tandem_realm_new(const T262Limits *limits, const T262Host *host, char *msg,
                                   size_t msg_size) {
  T262Realm *tr = calloc(1, sizeof *tr);
  if (!tr) {
    snprintf(msg, msg_size, "engine: out of memory");
    return NULL;
  }
  tr->host = *host;
  tr->interrupt = limits->interrupt;
  RuntimeOptions opts = {0};
  opts.max_heap_bytes = limits->max_heap_bytes;
  tr->rt = rt_new(&opts);
  if (!tr->rt) {
    snprintf(msg, msg_size, "engine: cannot create a runtime");
    tandem_realm_free(tr);
    return NULL;
  }
  Runtime *rt = tr->rt;
  rt->embedder_data = tr;
  /* The runner's SIGALRM handler stores 1 here too: the interpreter polls
   * interrupt_requested at every loop back-edge, so no copying is needed. */
  t262_interrupt_target = &rt->interrupt_requested;
  if (*limits->interrupt) rt->interrupt_requested = 1;

  tr->realms = calloc(4, sizeof *tr->realms);
  Context *ctx = calloc(1, sizeof *ctx);
  if (!tr->realms || !ctx) {
    free(ctx);
    snprintf(msg, msg_size, "engine: out of memory");
    tandem_realm_free(tr);
    return NULL;
  }
  tr->cap_realms = 4;
  ctx->rt = rt;
  ctx->global = VAL_UNDEFINED;
  tr->realms[0].ctx = ctx;
  tr->n_realms = 1; /* owns ctx from here on */
  if (!js_context_init(ctx)) {
    snprintf(msg, msg_size, "engine: js_context_init failed: %s", rt_exception_message(rt));
    tandem_realm_free(tr);
    return NULL;
  }
  tr->realms[0].realm = ctx->js_realm;
  js_rt(rt)->current = tr->realms[0].realm;
  js_rt(rt)->print = print_utf8; /* console.log and friends */
  Value v262;
  if (!add_host_api(rt, 0, &v262)) {
    snprintf(msg, msg_size, "engine: cannot install $262: %s", rt_exception_message(rt));
    tandem_realm_free(tr);
    return NULL;
  }
  return tr;
}

/* How a pending exception ended the evaluation. */
static T262Eval classify_exception(T262Realm *tr) {
  Runtime *rt = tr->rt;
  if (*tr->interrupt) return T262_EVAL_INTERRUPTED;
  if (rt_exception_kind(rt) == ERR_InternalError) {
    const char *m = rt_exception_message(rt);
    if (strcmp(m, "out of memory") == 0) return T262_EVAL_OUT_OF_MEMORY;
    if (strcmp(m, "interrupted") == 0) return T262_EVAL_INTERRUPTED;
  }
  return T262_EVAL_RUNTIME_ERROR;
}

/* The compiler and interpreter reject what they cannot do yet with a
 * SyntaxError ("... is not supported yet"). That is neither an early error
 * nor the test's exception, and must not pass a negative test: report it
 * with no constructor name. */
static bool unsupported(T262Realm *tr) {
  Runtime *rt = tr->rt;
  const char *m = rt_exception_message(rt);
  if (!strstr(m, "not supported yet")) return false;
  snprintf(tr->host_error, sizeof tr->host_error, "unsupported: %s", m);
  tr->has_host_error = true;
  rt_clear_exception(rt);
  return true;
}

static T262Eval tandem_eval_script(T262Realm *tr, const char *filename, const char *source,
                                   size_t len) {
  Runtime *rt = tr->rt;
  js_rt(rt)->current = tr->realms[0].realm;
  JsFunctionCode *code = NULL;
  Value v = js_compile_script(rt, filename, source, len, 0, &code);
  if (val_is_exception(v)) {
    T262Eval r = classify_exception(tr);
    if (r != T262_EVAL_RUNTIME_ERROR || unsupported(tr)) return r;
    return T262_EVAL_PARSE_ERROR;
  }
  Value r = js_interp_run(rt, NULL, code, NULL, tr->realms[0].realm->global, 0, NULL,
                          VAL_UNDEFINED);
  if (val_is_exception(r)) {
    T262Eval e = classify_exception(tr);
    if (e == T262_EVAL_RUNTIME_ERROR) unsupported(tr);
    return e;
  }
  if (*tr->interrupt) return T262_EVAL_INTERRUPTED;
  return T262_EVAL_OK;
}

static T262Eval tandem_eval_module(T262Realm *tr, const char *path, const char *source,
                                   size_t len) {
  (void)path, (void)source, (void)len;
  snprintf(tr->host_error, sizeof tr->host_error, "modules are not supported yet");
  tr->has_host_error = true;
  return T262_EVAL_RUNTIME_ERROR;
}

static T262Eval tandem_drain_jobs(T262Realm *tr) {
  (void)tr; /* no promise jobs until Promise exists */
  return T262_EVAL_OK;
}

static T262Eval tandem_module_status(T262Realm *tr) {
  (void)tr;
  return T262_EVAL_OK;
}

/* Copies string value s (or nothing) into buf, clearing any exception. */
static void copy_string(Runtime *rt, Value s, char *buf, size_t size) {
  if (size == 0) return;
  buf[0] = '\0';
  if (!val_is_exception(s) && str_is_string(s) && str_to_utf8_buf(rt, s, buf, size) == SIZE_MAX)
    buf[0] = '\0';
  rt_clear_exception(rt);
}

static bool tandem_take_exception(T262Realm *tr, char *ctor, size_t ctor_size, char *msg,
                                  size_t msg_size) {
  Runtime *rt = tr->rt;
  if (ctor_size) ctor[0] = '\0';
  if (msg_size) msg[0] = '\0';
  if (tr->has_host_error) {
    snprintf(msg, msg_size, "%s", tr->host_error);
    tr->has_host_error = false;
    return true;
  }
  if (!rt_has_exception(rt)) return false;
  ErrorKind kind = rt_exception_kind(rt);
  char raw[512];
  snprintf(raw, sizeof raw, "%s", rt_exception_message(rt));
  Value exc = rt_take_exception(rt);
  rt->interrupt_requested = 0; /* getters below must run to completion */
  if (val_is_object(exc)) {
    Value c = js_get(rt, exc, atom_well_known(rt, ATOM_constructor));
    if (!val_is_exception(c) && val_is_object(c))
      copy_string(rt, js_get(rt, c, atom_well_known(rt, ATOM_name)), ctor, ctor_size);
    rt_clear_exception(rt);
    Value m = js_get(rt, exc, atom_well_known(rt, ATOM_message));
    if (!val_is_exception(m) && !val_is_undefined(m)) m = js_to_string(rt, m);
    copy_string(rt, m, msg, msg_size);
  } else if (val_is_undefined(exc) && raw[0]) {
    /* An error the runtime could not make an object for (out of memory). */
    snprintf(ctor, ctor_size, "%s", error_kind_name(kind));
    snprintf(msg, msg_size, "%s", raw);
  } else {
    copy_string(rt, js_to_string(rt, exc), msg, msg_size);
  }
  return true;
}

static const T262Engine tandem_engine = {
    .name = "tandem",
    .realm_new = tandem_realm_new,
    .realm_free = tandem_realm_free,
    .eval_script = tandem_eval_script,
    .eval_module = tandem_eval_module,
    .drain_jobs = tandem_drain_jobs,
    .module_status = tandem_module_status,
    .take_exception = tandem_take_exception,
};

const T262Engine *t262_tandem_engine_impl(void) { return &tandem_engine; }
#else
/* No interpreter in this build: run mode says it is unavailable. */
const T262Engine *t262_tandem_engine_impl(void) { return NULL; }
#endif
