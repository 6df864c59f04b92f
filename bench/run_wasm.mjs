// run_wasm.mjs: runs a freestanding benchmark module under node (V8's Wasm
// tiers) and prints what its bench() export returns, like `tandem --invoke`.
import { readFileSync } from "node:fs";

const bytes = readFileSync(process.argv[2]);
const { instance } = await WebAssembly.instantiate(bytes, {});
console.log(String(instance.exports.bench() >>> 0));
