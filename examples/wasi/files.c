// Files and directories inside the preopened directory "sandbox": create, write, append, seek, read,
// stat, rename, list, remove. Listings are sorted, so the output does not depend on the host's order.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void list(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) { printf("opendir %s: %s\n", dir, strerror(errno)); return; }
    char *names[64];
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) && n < 64;)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof *names, cmp);
    printf("%s:", dir);
    for (int i = 0; i < n; i++) { printf(" %s", names[i]); free(names[i]); }
    printf("\n");
}

int main(void) {
    if (mkdir("sandbox/work", 0755) != 0) { printf("mkdir: %s\n", strerror(errno)); return 1; }
    FILE *f = fopen("sandbox/work/notes.txt", "w");
    if (!f) { printf("fopen: %s\n", strerror(errno)); return 1; }
    fprintf(f, "first line\n");
    fclose(f);
    f = fopen("sandbox/work/notes.txt", "a");
    fprintf(f, "second line\n");
    fclose(f);

    int fd = open("sandbox/work/notes.txt", O_RDONLY);
    char buf[64] = {0};
    lseek(fd, 6, SEEK_SET);
    ssize_t n = read(fd, buf, 10);
    printf("read %zd at 6: %.*s\n", n, (int)n, buf);
    printf("tell: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
    close(fd);

    struct stat st;
    stat("sandbox/work/notes.txt", &st);
    printf("size %lld, regular %d\n", (long long)st.st_size, S_ISREG(st.st_mode));

    if (rename("sandbox/work/notes.txt", "sandbox/work/renamed.txt") != 0) printf("rename: %s\n", strerror(errno));
    mkdir("sandbox/work/sub", 0755);
    f = fopen("sandbox/work/sub/a.txt", "w"); fputs("a", f); fclose(f);
    list("sandbox/work");
    list("sandbox/work/sub");

    printf("open missing: %s\n", open("sandbox/work/missing", O_RDONLY) < 0 ? strerror(errno) : "opened");
    printf("rmdir non-empty: %s\n", rmdir("sandbox/work/sub") < 0 ? strerror(errno) : "removed");
    printf("open outside: %s\n", open("sandbox/../etc/passwd", O_RDONLY) < 0 ? "refused" : "opened");

    unlink("sandbox/work/sub/a.txt");
    rmdir("sandbox/work/sub");
    unlink("sandbox/work/renamed.txt");
    rmdir("sandbox/work");
    list("sandbox");
    return 0;
}
