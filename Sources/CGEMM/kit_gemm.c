// The kit's GEMM (contract in include/kit_gemm.h): packed panels, a register-tiled
// micro-kernel per instruction set, one driver for all of them.
//
// Blocking (Goto's scheme): the K axis in blocks of KC, B packed in KC×NR panels, A in MR×KC
// panels; the micro-kernel keeps an MR×NR tile of C in registers for one K block, loading it
// from C first for every block after the first (or when accumulating) — a store and a load
// are exact, so the tile continues the same chain of fma's. Edge tiles run on a zero-padded
// copy: padding only fills rows and columns that are never written back.
#pragma STDC FP_CONTRACT OFF
#include "kit_gemm.h"
#include <immintrin.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

// MC is a multiple of every kernel's MR (4, 6, 8) and holds the kit's usual 100 units in one
// block; B is read in place (not packed) when m ≤ DIRECT_M: few rows reuse each B panel.
enum { KC = 256, MC = 120, NC = 2048, DIRECT_M = 48 };
enum { MAX_TILE = 8 * 32 };

static int selected = -1;                // -1: not chosen yet

// MARK: - Micro-kernels: C[MR×NR] (ldc) = (load ? S : 0) + Σ_p a[r·ars + p·aps]·b[p·bs + j], by fma in p order
// (S is C itself, src = c and lds = ldc, or one row for every row of the tile, lds = 0)
// (a is a packed panel, ars = 1 and aps = MR, or A's rows in place, ars = lda and aps = 1; b is a
// packed panel, bs = NR, or B itself read in place, bs = ldb)

static void s_portable(int kc, const float *a, int ars, int aps, const float *b, int bs, float *c, int ldc, const float *src, int lds, int load) {
    float acc[4][4];
    for (int r = 0; r < 4; r++) for (int j = 0; j < 4; j++) acc[r][j] = load ? src[r * lds + j] : 0.0f;
    for (int p = 0; p < kc; p++)
        for (int r = 0; r < 4; r++) for (int j = 0; j < 4; j++) acc[r][j] = fmaf(a[r * ars + p * aps], b[p * bs + j], acc[r][j]);
    for (int r = 0; r < 4; r++) for (int j = 0; j < 4; j++) c[r * ldc + j] = acc[r][j];
}

static void d_portable(int kc, const double *a, int ars, int aps, const double *b, int bs, double *c, int ldc, const double *src, int lds, int load) {
    double acc[4][4];
    for (int r = 0; r < 4; r++) for (int j = 0; j < 4; j++) acc[r][j] = load ? src[r * lds + j] : 0.0;
    for (int p = 0; p < kc; p++)
        for (int r = 0; r < 4; r++) for (int j = 0; j < 4; j++) acc[r][j] = fma(a[r * ars + p * aps], b[p * bs + j], acc[r][j]);
    for (int r = 0; r < 4; r++) for (int j = 0; j < 4; j++) c[r * ldc + j] = acc[r][j];
}

__attribute__((target("avx2,fma")))
static inline __attribute__((always_inline)) void s_avx2_body(int kc, const float *a, int ars, int aps, const float *b, int bs, float *c, int ldc, const float *src, int lds, int load) {   // 6 × 16
    __m256 acc[6][2];
    for (int r = 0; r < 6; r++) {
        acc[r][0] = load ? _mm256_loadu_ps(src + r * lds) : _mm256_setzero_ps();
        acc[r][1] = load ? _mm256_loadu_ps(src + r * lds + 8) : _mm256_setzero_ps();
    }
    for (int p = 0; p < kc; p++) {
        __m256 b0 = _mm256_loadu_ps(b + p * bs), b1 = _mm256_loadu_ps(b + p * bs + 8);
        for (int r = 0; r < 6; r++) {
            __m256 av = _mm256_broadcast_ss(a + r * ars + p * aps);
            acc[r][0] = _mm256_fmadd_ps(av, b0, acc[r][0]);
            acc[r][1] = _mm256_fmadd_ps(av, b1, acc[r][1]);
        }
    }
    for (int r = 0; r < 6; r++) { _mm256_storeu_ps(c + r * ldc, acc[r][0]); _mm256_storeu_ps(c + r * ldc + 8, acc[r][1]); }
}

