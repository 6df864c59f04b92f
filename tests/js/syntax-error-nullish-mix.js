// exit: 1
const s = "café" ?? a || b;
