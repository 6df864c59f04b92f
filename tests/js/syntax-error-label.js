// exit: 1
while (true) {
  continue outer;
}
