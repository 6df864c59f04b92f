// args: --print-tokens
let x = 0x1F + 1_000;
const re = /a[/]b/gi, t = `a${x}b`;
if (x >= 10) x **= 2; // done
