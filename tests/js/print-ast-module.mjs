// args: --print-ast
import { readFile as rf } from "fs";
export const url = import.meta.url;
export default class Point {
  #x = 0;
  get x() { return this.#x; }
}
await rf;
