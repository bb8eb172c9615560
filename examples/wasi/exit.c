// Exits with the status given as its first argument (3 without one), after writing to stdout and stderr.
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    int code = argc > 1 ? atoi(argv[1]) : 3;
    printf("exiting with %d\n", code);
    fprintf(stderr, "to stderr\n");
    exit(code);
}
