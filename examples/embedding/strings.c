// A WASI reactor: a C library whose string function a host calls. The host allocates with the exported malloc,
// writes a UTF-8 string into guest memory, calls greet, reads the zero-terminated result and frees both.
#include <stdlib.h>
#include <string.h>

__attribute__((export_name("greet")))
char *greet(const char *name, size_t length) {
    char *out = malloc(length + sizeof "Hello, !");
    if (!out) return NULL;
    memcpy(out, "Hello, ", 7);
    memcpy(out + 7, name, length);
    memcpy(out + 7 + length, "!", 2);
    return out;
}
