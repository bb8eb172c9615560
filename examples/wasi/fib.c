// Not a WASI command: a library module exporting fib, for `wasmspec run fib.wasm --invoke fib 20`.
int fib(int n) {
    int a = 0, b = 1;
    for (int i = 0; i < n; i++) { int t = a + b; a = b; b = t; }
    return a;
}

// A trap with a named function on the stack, for the backtrace.
__attribute__((noinline)) static int divide(int a, int b) { return a / b; }
int crash(int x) { return divide(x, 0); }
