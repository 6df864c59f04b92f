// exit: 1
class A {
  m() { return this.#missing; }
}
