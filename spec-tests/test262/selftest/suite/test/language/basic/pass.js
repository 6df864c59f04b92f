/*---
description: >
  A plain test: both variants pass.
  includes: [not-a-key.js]
info: |
  - not a list item
    flags: [raw]
esid: sec-x
includes: [extra.js]
---*/
var x = 1;
