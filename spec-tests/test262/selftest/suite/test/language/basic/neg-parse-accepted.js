/*---
description: a negative test the engine wrongly accepts
negative: {phase: parse, type: SyntaxError}
---*/
var ok;
