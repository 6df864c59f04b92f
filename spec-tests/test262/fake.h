/* fake.h: the runner's pretend engine (fake.c), for testing the runner
 * without a JavaScript engine. */
#ifndef TANDEM_T262_FAKE_H
#define TANDEM_T262_FAKE_H

#include "t262.h"

bool t262_fake_check_syntax(const char *filename, const char *source, size_t len, int flags,
                            char *msg, size_t msg_size);
const T262Engine *t262_fake_engine(void);

#endif
