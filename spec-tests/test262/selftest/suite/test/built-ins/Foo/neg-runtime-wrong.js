/*---
description: throws the wrong error
negative:
  phase: runtime
  type: TypeError
---*/
FAKE:throw RangeError
