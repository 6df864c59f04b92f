/* code.c: compiled function code and closure environments as heap objects
 * (their GC tracing and finalization), the opcode tables generated from
 * bytecode.h, source positions of code offsets, and the disassembler behind
 * `tandem --print-bytecode`. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "js/vm.h"

const char *const js_op_name[OP_COUNT] = {
#define JS_OP_NAME(name, layout, doc) #name,
    JS_OPCODE_LIST(JS_OP_NAME)
#undef JS_OP_NAME
};

const char *const js_op_layout[OP_COUNT] = {
#define JS_OP_LAYOUT(name, layout, doc) layout,
    JS_OPCODE_LIST(JS_OP_LAYOUT)
#undef JS_OP_LAYOUT
};

/* 1 unit for the opcode, 2 for a jump operand, 1 for every other operand. */
#define JS_OP_LEN(name, layout, doc)                                                               \
  (uint8_t)(1 + sizeof(layout) - 1 + (__builtin_strchr(layout, 'j') != NULL)),
const uint8_t js_op_length[OP_COUNT] = {JS_OPCODE_LIST(JS_OP_LEN)};
#undef JS_OP_LEN

static void trace_code(Heap *heap, void *obj) {
  JsFunctionCode *fc = obj;
  gc_mark_ptr(heap, fc->consts);
  gc_mark_value(heap, fc->name);
  gc_mark_value(heap, fc->source);
  gc_mark_value(heap, fc->filename);
  /* Inline caches hold shapes and holders; keep them alive while cached. */
  for (uint32_t i = 0; i < fc->nfeedback; i++) {
    JsFeedback *f = &fc->feedback[i];
    gc_mark_value(heap, f->target);
    for (uint32_t k = 0; k < f->count && k < JS_IC_POLY; k++) {
      if (f->e[k].shape) gc_mark_ptr(heap, f->e[k].shape);
      if (f->e[k].holder) gc_mark_ptr(heap, f->e[k].holder);
      if (f->e[k].new_shape) gc_mark_ptr(heap, f->e[k].new_shape);
    }
  }
}

static void finalize_code(Heap *heap, void *obj) {
  JsFunctionCode *fc = obj;
  free(fc->code);
  free(fc->feedback);
  free(fc->lines);
}

static void trace_env(Heap *heap, void *obj) {
  JsEnv *e = obj;
  if (e->parent) gc_mark_ptr(heap, e->parent);
  for (uint32_t i = 0; i < e->h.aux; i++) gc_mark_value(heap, e->slots[i]);
}

static pthread_once_t kinds_once = PTHREAD_ONCE_INIT;
static void install_kinds(void) {
  static const GCKindOps code_ops = {"function-code", trace_code, finalize_code};
  static const GCKindOps env_ops = {"environment", trace_env, NULL};
  gc_set_kind_ops(GC_KIND_FUNCTION_CODE, &code_ops);
  gc_set_kind_ops(GC_KIND_ENV, &env_ops);
}
void js_init_gc_kinds(void) { pthread_once(&kinds_once, install_kinds); }

JsEnv *js_env_new(Runtime *rt, JsEnv *parent, uint32_t nslots) {
  JsEnv *e = gc_alloc(rt->heap, GC_KIND_ENV, sizeof(JsEnv) + sizeof(Value) * nslots);
  if (!e) {
    rt_throw_out_of_memory(rt);
    return NULL;
  }
  e->h.aux = nslots;
  e->parent = parent;
  for (uint32_t i = 0; i < nslots; i++) e->slots[i] = VAL_UNINITIALIZED;
  return e;
}

void js_code_position(const JsFunctionCode *fc, uint32_t pc, uint32_t *line, uint32_t *col) {
  *line = *col = 0;
  /* Entries are (offset, line << 12 | column) sorted by offset: take the
   * last entry at or before pc. */
  uint32_t lo = 0, hi = fc->nlines;
  while (lo < hi) {
    uint32_t mid = (lo + hi) / 2;
    if (fc->lines[2 * mid] <= pc) lo = mid + 1;
    else hi = mid;
  }
  if (lo == 0) return;
  uint32_t packed = fc->lines[2 * (lo - 1) + 1];
  *line = packed >> 12;
  *col = packed & 0xfff;
}

