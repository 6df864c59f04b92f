/* test_util.h: shared scaffolding for the Check unit suites: one macro that
 * runs a suite and turns its result into the exit status. */
#ifndef TANDEM_TEST_UTIL_H
#define TANDEM_TEST_UTIL_H

#include <check.h>
#include <stdlib.h>

static inline int test_run_suite(Suite *s) {
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
