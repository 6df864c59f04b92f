/*---
description: async test that completes
flags: [async]
---*/
FAKE:print Test262:AsyncTestComplete
