// Branchy kernel: backtracking search. Counts the solutions of the N-queens puzzle (columns and diagonals kept as
// arrays of flags, so every placement is a few loads, compares and stores), then solves a set of sudoku puzzles made
// by blanking cells of a generated grid, trying the digits of each empty cell in turn.
//   queens [N]   N defaults to 13; the number of sudokus is N^4 / 2 + 1
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_N 20

static uint8_t column[MAX_N], rising[2 * MAX_N], falling[2 * MAX_N];

static uint64_t place(int row, int n) {
    if (row == n) return 1;
    uint64_t found = 0;
    for (int c = 0; c < n; c++) {
        if (column[c] || rising[row + c] || falling[row - c + n]) continue;
        column[c] = rising[row + c] = falling[row - c + n] = 1;
        found += place(row + 1, n);
        column[c] = rising[row + c] = falling[row - c + n] = 0;
    }
    return found;
}

static uint32_t rng_state = 2463534242u;

static uint32_t next_random(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

static int grid[81];

static int allowed(int cell, int digit) {
    int r = cell / 9, c = cell % 9, br = r / 3 * 3, bc = c / 3 * 3;
    for (int k = 0; k < 9; k++) {
        if (grid[r * 9 + k] == digit || grid[k * 9 + c] == digit) return 0;
        if (grid[(br + k / 3) * 9 + bc + k % 3] == digit) return 0;
    }
    return 1;
}

// Fills the empty cells from `cell` on, trying digits in the order first, first+1, ... (mod 9); counts the attempts.
static int solve(int cell, int first, uint64_t *tries) {
    while (cell < 81 && grid[cell]) cell++;
    if (cell == 81) return 1;
    for (int k = 0; k < 9; k++) {
        int digit = (first + k) % 9 + 1;
        ++*tries;
        if (!allowed(cell, digit)) continue;
        grid[cell] = digit;
        if (solve(cell + 1, first, tries)) return 1;
    }
    grid[cell] = 0;
    return 0;
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 13;
    if (n < 1) n = 1;
    if (n > MAX_N) n = MAX_N;
    printf("queens %d: %llu solutions\n", n, (unsigned long long)place(0, n));

    int puzzles = n * n * n * n / 2 + 1;
    uint64_t tries = 0, checksum = 14695981039346656037ull;
    for (int p = 0; p < puzzles; p++) {
        for (int k = 0; k < 81; k++) grid[k] = 0;
        solve(0, (int)(next_random() % 9), &tries);    // a full grid, different for each start digit
        int blanks = 45 + (int)(next_random() % 15);
        for (int b = 0; b < blanks; b++) grid[next_random() % 81] = 0;
        if (!solve(0, (int)(next_random() % 9), &tries)) { printf("sudoku %d: no solution\n", p); return 1; }
        for (int k = 0; k < 81; k++) checksum = (checksum ^ (uint64_t)grid[k]) * 1099511628211ull;
    }
    printf("sudoku: %d puzzles solved in %llu tries, checksum %016llx\n", puzzles, (unsigned long long)tries,
           (unsigned long long)checksum);
    return 0;
}
