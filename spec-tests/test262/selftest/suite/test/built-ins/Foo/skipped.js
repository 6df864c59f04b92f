/*---
description: skipped for its feature
features: [Symbol, FakeUnimplemented]
---*/
FAKE:crash
