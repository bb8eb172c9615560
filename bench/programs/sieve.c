// Integer kernel: a sieve of Eratosthenes below N (one byte a number), then the Collatz chain length of every start
// below N/4, the short ones remembered so a chain stops where it meets a known one.
//   sieve [N]      N defaults to 40,000,000
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

// Marks the composites below n; returns how many primes there are and adds them to *sum.
static uint32_t sieve(uint32_t n, uint8_t *composite, uint64_t *sum) {
    uint32_t count = 0;
    for (uint32_t i = 2; i < n; i++) {
        if (composite[i]) continue;
        count++;
        *sum += i;
        // Every smaller multiple of i already has a smaller prime factor.
        for (uint64_t j = (uint64_t)i * i; j < n; j += i) composite[j] = 1;
    }
    return count;
}

// The length of the chain from every start below limit; memo[v] holds the length from v once known (0: not yet).
// Values climb far above limit, so they are 64-bit and only the ones below limit are remembered.
static uint64_t collatz(uint32_t limit, uint32_t *memo, uint32_t *best_start, uint32_t *best_len) {
    uint64_t total = 0;
    memo[1] = 1;
    *best_start = 1;
    *best_len = 1;
    for (uint32_t start = 2; start < limit; start++) {
        uint64_t v = start;
        uint32_t steps = 0;
        while (v >= limit || memo[v] == 0) {
            v = (v & 1) ? 3 * v + 1 : v >> 1;
            steps++;
        }
        uint32_t len = steps + memo[v];
        memo[start] = len;
        total += len;
        if (len > *best_len) { *best_len = len; *best_start = start; }
    }
    return total;
}

int main(int argc, char **argv) {
    uint32_t n = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 40000000u;
    if (n < 16) n = 16;
    uint8_t *composite = calloc(n, 1);
    uint64_t sum = 0;
    uint32_t primes = sieve(n, composite, &sum);
    uint32_t twins = 0;
    for (uint32_t i = 3; i + 2 < n; i += 2) twins += !composite[i] && !composite[i + 2];
    free(composite);

    uint32_t limit = n / 4;
    uint32_t *memo = calloc(limit, sizeof *memo);
    uint32_t best_start, best_len;
    uint64_t total = collatz(limit, memo, &best_start, &best_len);
    free(memo);

    printf("sieve n=%u primes=%u sum=%llu twins=%u\n", n, primes, (unsigned long long)sum, twins);
    printf("collatz below %u: longest from %u (%u terms), total %llu\n", limit, best_start, best_len, (unsigned long long)total);
    return 0;
}
