// exit: 1
async function load(url) {
  const f = function () { return await fetch(url); };
}
