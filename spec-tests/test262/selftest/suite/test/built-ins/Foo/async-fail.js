/*---
description: async test that reports a failure
flags: [async]
---*/
FAKE:print Test262:AsyncTestFailure:Test262Error
