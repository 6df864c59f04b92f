/*---
description: runs after the crash on a replacement worker
flags: [raw]
---*/
var z;
