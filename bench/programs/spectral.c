// Floating-point kernel with many small calls: the spectral norm of the infinite matrix A(i,j) = 1/((i+j)(i+j+1)/2
// + i + 1), truncated to N x N, by ten rounds of the power method on A^T A.
//   spectral [N]   N defaults to 2500
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static double a(int i, int j) { return 1.0 / ((i + j) * (i + j + 1) / 2 + i + 1); }

static void times(const double *v, double *av, int n) {
    for (int i = 0; i < n; i++) {
        double s = 0;
        for (int j = 0; j < n; j++) s += a(i, j) * v[j];
        av[i] = s;
    }
}

static void times_transposed(const double *v, double *atv, int n) {
    for (int i = 0; i < n; i++) {
        double s = 0;
        for (int j = 0; j < n; j++) s += a(j, i) * v[j];
        atv[i] = s;
    }
}

static void times_ata(const double *v, double *out, double *scratch, int n) {
    times(v, scratch, n);
    times_transposed(scratch, out, n);
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 2500;
    if (n < 2) n = 2;
    double *u = malloc(n * sizeof *u), *v = malloc(n * sizeof *v), *scratch = malloc(n * sizeof *scratch);
    for (int i = 0; i < n; i++) u[i] = 1;
    for (int round = 0; round < 10; round++) {
        times_ata(u, v, scratch, n);
        times_ata(v, u, scratch, n);
    }
    double vbv = 0, vv = 0;
    for (int i = 0; i < n; i++) { vbv += u[i] * v[i]; vv += v[i] * v[i]; }
    printf("spectral norm n=%d: %.9f\n", n, sqrt(vbv / vv));
    free(u); free(v); free(scratch);
    return 0;
}
