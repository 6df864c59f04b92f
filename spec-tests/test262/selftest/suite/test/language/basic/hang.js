/*---
description: the engine hangs and ignores the interrupt flag
flags: [noStrict]
---*/
FAKE:hang
