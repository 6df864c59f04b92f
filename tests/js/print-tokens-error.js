// args: --print-tokens
// exit: 1
let s = 'unterminated
