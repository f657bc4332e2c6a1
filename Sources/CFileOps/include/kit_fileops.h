// File operations Swift cannot reach through Glibc: renameat2(2) is behind _GNU_SOURCE and
// only a syscall on older C libraries.
#pragma once

/// Atomically swaps the directory entries `a` and `b` (renameat2 RENAME_EXCHANGE). Returns 0,
/// or -1 with errno set (EINVAL/ENOSYS where the file system or kernel cannot exchange).
int kit_exchange(const char *a, const char *b);
