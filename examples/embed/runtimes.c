/* runtimes.c: an embedder creates several independent runtimes, each with
 * its own heap and contexts, and tears them down in any order. */
#include <stdio.h>
#include <string.h>
#include <tandem.h>

int main(void) {
  printf("tandem %s\n", tandem_version());
  tandem_runtime_options opts = {.max_heap_bytes = 64u << 20};
  tandem_runtime *a = tandem_runtime_new(&opts);
  tandem_runtime *b = tandem_runtime_new(NULL);
  if (!a || !b) {
    fprintf(stderr, "cannot create runtimes\n");
    return 1;
  }
  tandem_context *ca = tandem_context_new(a);
  tandem_context *cb1 = tandem_context_new(b);
  tandem_context *cb2 = tandem_context_new(b);
  if (!ca || !cb1 || !cb2) return 1;
  tandem_gc(a);
  tandem_gc(b);
  /* Contexts go before their runtime; runtimes in any order. */
  tandem_context_free(cb1);
  tandem_context_free(ca);
  tandem_runtime_free(a);
  tandem_context_free(cb2);
  tandem_runtime_free(b);
  printf("ok\n");
  return 0;
}