// The two A layouts, each compiled with its strides known: a packed panel, or A's rows in place.
__attribute__((target("avx2,fma")))
static void s_avx2(int kc, const float *a, int ars, int aps, const float *b, int bs, float *c, int ldc, const float *src, int lds, int load) {
    if (aps == 1) s_avx2_body(kc, a, ars, 1, b, bs, c, ldc, src, lds, load);
    else s_avx2_body(kc, a, 1, 6, b, bs, c, ldc, src, lds, load);
}

__attribute__((target("avx2,fma")))
static inline __attribute__((always_inline)) void d_avx2_body(int kc, const double *a, int ars, int aps, const double *b, int bs, double *c, int ldc, const double *src, int lds, int load) {   // 6 × 8
    __m256d acc[6][2];
    for (int r = 0; r < 6; r++) {
        acc[r][0] = load ? _mm256_loadu_pd(src + r * lds) : _mm256_setzero_pd();
        acc[r][1] = load ? _mm256_loadu_pd(src + r * lds + 4) : _mm256_setzero_pd();
    }
    for (int p = 0; p < kc; p++) {
        __m256d b0 = _mm256_loadu_pd(b + p * bs), b1 = _mm256_loadu_pd(b + p * bs + 4);
        for (int r = 0; r < 6; r++) {
            __m256d av = _mm256_broadcast_sd(a + r * ars + p * aps);
            acc[r][0] = _mm256_fmadd_pd(av, b0, acc[r][0]);
            acc[r][1] = _mm256_fmadd_pd(av, b1, acc[r][1]);
        }
    }
    for (int r = 0; r < 6; r++) { _mm256_storeu_pd(c + r * ldc, acc[r][0]); _mm256_storeu_pd(c + r * ldc + 4, acc[r][1]); }
}

// The two A layouts, each compiled with its strides known: a packed panel, or A's rows in place.
__attribute__((target("avx2,fma")))
static void d_avx2(int kc, const double *a, int ars, int aps, const double *b, int bs, double *c, int ldc, const double *src, int lds, int load) {
    if (aps == 1) d_avx2_body(kc, a, ars, 1, b, bs, c, ldc, src, lds, load);
    else d_avx2_body(kc, a, 1, 6, b, bs, c, ldc, src, lds, load);
}

__attribute__((target("avx512f")))
static inline __attribute__((always_inline)) void s_avx512_body(int kc, const float *a, int ars, int aps, const float *b, int bs, float *c, int ldc, const float *src, int lds, int load) {   // 8 × 32
    __m512 acc[8][2];
    for (int r = 0; r < 8; r++) {
        acc[r][0] = load ? _mm512_loadu_ps(src + r * lds) : _mm512_setzero_ps();
        acc[r][1] = load ? _mm512_loadu_ps(src + r * lds + 16) : _mm512_setzero_ps();
    }
    for (int p = 0; p < kc; p++) {
        __m512 b0 = _mm512_loadu_ps(b + p * bs), b1 = _mm512_loadu_ps(b + p * bs + 16);
        for (int r = 0; r < 8; r++) {
            __m512 av = _mm512_set1_ps(a[r * ars + p * aps]);
            acc[r][0] = _mm512_fmadd_ps(av, b0, acc[r][0]);
            acc[r][1] = _mm512_fmadd_ps(av, b1, acc[r][1]);
        }
    }
    for (int r = 0; r < 8; r++) { _mm512_storeu_ps(c + r * ldc, acc[r][0]); _mm512_storeu_ps(c + r * ldc + 16, acc[r][1]); }
}

// The two A layouts, each compiled with its strides known: a packed panel, or A's rows in place.
__attribute__((target("avx512f")))
static void s_avx512(int kc, const float *a, int ars, int aps, const float *b, int bs, float *c, int ldc, const float *src, int lds, int load) {
    if (aps == 1) s_avx512_body(kc, a, ars, 1, b, bs, c, ldc, src, lds, load);
    else s_avx512_body(kc, a, 1, 8, b, bs, c, ldc, src, lds, load);
}

