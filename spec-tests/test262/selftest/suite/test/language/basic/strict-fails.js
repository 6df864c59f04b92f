/*---
description: only the strict variant fails
---*/
FAKE:strict-syntax
