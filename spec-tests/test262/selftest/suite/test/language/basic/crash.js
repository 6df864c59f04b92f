/*---
description: the engine crashes on the sloppy variant
---*/
FAKE:crash