__attribute__((target("avx512f")))
static inline __attribute__((always_inline)) void d_avx512_body(int kc, const double *a, int ars, int aps, const double *b, int bs, double *c, int ldc, const double *src, int lds, int load) {   // 8 × 16
    __m512d acc[8][2];
    for (int r = 0; r < 8; r++) {
        acc[r][0] = load ? _mm512_loadu_pd(src + r * lds) : _mm512_setzero_pd();
        acc[r][1] = load ? _mm512_loadu_pd(src + r * lds + 8) : _mm512_setzero_pd();
    }
    for (int p = 0; p < kc; p++) {
        __m512d b0 = _mm512_loadu_pd(b + p * bs), b1 = _mm512_loadu_pd(b + p * bs + 8);
        for (int r = 0; r < 8; r++) {
            __m512d av = _mm512_set1_pd(a[r * ars + p * aps]);
            acc[r][0] = _mm512_fmadd_pd(av, b0, acc[r][0]);
            acc[r][1] = _mm512_fmadd_pd(av, b1, acc[r][1]);
        }
    }
    for (int r = 0; r < 8; r++) { _mm512_storeu_pd(c + r * ldc, acc[r][0]); _mm512_storeu_pd(c + r * ldc + 8, acc[r][1]); }
}

// The two A layouts, each compiled with its strides known: a packed panel, or A's rows in place.
__attribute__((target("avx512f")))
static void d_avx512(int kc, const double *a, int ars, int aps, const double *b, int bs, double *c, int ldc, const double *src, int lds, int load) {
    if (aps == 1) d_avx512_body(kc, a, ars, 1, b, bs, c, ldc, src, lds, load);
    else d_avx512_body(kc, a, 1, 8, b, bs, c, ldc, src, lds, load);
}

typedef void (*s_kernel)(int, const float *, int, int, const float *, int, float *, int, const float *, int, int);
typedef void (*d_kernel)(int, const double *, int, int, const double *, int, double *, int, const double *, int, int);
struct kernels { const char *name; int s_mr, s_nr; s_kernel s; int d_mr, d_nr; d_kernel d; };

static const struct kernels table[] = {
    [KIT_GEMM_PORTABLE] = {"portable", 4, 4, s_portable, 4, 4, d_portable},
    [KIT_GEMM_AVX2] = {"avx2", 6, 16, s_avx2, 6, 8, d_avx2},
    [KIT_GEMM_AVX512] = {"avx512", 8, 32, s_avx512, 8, 16, d_avx512},
};

// MARK: - Kernel choice

static int supported(int kernel) {
    __builtin_cpu_init();
    switch (kernel) {
    case KIT_GEMM_AVX512: return __builtin_cpu_supports("avx512f");
    case KIT_GEMM_AVX2: return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case KIT_GEMM_PORTABLE: return 1;
    default: return 0;
    }
}

int kit_gemm_supported(int kernel) { return supported(kernel); }

int kit_gemm_select(int kernel) {
    int k = (kernel < KIT_GEMM_PORTABLE || kernel > KIT_GEMM_AVX512) ? KIT_GEMM_AVX512 : kernel;
    while (!supported(k)) k--;
    __atomic_store_n(&selected, k, __ATOMIC_RELEASE);
    return k;
}

int kit_gemm_kernel(void) {
    int k = __atomic_load_n(&selected, __ATOMIC_ACQUIRE);
    return k < 0 ? kit_gemm_select(KIT_GEMM_AUTO) : k;
}

const char *kit_gemm_kernel_name(void) { return table[kit_gemm_kernel()].name; }

// MARK: - Packing and the driver, once per scalar type

static int min_int(int a, int b) { return a < b ? a : b; }

/* A transposed float B's full panel, panel[p·nr + j] = B[j0 + j, p0 + p] (nr a multiple of 8),
   for the steps p < kc − kc % 8, eight columns by eight steps at a time through an 8×8 register
   transpose: values are only moved. Returns the steps done; the caller copies the rest. */
