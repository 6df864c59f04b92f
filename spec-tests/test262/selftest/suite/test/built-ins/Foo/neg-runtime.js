/*---
description: throws the expected error
negative:
  phase: runtime
  type: TypeError
---*/
FAKE:throw TypeError
