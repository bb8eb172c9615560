// Call-heavy kernel: recursion in three shapes. Binary trees built, checked and freed (a call and an allocation per
// node), the naive Fibonacci recursion, and the Ackermann function, whose recursion runs thousands of calls deep.
//   trees [DEPTH]   DEPTH (of the largest tree) defaults to 19; the other two scale with it
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct node { struct node *left, *right; int32_t value; } node;

static node *build(int depth, int32_t value) {
    node *t = malloc(sizeof *t);
    t->value = value;
    if (depth > 0) {
        t->left = build(depth - 1, 2 * value - 1);
        t->right = build(depth - 1, 2 * value);
    } else {
        t->left = t->right = NULL;
    }
    return t;
}

// A value that depends on every node and on the tree's shape.
static int64_t check(const node *t) {
    if (!t->left) return t->value;
    return t->value + check(t->left) - check(t->right);
}

static int count(const node *t) { return t ? 1 + count(t->left) + count(t->right) : 0; }

static void release(node *t) {
    if (!t) return;
    release(t->left);
    release(t->right);
    free(t);
}

static uint32_t fib(uint32_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static uint32_t ackermann(uint32_t m, uint32_t n) {
    if (m == 0) return n + 1;
    if (n == 0) return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, n - 1));
}

int main(int argc, char **argv) {
    int depth = argc > 1 ? atoi(argv[1]) : 19;
    if (depth < 4) depth = 4;
    // One tree lives throughout, so the allocator works around it as the short-lived trees come and go.
    node *long_lived = build(depth, 0);
    int64_t total = 0;
    for (int d = 4; d <= depth; d += 2) {
        int iterations = 1 << (depth - d + 2);
        int64_t sum = 0;
        for (int i = 1; i <= iterations; i++) {
            node *t = build(d, i);
            sum += check(t);
            release(t);
        }
        printf("trees: %d of depth %d, check %lld\n", iterations, d, (long long)sum);
        total += sum;
    }
    printf("trees: long-lived of depth %d has %d nodes, check %lld; total %lld\n", depth, count(long_lived),
           (long long)check(long_lived), (long long)total);
    release(long_lived);
    uint32_t f = (uint32_t)depth + 9;
    printf("fib(%u) = %u\n", f, fib(f));
    uint32_t k = (uint32_t)depth / 2;
    printf("ackermann(3, %u) = %u\n", k, ackermann(3, k));
    return 0;
}
