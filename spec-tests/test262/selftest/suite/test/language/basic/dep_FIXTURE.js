export var fixture = 1;
