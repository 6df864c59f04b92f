/*---
description: async test that never prints
flags: [async]
---*/
var nothing;
