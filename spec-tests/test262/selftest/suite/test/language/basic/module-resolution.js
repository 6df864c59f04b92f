/*---
description: a fixture fails to parse, so resolution fails
negative:
  phase: resolution
  type: SyntaxError
flags: [module]
---*/
FAKE:import ./bad_FIXTURE.js
