/* backend_parse.c: parse mode. A test passes when the syntax checker's
 * verdict matches its metadata: a `negative: {phase: parse}` test must be
 * rejected, every other test accepted, parsed exactly as run mode would run
 * it (strict variant with the directive prepended, modules as modules, raw
 * as-is). Harness includes are not needed to parse a test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t262.h"

static T262SyntaxCheck checker;

static const char STRICT_PREFIX[] = "\"use strict\";\n";

static T262Outcome parse_run(const T262Config *cfg, const T262Case *tc, char *msg,
                             size_t msg_size) {
  const char *src = tc->source;
  size_t len = tc->source_len;
  char *owned = NULL;
  int flags = 0;
  if (tc->variant == T262_VAR_MODULE) flags |= T262_SYNTAX_MODULE;
  if (tc->variant == T262_VAR_STRICT) {
    size_t plen = sizeof STRICT_PREFIX - 1;
    owned = malloc(plen + len + 1);
    if (!owned) {
      snprintf(msg, msg_size, "out of memory");
      return T262_FAIL;
    }
    memcpy(owned, STRICT_PREFIX, plen);
    memcpy(owned + plen, src, len + 1);
    src = owned;
    len += plen;
  }
  char why[512] = "";
  bool ok = checker(tc->abs_path, src, len, flags, why, sizeof why);
  free(owned);

  if (t262_interrupt) {
    snprintf(msg, msg_size, "interrupted at the time limit");
    return T262_TIMEOUT;
  }
  bool expect_reject = tc->meta->negative_phase == T262_PHASE_PARSE;
  if (expect_reject) {
    if (ok) {
      snprintf(msg, msg_size, "expected %s at parse time, but it parsed", tc->meta->negative_type);
      return T262_FAIL;
    }
    /* The checker reports "file:line:col: Type: message". */
    if (!strstr(why, tc->meta->negative_type)) {
      snprintf(msg, msg_size, "expected %s, got: %s", tc->meta->negative_type, why);
      return T262_FAIL;
    }
    return T262_PASS;
  }
  if (!ok) {
    snprintf(msg, msg_size, "rejected: %s", why);
    return T262_FAIL;
  }
  return T262_PASS;
}

void t262_parse_backend(T262Backend *b, T262SyntaxCheck check) {
  memset(b, 0, sizeof *b);
  checker = check;
  b->name = "parse";
  b->unavailable = check ? NULL : "no syntax checker (js_check_syntax) is linked in";
  b->run = parse_run;
}