__attribute__((target("avx2")))
static int s_pack_bt8(const float *b, int ldb, int p0, int j0, int kc, int nr, float *panel) {
    const int kc8 = kc & ~7;
    for (int j = 0; j < nr; j += 8)
        for (int p = 0; p < kc8; p += 8) {
            const float *src = b + (size_t)(j0 + j) * ldb + p0 + p;
            __m256 r[8], t[8], u[8];
            for (int q = 0; q < 8; q++) r[q] = _mm256_loadu_ps(src + (size_t)q * ldb);
            for (int q = 0; q < 8; q += 2) { t[q] = _mm256_unpacklo_ps(r[q], r[q + 1]); t[q + 1] = _mm256_unpackhi_ps(r[q], r[q + 1]); }
            for (int q = 0; q < 8; q += 4) {
                u[q] = _mm256_shuffle_ps(t[q], t[q + 2], 0x44);     u[q + 1] = _mm256_shuffle_ps(t[q], t[q + 2], 0xEE);
                u[q + 2] = _mm256_shuffle_ps(t[q + 1], t[q + 3], 0x44); u[q + 3] = _mm256_shuffle_ps(t[q + 1], t[q + 3], 0xEE);
            }
            float *dst = panel + (size_t)p * nr + j;
            for (int q = 0; q < 4; q++) {
                _mm256_storeu_ps(dst + (size_t)q * nr, _mm256_permute2f128_ps(u[q], u[q + 4], 0x20));
                _mm256_storeu_ps(dst + (size_t)(q + 4) * nr, _mm256_permute2f128_ps(u[q], u[q + 4], 0x31));
            }
        }
    return kc8;
}

static int s_pack_bt_fast(int fast, const float *b, int ldb, int p0, int j0, int kc, int nr, float *panel) {
    return fast && nr % 8 == 0 ? s_pack_bt8(b, ldb, p0, j0, kc, nr, panel) : 0;
}
static int d_pack_bt_fast(int fast, const double *b, int ldb, int p0, int j0, int kc, int nr, double *panel) {
    (void)fast; (void)b; (void)ldb; (void)p0; (void)j0; (void)kc; (void)nr; (void)panel;
    return 0;
}

static void free_thread_buffers(void *unused);
static pthread_key_t buffers_key;
static pthread_once_t buffers_once = PTHREAD_ONCE_INIT;
static void make_buffers_key(void) { pthread_key_create(&buffers_key, free_thread_buffers); }

/// Grows a thread's packing buffer (64-byte aligned); NULL when memory is exhausted. The
/// thread's buffers are freed when it exits (dispatch's worker threads come and go: without
/// this each one left its buffers behind, found by `make sanitize`).
static void *grow(void **buffer, size_t *capacity, size_t bytes) {
    if (bytes <= *capacity) return *buffer;
    pthread_once(&buffers_once, make_buffers_key);
    pthread_setspecific(buffers_key, (void *)1);   // any non-NULL value makes the destructor run
    free(*buffer);
    size_t rounded = (bytes + 63) & ~(size_t)63;
    *buffer = aligned_alloc(64, rounded);
    *capacity = *buffer ? rounded : 0;
    return *buffer;
}

#define DEFINE_GEMM(T, NAME, KERNEL, MR_FIELD, NR_FIELD, ZERO, FAST_BT)                                              \
static _Thread_local void *NAME##_abuf, *NAME##_bbuf;                                                     \
static _Thread_local size_t NAME##_acap, NAME##_bcap;                                                     \
                                                                                                          \
/* A[i0 + r, p0 + p] into panels [mc/MR][kc][MR], zero rows past mc. Loops run along the    \
   contiguous axis of A (a plain copy, which the compiler vectorises); values are only moved. */    \
