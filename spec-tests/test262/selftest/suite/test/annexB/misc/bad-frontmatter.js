/*---
description: an unknown flag is an error, not silently ignored
flags: [onlyStrictt]
---*/
