// The allocator setting behind RNNKit's Allocator.keepLargeBuffers (malloc.h is not in Swift's
// Glibc module).
#include "kit_gemm.h"
#include <malloc.h>

int kit_keep_large_buffers(void) {
    return mallopt(M_MMAP_THRESHOLD, 1 << 30) == 1 && mallopt(M_TRIM_THRESHOLD, 1 << 30) == 1;
}
