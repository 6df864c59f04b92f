/* glue.h: what test262_runner's main takes from tandem_glue.c. */
#ifndef TANDEM_T262_GLUE_H
#define TANDEM_T262_GLUE_H

#include "t262.h"

/* js_check_syntax in a fresh Runtime, or NULL when the parser is not built. */
T262SyntaxCheck t262_tandem_syntax_check(size_t max_heap_bytes);

#endif
