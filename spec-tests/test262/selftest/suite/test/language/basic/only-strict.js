/*---
description: block list of flags
flags:
  - onlyStrict
---*/
var y;
