// Memory-heavy kernel: a blocked multiply of two N x N matrices of doubles (tiles small enough to stay in cache while
// they are reused), then a walk through a large array in the order of a random cycle, where nearly every load misses
// the cache.
//   matmul [N]   N defaults to 640; the walk covers 8 N^2 slots
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define TILE 48

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

// xorshift64*: a small generator with good enough statistics for test data.
static uint64_t next_random(void) {
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ull;
}

static int min(int a, int b) { return a < b ? a : b; }

// c += a * b, all n x n and row-major, one TILE x TILE block of each at a time.
static void multiply(const double *a, const double *b, double *c, int n) {
    for (int i0 = 0; i0 < n; i0 += TILE)
        for (int k0 = 0; k0 < n; k0 += TILE)
            for (int j0 = 0; j0 < n; j0 += TILE)
                for (int i = i0; i < min(i0 + TILE, n); i++)
                    for (int k = k0; k < min(k0 + TILE, n); k++) {
                        double aik = a[(size_t)i * n + k];
                        const double *brow = b + (size_t)k * n;
                        double *crow = c + (size_t)i * n;
                        for (int j = j0; j < min(j0 + TILE, n); j++) crow[j] += aik * brow[j];
                    }
}

// Follows next[] from slot 0 for one full cycle (Sattolo's shuffle makes the permutation a single cycle).
static uint64_t walk(uint32_t slots) {
    uint32_t *next = malloc(slots * sizeof *next);
    for (uint32_t i = 0; i < slots; i++) next[i] = i;
    for (uint32_t i = slots - 1; i > 0; i--) {
        uint32_t j = (uint32_t)(next_random() % i);
        uint32_t t = next[i]; next[i] = next[j]; next[j] = t;
    }
    uint64_t sum = 0;
    uint32_t at = 0;
    for (uint32_t step = 0; step < slots; step++) {
        at = next[at];
        sum = sum * 1000003 + at;
    }
    free(next);
    return sum ^ at;
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 640;
    if (n < 2) n = 2;
    size_t cells = (size_t)n * n;
    double *a = malloc(cells * sizeof *a), *b = malloc(cells * sizeof *b), *c = calloc(cells, sizeof *c);
    // Small integers over 64: every product and sum below is exact, so the checksum does not depend on the order.
    for (size_t i = 0; i < cells; i++) { a[i] = (double)(next_random() % 17) / 64; b[i] = (double)(next_random() % 19) / 64; }
    multiply(a, b, c, n);
    double trace = 0, total = 0;
    for (int i = 0; i < n; i++) trace += c[(size_t)i * n + i];
    for (size_t i = 0; i < cells; i++) total += c[i];
    printf("matmul %dx%d trace=%.6f sum=%.6f c[n-1][0]=%.6f\n", n, n, trace, total, c[(size_t)(n - 1) * n]);
    free(a); free(b); free(c);
    uint32_t slots = (uint32_t)(8 * cells);
    printf("walk over %u slots: %016llx\n", slots, (unsigned long long)walk(slots));
    return 0;
}
