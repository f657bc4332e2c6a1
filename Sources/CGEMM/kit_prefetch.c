// Prefetch hints for blocks the next step of a loop reads (include/kit_gemm.h): a block of rows
// far apart in memory (columns of a wide matrix) is many short streams, which the hardware
// prefetchers do not follow. Hints only: no value is read into the computation or changed.
#include "kit_gemm.h"
#include <immintrin.h>

void kit_prefetch_rows(const void *base, long rows, long row_stride_bytes, long width_bytes) {
    const char *p = base;
    for (long r = 0; r < rows; r++, p += row_stride_bytes)
        for (long off = 0; off < width_bytes; off += 64) _mm_prefetch(p + off, _MM_HINT_T1);
}