static void NAME##_pack_a(int ta, const T *a, int lda, int i0, int p0, int mc, int kc, int mr, T *out) {   \
    for (int ir = 0; ir < mc; ir += mr) {                                                                  \
        T *panel = out + (size_t)ir * kc;                                                                 \
        int rows = min_int(mr, mc - ir);                                                                  \
        if (ta) {                                                                                         \
            for (int p = 0; p < kc; p++) {                                                                \
                const T *src = a + (size_t)(p0 + p) * lda + i0 + ir;                                      \
                T *dst = panel + (size_t)p * mr;                                                          \
                for (int r = 0; r < rows; r++) dst[r] = src[r];                                           \
                for (int r = rows; r < mr; r++) dst[r] = ZERO;                                            \
            }                                                                                             \
        } else {                                                                                          \
            for (int r = 0; r < rows; r++) {                                                              \
                const T *src = a + (size_t)(i0 + ir + r) * lda + p0;                                      \
                for (int p = 0; p < kc; p++) panel[(size_t)p * mr + r] = src[p];                          \
            }                                                                                             \
            for (int r = rows; r < mr; r++) for (int p = 0; p < kc; p++) panel[(size_t)p * mr + r] = ZERO; \
        }                                                                                                 \
    }                                                                                                     \
}                                                                                                         \
                                                                                                          \
/* B[p0 + p, j0 + j] into panels [nc/NR][kc][NR], zero columns past nc (the same way). A          \
   non-transposed B is read row by row: one panel at a time would read kc rows a wide matrix's     \
   row apart (30,000 floats for a translation head), kc streams no prefetcher follows, and the     \
   copy waited on memory (the logits product rose from 61 to 71 % of a core's peak). */            \
static void NAME##_pack_b(int tb, const T *b, int ldb, int p0, int j0, int kc, int nc, int nr, int fast, T *out) { \
    if (!tb) {                                                                                            \
        for (int p = 0; p < kc; p++) {                                                                    \
            const T *src = b + (size_t)(p0 + p) * ldb + j0;                                               \
            for (int jr = 0; jr < nc; jr += nr) {                                                         \
                T *dst = out + (size_t)jr * kc + (size_t)p * nr;                                          \
                int cols = min_int(nr, nc - jr);                                                          \
                for (int j = 0; j < cols; j++) dst[j] = src[jr + j];                                      \
                for (int j = cols; j < nr; j++) dst[j] = ZERO;                                            \
            }                                                                                             \
        }                                                                                                 \
        return;                                                                                           \
    }                                                                                                     \
    for (int jr = 0; jr < nc; jr += nr) {                                                                  \
        T *panel = out + (size_t)jr * kc;                                                                 \
        int cols = min_int(nr, nc - jr);                                                                  \
        {                                                                                                 \
            const int done = cols == nr ? FAST_BT(fast, b, ldb, p0, j0 + jr, kc, nr, panel) : 0;         \
            for (int j = 0; j < cols; j++) {                                                              \
                const T *src = b + (size_t)(j0 + jr + j) * ldb + p0;                                      \
                for (int p = done; p < kc; p++) panel[(size_t)p * nr + j] = src[p];                       \
            }                                                                                             \
            for (int j = cols; j < nr; j++) for (int p = 0; p < kc; p++) panel[(size_t)p * nr + j] = ZERO; \
        }                                                                                                 \
    }                                                                                                     \
}                                                                                                         \
                                                                                                          \
/* `row`: when not NULL, C starts as that row in every row (not read from C): each tile is set \
   from it just before its first K block, in cache, then loaded as an accumulated tile is. */         \
