/*---
description: a module importing a fixture
flags: [module]
features:
  - modules
---*/
FAKE:import ./dep_FIXTURE.js
