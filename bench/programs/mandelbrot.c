// Floating-point kernel with a data-dependent exit: the Mandelbrot set on a SIZE x SIZE grid over [-2, 0.5] x
// [-1.25, 1.25], at most 64 iterations a point, packed eight points a byte as a bitmap would be; the bitmap's
// FNV-1a hash and the histogram of escape times are the checksum.
//   mandelbrot [SIZE]   SIZE defaults to 2800
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_ITER 64

// The iteration at which the orbit of c leaves the disc of radius 2, or MAX_ITER if it never does.
static int escape_time(double cr, double ci) {
    double zr = 0, zi = 0, zr2 = 0, zi2 = 0;
    int k = 0;
    while (k < MAX_ITER && zr2 + zi2 <= 4.0) {
        zi = 2 * zr * zi + ci;
        zr = zr2 - zi2 + cr;
        zr2 = zr * zr;
        zi2 = zi * zi;
        k++;
    }
    return k;
}

int main(int argc, char **argv) {
    int size = argc > 1 ? atoi(argv[1]) : 2800;
    if (size < 8) size = 8;
    int row_bytes = (size + 7) / 8;
    uint8_t *bitmap = calloc((size_t)row_bytes * size, 1);
    uint64_t histogram[MAX_ITER + 1] = {0};
    for (int y = 0; y < size; y++) {
        double ci = -1.25 + 2.5 * y / size;
        uint8_t *row = bitmap + (size_t)y * row_bytes;
        for (int x = 0; x < size; x++) {
            double cr = -2.0 + 2.5 * x / size;
            int k = escape_time(cr, ci);
            histogram[k]++;
            if (k == MAX_ITER) row[x >> 3] |= (uint8_t)(0x80 >> (x & 7));
        }
    }
    uint64_t hash = 14695981039346656037ull;
    for (size_t i = 0; i < (size_t)row_bytes * size; i++) hash = (hash ^ bitmap[i]) * 1099511628211ull;
    uint64_t weighted = 0;
    for (int k = 0; k <= MAX_ITER; k++) weighted = weighted * 31 + histogram[k] * (uint64_t)(k + 1);
    printf("mandelbrot %dx%d inside=%llu bitmap-fnv=%016llx histogram=%016llx\n", size, size,
           (unsigned long long)histogram[MAX_ITER], (unsigned long long)hash, (unsigned long long)weighted);
    free(bitmap);
    return 0;
}