static void NAME##_run(int kernel, int ta, int tb, int m, int n, int k, const T *a, int lda, const T *b,  \
                       int ldb, int accumulate, const T *row, T *c, int ldc) {                           \
    if (m <= 0 || n <= 0) return;                                                                         \
    if (k <= 0) {                                                                                         \
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++)                                           \
            if (row) c[(size_t)i * ldc + j] = row[j]; else if (!accumulate) c[(size_t)i * ldc + j] = ZERO; \
        return;                                                                                           \
    }                                                                                                     \
    const struct kernels *kern = &table[supported(kernel) ? kernel : kit_gemm_kernel()];                  \
    const int mr = kern->MR_FIELD, nr = kern->NR_FIELD, fast = kern != &table[KIT_GEMM_PORTABLE];         \
    const int nc_max = min_int(NC, ((n + nr - 1) / nr) * nr), kc_max = min_int(KC, k);                     \
    T *abuf = grow(&NAME##_abuf, &NAME##_acap, sizeof(T) * (size_t)MC * kc_max);                          \
    T *bbuf = grow(&NAME##_bbuf, &NAME##_bcap, sizeof(T) * (size_t)nc_max * kc_max);                      \
    if (!abuf || !bbuf) abort();   /* a few MB; the kit cannot continue without them */                   \
    for (int jc = 0; jc < n; jc += NC) {                                                                  \
        int nc = min_int(NC, n - jc);                                                                     \
        for (int pc = 0; pc < k; pc += KC) {                                                              \
            int kc = min_int(KC, k - pc), load = accumulate || pc > 0 || row;                             \
            const int init = row && pc == 0;                                                              \
            /* A few rows reuse each B panel only a few times: read a non-transposed B in place    \
               (full panels) rather than pack it; a small-batch step would spend as long packing. */ \
            const int direct = !tb && m <= DIRECT_M;                                                          \
            if (!direct) NAME##_pack_b(tb, b, ldb, pc, jc, kc, nc, nr, fast, bbuf);                       \
            else if (nc % nr) NAME##_pack_b(tb, b, ldb, pc, jc + nc - nc % nr, kc, nc % nr, nr, fast,    \
                                            bbuf + (size_t)(nc - nc % nr) * kc);                          \
            for (int ic = 0; ic < m; ic += MC) {                                                          \
                int mc = min_int(MC, m - ic);                                                             \
                /* A row-major op(A) is read in place by full panels (the kernel broadcasts each     \
                   element; packing would only transpose it); a part panel is packed, zero-padded. */ \
                const int direct_a = !ta, full_rows = direct_a ? mc - mc % mr : 0;                       \
                if (full_rows < mc) NAME##_pack_a(ta, a, lda, ic + full_rows, pc, mc - full_rows, kc, mr, \
                                                  abuf + (size_t)full_rows * kc);                         \
                /* Tiles column panel by column panel (each B panel stays in L1 for the rows), but    \
                   row by row when a packed B is wider than a block: C's rows are then written            \
                   along their length rather than a 120 KB stride apart (the logits product: 71 → 73 %). The      \
                   order of tiles changes no tile's arithmetic. */                                    \
                const int nj = (nc + nr - 1) / nr, ni = (mc + mr - 1) / mr, rows_outer = n > NC && !direct;        \
                for (int t = 0; t < nj * ni; t++) {                                                       \
                    const int jr = (rows_outer ? t % nj : t / ni) * nr, ir = (rows_outer ? t / nj : t % ni) * mr; \
                        T *ct = c + (size_t)(ic + ir) * ldc + jc + jr;                                    \
                        const T *ap = abuf + (size_t)ir * kc, *bp = bbuf + (size_t)jr * kc;               \
                        int ars = 1, aps = mr;                                                            \
                        if (ir < full_rows) { ap = a + (size_t)(ic + ir) * lda + pc; ars = lda; aps = 1; }  \
                        int rows = min_int(mr, mc - ir), cols = min_int(nr, nc - jr), bs = nr;            \
                        if (direct && cols == nr) { bp = b + (size_t)pc * ldb + jc + jr; bs = ldb; }      \
                        if (rows == mr && cols == nr) {                                                   \
                            /* A tile from the row starts every row's accumulators from it (lds = 0). */ \
                            if (init) kern->KERNEL(kc, ap, ars, aps, bp, bs, ct, ldc, row + jc + jr, 0, 1);        \
                            else kern->KERNEL(kc, ap, ars, aps, bp, bs, ct, ldc, ct, ldc, load);                 \
                            continue;                                                                     \
                        }                                                                                 \
                        T tile[MAX_TILE];                                                                 \
                        for (int r = 0; r < mr; r++) for (int j = 0; j < nr; j++)                         \
                            tile[r * nr + j] = !(load && r < rows && j < cols) ? ZERO                    \
                                : init ? row[jc + jr + j] : ct[(size_t)r * ldc + j];                      \
                        kern->KERNEL(kc, ap, ars, aps, bp, bs, tile, nr, tile, nr, load);                                         \
                        for (int r = 0; r < rows; r++) memcpy(ct + (size_t)r * ldc, tile + r * nr, sizeof(T) * cols); \
                    }                                                                                     \
            }                                                                                             \
        }                                                                                                 \
    }                                                                                                     \
}                                                                                                         \
                                                                                                          \
