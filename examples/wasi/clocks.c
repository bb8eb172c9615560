// Clocks: realtime is after 2020, monotonic never goes back, and a 20 ms sleep takes at least 20 ms.
#include <stdio.h>
#include <time.h>

static long long ns(clockid_t c) {
    struct timespec t;
    clock_gettime(c, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(void) {
    printf("realtime after 2020: %d\n", ns(CLOCK_REALTIME) > 1577836800LL * 1000000000LL);
    long long a = ns(CLOCK_MONOTONIC), b = ns(CLOCK_MONOTONIC);
    printf("monotonic non-decreasing: %d\n", b >= a);
    struct timespec res;
    printf("monotonic resolution known: %d\n", clock_getres(CLOCK_MONOTONIC, &res) == 0 && (res.tv_sec > 0 || res.tv_nsec > 0));
    struct timespec d = {0, 20000000};
    long long before = ns(CLOCK_MONOTONIC);
    nanosleep(&d, NULL);
    printf("slept at least 20ms: %d\n", ns(CLOCK_MONOTONIC) - before >= 20000000LL);
    printf("process cpu time known: %d\n", ns(CLOCK_PROCESS_CPUTIME_ID) >= 0);
    return 0;
}