static void print_const(Runtime *rt, FILE *out, Value v) {
  if (val_is_int(v)) {
    fprintf(out, "%d", val_to_int(v));
  } else if (val_is_double(v)) {
    char buf[64];
    js_format_number(val_to_double(v), buf, sizeof buf);
    fprintf(out, "%s", buf);
  } else if (str_is_string(v)) {
    char buf[64];
    size_t n = str_to_utf8_buf(rt, v, buf, sizeof buf);
    fprintf(out, "\"%.*s%s\"", (int)(n < 40 ? n : 40), buf, n > 40 ? "..." : "");
  } else if (val_is_ptr(v) && ((GCHeader *)val_to_ptr(v))->kind == GC_KIND_FUNCTION_CODE) {
    const JsFunctionCode *c = val_to_ptr(v);
    char buf[64] = "";
    if (str_is_string(c->name)) str_to_utf8_buf(rt, c->name, buf, sizeof buf);
    fprintf(out, "<function %s>", buf[0] ? buf : "(anonymous)");
  } else if (sym_is_symbol(v)) {
    fprintf(out, "<symbol>");
  } else {
    fprintf(out, "<value>");
  }
}

void js_disassemble(Runtime *rt, FILE *out, const JsFunctionCode *fc) {
  char name[128] = "", file[256] = "";
  if (str_is_string(fc->name)) str_to_utf8_buf(rt, fc->name, name, sizeof name);
  if (str_is_string(fc->filename)) str_to_utf8_buf(rt, fc->filename, file, sizeof file);
  fprintf(out, "[function %s] %s\n", name[0] ? name : (fc->flags & FC_SCRIPT) ? "(script)" : "(anonymous)",
          file);
  fprintf(out, "  registers: %u, parameters: %u, environment slots: %u, feedback slots: %u%s%s\n",
          fc->nregs, fc->nformals, (fc->flags & FC_NEEDS_ENV) ? fc->env_size : 0, fc->nfeedback,
          (fc->flags & FC_STRICT) ? ", strict" : "", (fc->flags & FC_ARROW) ? ", arrow" : "");
  uint32_t last_line = 0;
  for (uint32_t pc = 0; pc < fc->code_len;) {
    uint16_t op = fc->code[pc];
    if (op >= OP_COUNT) {
      fprintf(out, "  %5u  <bad opcode %u>\n", pc, op);
      break;
    }
    uint32_t line, col;
    js_code_position(fc, pc, &line, &col);
    if (line != last_line) {
      fprintf(out, "  ; line %u\n", line);
      last_line = line;
    }
    fprintf(out, "  %5u  %-14s", pc, js_op_name[op]);
    const char *layout = js_op_layout[op];
    uint32_t at = pc + 1;
    for (const char *l = layout; *l; l++) {
      uint16_t u = fc->code[at];
      switch (*l) {
      case 'r': fprintf(out, " r%u", u); at++; break;
      case 'i': fprintf(out, " #%d", (int16_t)u); at++; break;
      case 'n': fprintf(out, " %u", u); at++; break;
      case 'f': fprintf(out, " [fb%u]", u); at++; break;
      case 'k':
        fprintf(out, " k%u(", u);
        if (u < fc->nconsts) print_const(rt, out, fc->consts->v[u]);
        fprintf(out, ")");
        at++;
        break;
      case 'j': {
        int32_t off = (int32_t)((uint32_t)fc->code[at] | ((uint32_t)fc->code[at + 1] << 16));
        fprintf(out, " -> %d", (int)(pc + js_op_length[op] + off));
        at += 2;
        break;
      }
      }
    }
    fprintf(out, "\n");
    pc += js_op_length[op];
  }
  fprintf(out, "\n");
  for (uint32_t i = 0; i < fc->nconsts; i++) {
    Value v = fc->consts->v[i];
    if (val_is_ptr(v) && ((GCHeader *)val_to_ptr(v))->kind == GC_KIND_FUNCTION_CODE)
      js_disassemble(rt, out, val_to_ptr(v));
  }
}
