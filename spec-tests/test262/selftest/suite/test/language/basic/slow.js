/*---
description: the engine stops at the soft time limit
flags: [onlyStrict]
---*/
FAKE:slow
