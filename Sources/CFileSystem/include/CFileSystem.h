#ifndef LEDGERDROP_CFILESYSTEM_H
#define LEDGERDROP_CFILESYSTEM_H

/// Flushes every dirty page and metadata of the filesystem holding `fd` (Linux syncfs(2)).
/// Returns 0 or -1 with errno set. Elsewhere falls back to sync().
int ledgerdrop_syncfs(int fd);

/// rename(2) that fails with EEXIST instead of replacing an existing target
/// (Linux renameat2 RENAME_NOREPLACE). Returns 0 or -1 with errno set; EINVAL or ENOSYS mean
/// the filesystem does not support it.
int ledgerdrop_rename_noreplace(const char *from, const char *to);

/// Start time of a process in clock ticks since boot (field 22 of /proc/PID/stat), or 0 if the
/// process does not exist. Used to tell a live claim owner from a reused pid.
unsigned long long ledgerdrop_process_start_time(int pid);

/// Keeps at least a quarter of `want` bytes allocated beyond the end of an append-only file
/// (fallocate FALLOC_FL_KEEP_SIZE), so that the next appends need no new space from a disk
/// that may be full by then. Best effort: returns -1 with errno set when it cannot.
int ledgerdrop_reserve_tail(int fd, long long want);

/// Gives the memory the allocator holds free back to the system (glibc malloc_trim): each
/// thread that converted a batch has a heap of its own that would keep its largest batch's
/// size. A no-op elsewhere.
void ledgerdrop_release_free_memory(void);

#endif
