// The kit's own GEMM: one fixed order of arithmetic, whatever the CPU.
//
// Why not a BLAS library: OpenBLAS chooses its kernels and blocking from CPUID and from the
// environment (OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE, …); each choice sums a dot product in
// another order, so the same model gave different last bits on different machines, and the
// decomposition's exact comparisons turned those bits into different removed units.
//
// The contract, for every element of C, on every code path (AVX-512, AVX2, portable C):
//
//     acc = beta ? C[i,j] : 0
//     for k = 0, 1, …, K−1:  acc = fma(op(A)[i,k], op(B)[k,j], acc)     (one rounding each)
//     C[i,j] = acc
//
// Vector width, tiling, blocking and the shape of the call decide only which elements are
// computed together, never the sequence of operations behind one element, and fma is exactly
// rounded in hardware and in libm alike: results are bit-identical across machines, kernels,
// batch sizes and core counts. Row-major; a transposed operand is stored as its transpose.
#pragma once

/// Kernels: which instructions compute the contract above (all give identical bits).
enum { KIT_GEMM_AUTO = 0, KIT_GEMM_PORTABLE = 1, KIT_GEMM_AVX2 = 2, KIT_GEMM_AVX512 = 3 };

/// Chooses the kernel (KIT_GEMM_AUTO: the widest this CPU runs). Returns the kernel in use,
/// which differs from the request when the CPU lacks the instructions.
int kit_gemm_select(int kernel);

/// Whether this CPU runs a kernel.
int kit_gemm_supported(int kernel);

/// The kernel in use and its name ("avx512", "avx2", "portable").
int kit_gemm_kernel(void);
const char *kit_gemm_kernel_name(void);

/// C[M,N] = op(A)·op(B) (+ C when accumulate ≠ 0); op(A) is M×K, op(B) is K×N. `kernel` is
/// normally kit_gemm_kernel(); tests pass others (the result does not depend on it; one the
/// CPU cannot run falls back to the selected kernel).
void kit_sgemm(int kernel, int trans_a, int trans_b, int m, int n, int k, const float *a, int lda,
               const float *b, int ldb, int accumulate, float *c, int ldc);
void kit_dgemm(int kernel, int trans_a, int trans_b, int m, int n, int k, const double *a, int lda,
               const double *b, int ldb, int accumulate, double *c, int ldc);

/// C[M,N] = row + op(A)·op(B), `row` (N values) the start of every row of C: the bits of filling
/// C with it and accumulating, without the pass over C (each tile is set from `row` in cache).
void kit_sgemm_row(int kernel, int trans_a, int trans_b, int m, int n, int k, const float *a, int lda,
                   const float *b, int ldb, const float *row, float *c, int ldc);
void kit_dgemm_row(int kernel, int trans_a, int trans_b, int m, int n, int k, const double *a, int lda,
                   const double *b, int ldb, const double *row, double *c, int ldc);

/// Adam's update of n float32 elements (RNNKit's Adam documents the formula): g·scale, then
/// m, v and w in place. The same bits for every kernel (element-wise, correctly rounded, no fma).
void kit_adam_f32(int kernel, long n, const float *g, float scale, float b1, float b2, float alpha, float eps,
                  float *m, float *v, float *w);

/// `steps` updates in a row of n elements whose gradient is 0 (step i with alphas[i]): the bits
/// of calling kit_adam_f32 once per step with g = 0 and a positive scale, for every kernel.
void kit_adam_idle_f32(int kernel, long n, long steps, const float *alphas, float b1, float b2, float eps,
                       float *m, float *v, float *w);

/// For `make bench`'s "% of peak": runs `iterations` rounds of independent float fma's on the
/// kernel's widest registers (no memory traffic) and returns the number of flops done; the
/// caller times it. `sink` receives a result so the loop is not optimised away.
double kit_gemm_fma_peak_flops(int kernel, long iterations, float *sink);

// glibc's allocator: serve blocks up to 1 GiB from the heap and keep freed memory (no trim), so
// large per-batch buffers are reused instead of mmapped, page-faulted and unmapped every batch.
// Returns 1 when both settings were accepted. (kit_alloc.c)
int kit_keep_large_buffers(void);

/// Training's float32 exp (RNNKit's expApprox: Cephes's range reduction and polynomial) of n
/// values, and softmax over `rows` rows of `width` contiguous values in place (max, exp(v − max)
/// with RNNKit's eight interleaved partial sums, v · (1/Σ)). The same bits on every kernel and
/// as RNNKit's Swift loops (element-wise, correctly rounded, no fma; the sum's order fixed). (kit_softmax.c)
void kit_exp_f32(int kernel, long n, const float *x, float *y);
void kit_softmax_rows_f32(int kernel, long rows, long width, float *v);

/// Scans for training's loss-row skipping (kit_scan.c): whether all n values are +0 (bits),
/// whether all are finite, and the index of the first ±0 at or after `from` (n when none).
int kit_all_positive_zero_f32(const float *v, long n);
int kit_all_finite_f32(const float *v, long n);
long kit_next_zero_f32(const float *v, long from, long n);
/// The index the loss's accuracy counts as the prediction: the first of the greatest values, as a
/// left-to-right scan keeping the first strictly greater one finds it (0 when v[0] is NaN).
long kit_argmax_f32(const float *v, long n);

/// Hints the cache to fetch `rows` rows of `width_bytes` each, `row_stride_bytes` apart, from
/// `base` (into L2): a block of a wide matrix the next step of a loop reads. (kit_prefetch.c)
void kit_prefetch_rows(const void *base, long rows, long row_stride_bytes, long width_bytes);
