// File operations Swift cannot reach through Glibc: renameat2(2) is behind _GNU_SOURCE and
// only a syscall on older C libraries.
#pragma once
#include <stddef.h>
#include "kit_guard.h"

/// Atomically swaps the directory entries `a` and `b` (renameat2 RENAME_EXCHANGE). Returns 0,
/// or -1 with errno set (EINVAL/ENOSYS where the file system or kernel cannot exchange).
int kit_exchange(const char *a, const char *b);

/// memmem(3) (a GNU extension Glibc hides from Swift): the first `needle` in `haystack`, or NULL.
const void *kit_memmem(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length);
