// exit: 1
let a = 1;
if (a) {
  let x = );
}