void NAME(int kernel, int ta, int tb, int m, int n, int k, const T *a, int lda, const T *b, int ldb,     \
          int accumulate, T *c, int ldc) {                                                                \
    NAME##_run(kernel, ta, tb, m, n, k, a, lda, b, ldb, accumulate, NULL, c, ldc);                        \
}                                                                                                         \
                                                                                                          \
void NAME##_row(int kernel, int ta, int tb, int m, int n, int k, const T *a, int lda, const T *b, int ldb, \
                const T *row, T *c, int ldc) {                                                            \
    NAME##_run(kernel, ta, tb, m, n, k, a, lda, b, ldb, 0, row, c, ldc);                                  \
}

DEFINE_GEMM(float, kit_sgemm, s, s_mr, s_nr, 0.0f, s_pack_bt_fast)
DEFINE_GEMM(double, kit_dgemm, d, d_mr, d_nr, 0.0, d_pack_bt_fast)

static void free_thread_buffers(void *unused) {
    (void)unused;
    void **buffers[] = {&kit_sgemm_abuf, &kit_sgemm_bbuf, &kit_dgemm_abuf, &kit_dgemm_bbuf};
    size_t *capacities[] = {&kit_sgemm_acap, &kit_sgemm_bcap, &kit_dgemm_acap, &kit_dgemm_bcap};
    for (int i = 0; i < 4; i++) { free(*buffers[i]); *buffers[i] = NULL; *capacities[i] = 0; }
}

// MARK: - Peak probe (benchmark only): 16 independent fma chains, the register-tile shape of the
// micro-kernels, so the core's fma units are the only limit.

__attribute__((target("avx512f")))
static double peak_avx512(long iterations, float *sink) {
    __m512 acc[16], x = _mm512_set1_ps(0.999999f), y = _mm512_set1_ps(1e-7f);
    for (int i = 0; i < 16; i++) acc[i] = _mm512_set1_ps((float)i);
    for (long n = 0; n < iterations; n++)
        for (int i = 0; i < 16; i++) acc[i] = _mm512_fmadd_ps(acc[i], x, y);
    __m512 s = acc[0];
    for (int i = 1; i < 16; i++) s = _mm512_add_ps(s, acc[i]);
    *sink = _mm512_reduce_add_ps(s);
    return (double)iterations * 16 * 16 * 2;
}

__attribute__((target("avx2,fma")))
static double peak_avx2(long iterations, float *sink) {
    __m256 acc[12], x = _mm256_set1_ps(0.999999f), y = _mm256_set1_ps(1e-7f);
    for (int i = 0; i < 12; i++) acc[i] = _mm256_set1_ps((float)i);
    for (long n = 0; n < iterations; n++)
        for (int i = 0; i < 12; i++) acc[i] = _mm256_fmadd_ps(acc[i], x, y);
    float out[8];
    __m256 s = acc[0];
    for (int i = 1; i < 12; i++) s = _mm256_add_ps(s, acc[i]);
    _mm256_storeu_ps(out, s);
    *sink = out[0] + out[7];
    return (double)iterations * 12 * 8 * 2;
}

double kit_gemm_fma_peak_flops(int kernel, long iterations, float *sink) {
    switch (supported(kernel) ? kernel : kit_gemm_kernel()) {
    case KIT_GEMM_AVX512: return peak_avx512(iterations, sink);
    case KIT_GEMM_AVX2: return peak_avx2(iterations, sink);
    default: {
        float acc[16];
        for (int i = 0; i < 16; i++) acc[i] = (float)i;
        for (long n = 0; n < iterations; n++) for (int i = 0; i < 16; i++) acc[i] = fmaf(acc[i], 0.999999f, 1e-7f);
        *sink = acc[0] + acc[15];
        return (double)iterations * 16 * 2;
    }
    }
}
