// fake assert.js
