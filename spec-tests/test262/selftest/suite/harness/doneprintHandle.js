// fake doneprintHandle.js
