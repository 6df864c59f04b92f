// fake extra include
