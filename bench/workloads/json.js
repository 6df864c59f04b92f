// json: build records, JSON.stringify them, JSON.parse them back and walk the
// result (strings, property access, number formatting and parsing).
function makeRecords(n, seed) {
  const out = [];
  for (let i = 0; i < n; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    out.push({
      id: i,
      name: "item-" + i + "-" + (seed % 1000),
      price: (seed % 100000) / 100,
      tags: ["t" + (seed % 7), "t" + (seed % 11), i % 3 === 0 ? "special" : "plain"],
      nested: { active: i % 2 === 0, score: (seed >>> 8) % 1000, note: "line\n\"quoted\"\t" + i },
    });
  }
  return out;
}

function workload(n) {
  let acc = 0;
  for (let round = 0; round < 10; round++) {
    const text = JSON.stringify(makeRecords(n, round + 1));
    const back = JSON.parse(text);
    let sum = text.length;
    for (const r of back) {
      sum += r.id + r.name.length + Math.round(r.price * 100) + r.tags.length + r.nested.score;
      if (r.nested.active) sum += 1;
    }
    acc = (Math.imul(acc, 31) + sum) >>> 0;
  }
  return acc;
}

const N = (typeof scriptArgs !== "undefined" && scriptArgs.length) ? +scriptArgs[0]
  : (typeof process !== "undefined" && process.argv.length > 2) ? +process.argv[2] : 5000;
(typeof console !== "undefined" ? console.log : print)(String(workload(N)));
