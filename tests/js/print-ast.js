// args: --print-ast
function add(a, b = 1) {
  let sum = a + b;
  return () => sum;
}
const { x, ...rest } = add(2);
label: for (const k of [1, 2]) if (k) break label;
