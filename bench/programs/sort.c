// Sort kernel: three sorts of the same pseudo-random integers — quicksort (median of three, insertion sort for short
// ranges), heapsort and a bottom-up merge sort — each checked sorted and equal to the others.
//   sort [N]   N (the number of integers) defaults to 2,200,000
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state = 0x2545f4914f6cdd1dull;

static uint32_t next_random(void) {
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(rng_state >> 33);
}

static void swap(int32_t *a, int32_t *b) { int32_t t = *a; *a = *b; *b = t; }

static void insertion(int32_t *a, long lo, long hi) {
    for (long i = lo + 1; i <= hi; i++) {
        int32_t key = a[i];
        long j = i - 1;
        while (j >= lo && a[j] > key) { a[j + 1] = a[j]; j--; }
        a[j + 1] = key;
    }
}

// Sorts a[lo..hi]; recurses into the smaller part and loops on the larger, so the depth stays logarithmic.
static void quicksort(int32_t *a, long lo, long hi) {
    while (hi - lo > 16) {
        long mid = lo + (hi - lo) / 2;
        if (a[mid] < a[lo]) swap(&a[mid], &a[lo]);
        if (a[hi] < a[lo]) swap(&a[hi], &a[lo]);
        if (a[hi] < a[mid]) swap(&a[hi], &a[mid]);
        int32_t pivot = a[mid];
        long i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i <= j) { swap(&a[i], &a[j]); i++; j--; }
        }
        if (j - lo < hi - i) { quicksort(a, lo, j); lo = i; }
        else { quicksort(a, i, hi); hi = j; }
    }
    insertion(a, lo, hi);
}

static void sift_down(int32_t *a, long root, long n) {
    for (long child; (child = 2 * root + 1) < n; root = child) {
        if (child + 1 < n && a[child + 1] > a[child]) child++;
        if (a[root] >= a[child]) return;
        swap(&a[root], &a[child]);
    }
}

static void heapsort(int32_t *a, long n) {
    for (long i = n / 2 - 1; i >= 0; i--) sift_down(a, i, n);
    for (long end = n - 1; end > 0; end--) {
        swap(&a[0], &a[end]);
        sift_down(a, 0, end);
    }
}

// Merges runs of width 1, 2, 4, ... between a and a scratch array; returns whichever holds the result.
static int32_t *merge_sort(int32_t *a, int32_t *scratch, long n) {
    int32_t *from = a, *to = scratch;
    for (long width = 1; width < n; width *= 2) {
        for (long lo = 0; lo < n; lo += 2 * width) {
            long mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
            long i = lo, j = mid, k = lo;
            while (i < mid && j < hi) to[k++] = from[j] < from[i] ? from[j++] : from[i++];
            while (i < mid) to[k++] = from[i++];
            while (j < hi) to[k++] = from[j++];
        }
        int32_t *t = from; from = to; to = t;
    }
    return from;
}

static int sorted(const int32_t *a, long n) {
    for (long i = 1; i < n; i++) if (a[i - 1] > a[i]) return 0;
    return 1;
}

int main(int argc, char **argv) {
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 2200000;
    if (n < 2) n = 2;
    int32_t *original = malloc(n * sizeof(int32_t)), *q = malloc(n * sizeof(int32_t)), *h = malloc(n * sizeof(int32_t));
    int32_t *m = malloc(n * sizeof(int32_t)), *scratch = malloc(n * sizeof(int32_t));
    // Values from a range smaller than n, so there are duplicates, and negative ones.
    for (long i = 0; i < n; i++) original[i] = (int32_t)(next_random() % (uint32_t)n) - (int32_t)(n / 3);
    memcpy(q, original, n * sizeof(int32_t));
    memcpy(h, original, n * sizeof(int32_t));
    memcpy(m, original, n * sizeof(int32_t));
    quicksort(q, 0, n - 1);
    heapsort(h, n);
    int32_t *merged = merge_sort(m, scratch, n);
    uint64_t checksum = 0;
    for (long i = 0; i < n; i++) checksum = checksum * 31 + (uint32_t)q[i];
    printf("sort %ld integers: quicksort %s, heapsort %s, merge sort %s\n", n, sorted(q, n) ? "sorted" : "NOT SORTED",
           memcmp(q, h, n * sizeof(int32_t)) ? "DIFFERS" : "agrees", memcmp(q, merged, n * sizeof(int32_t)) ? "DIFFERS" : "agrees");
    printf("sort: min %d, median %d, max %d, checksum %016llx\n", q[0], q[n / 2], q[n - 1], (unsigned long long)checksum);
    free(original); free(q); free(h); free(m); free(scratch);
    return 0;
}
