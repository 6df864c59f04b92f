FAKE:syntax
