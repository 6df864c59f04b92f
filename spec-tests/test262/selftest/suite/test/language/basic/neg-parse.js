// Copyright header before the metadata.
/*---
description: rejected as expected
negative:
  phase: parse
  type: SyntaxError
---*/
FAKE:syntax
