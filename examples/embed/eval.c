/* eval.c: an embedder evaluates JavaScript in a context, reads results as
 * text, and gets uncaught errors back as values, with the engine healthy
 * afterwards. Uses only include/tandem.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tandem.h>

static int check(tandem_context *ctx, const char *src, int want_status, const char *want) {
  char *out = NULL;
  int status = tandem_eval(ctx, src, strlen(src), "embed.js", &out);
  int ok = status == want_status && out && strstr(out, want) != NULL;
  printf("%s %s -> %s\n", ok ? "ok  " : "FAIL", src, out ? out : "(null)");
  free(out);
  return ok;
}

int main(void) {
  tandem_runtime *rt = tandem_runtime_new(NULL);
  tandem_context *ctx = rt ? tandem_context_new(rt) : NULL;
  if (!ctx) return 1;
  int ok = 1;
  ok &= check(ctx, "1 + 2 * 3", 0, "7");
  ok &= check(ctx, "var greeting = 'hello'; greeting + ', embedder'", 0, "hello, embedder");
  ok &= check(ctx, "greeting.length", 0, "5"); /* state persists across evals */
  ok &= check(ctx, "function f() { return g(); } f()", 1, "ReferenceError: g is not defined");
  ok &= check(ctx, "let = ;", 1, "SyntaxError");
  ok &= check(ctx, "(function r() { return r(); })()", 1, "Maximum call stack size exceeded");
  ok &= check(ctx, "[1, 2, 3].map(x => x * 2).join('-')", 0, "2-4-6");
  tandem_gc(rt);
  tandem_context_free(ctx);
  tandem_runtime_free(rt);
  return ok ? 0 : 1;
}
