// Not a WASI command: a library module exporting fib, for `wasmspec run fib.wasm --invoke fib 20`.
int fib(int n) {
    int a = 0, b = 1;
    for (int i = 0; i < n; i++) { int t = a + b; a = b; b = t; }
    return a;
}

// A trap with named functions on the stack, for the backtrace.
__attribute__((noinline)) static int fail(int x) { if (x >= 0) __builtin_trap(); return x; }
int crash(int x) { return fail(x) + 1; }
