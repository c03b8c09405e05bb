#define _GNU_SOURCE
#include "CFileSystem.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

int ledgerdrop_syncfs(int fd) {
#ifdef __linux__
    return syncfs(fd);
#else
    (void)fd;
    sync();
    return 0;
#endif
}

int ledgerdrop_rename_noreplace(const char *from, const char *to) {
#ifdef __linux__
    return renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE);
#else
    errno = ENOSYS;
    return -1;
#endif
}

unsigned long long ledgerdrop_process_start_time(int pid) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    char buf[1024];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    // The command name (field 2) may hold spaces and parentheses: fields resume after the last ')'.
    char *p = strrchr(buf, ')');
    if (!p) return 0;
    p++;
    int field = 2;
    while (*p && field < 22) {
        if (*p == ' ') field++;
        p++;
    }
    unsigned long long start = 0;
    sscanf(p, "%llu", &start);
    return start;
}

int ledgerdrop_reserve_tail(int fd, long long want) {
#ifdef __linux__
    struct stat st;
    if (fstat(fd, &st) != 0) return -1;
    long long allocated = (long long)st.st_blocks * 512;
    if (allocated - (long long)st.st_size >= want / 4) return 0;
    return fallocate(fd, FALLOC_FL_KEEP_SIZE, st.st_size, want);
#else
    (void)fd; (void)want;
    return 0;
#endif
}

#if defined(__GLIBC__)
#include <malloc.h>
void ledgerdrop_release_free_memory(void) { malloc_trim(0); }
#else
void ledgerdrop_release_free_memory(void) {}
#endif
