// OpenBLAS, loaded at first use rather than linked.
//
// Why: OpenBLAS picks its kernels when it is loaded, from CPUID. The Debian 12 build
// (0.3.21) does not know recent Xeons (Sapphire Rapids) and falls back to its SSE3
// "Prescott" kernels, 3× slower than the AVX-512 ones the CPU runs. Its override,
// OPENBLAS_CORETYPE, is read only at load time, so the kit sets it (unless the user did)
// before loading the library itself with dlopen.
#pragma once
#include <stddef.h>

/// Loads libopenblas.so.0 once. Returns 0 on success; otherwise fills `message`.
int kit_blas_load(char *message, size_t size);

/// OpenBLAS's kernel family ("SkylakeX", "Haswell", …), after a successful load.
const char *kit_blas_corename(void);

/// The OPENBLAS_CORETYPE the kit chose, or "" when the user's value or OpenBLAS's own
/// detection was kept.
const char *kit_blas_forced_coretype(void);

void kit_blas_set_threads(int n);

/// Row-major, no transposes: C = alpha·A·B + beta·C.
void kit_sgemm(int m, int n, int k, float alpha, const float *a, int lda, const float *b, int ldb,
               float beta, float *c, int ldc);
void kit_dgemm(int m, int n, int k, double alpha, const double *a, int lda, const double *b, int ldb,
               double beta, double *c, int ldc);

/// Row-major with optional transposes (training's backward passes): C = alpha·op(A)·op(B) + beta·C,
/// op(A) is M×K, op(B) is K×N; a transposed operand is stored as its transpose (lda, ldb as stored).
void kit_sgemm_t(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a, int lda,
                 const float *b, int ldb, float beta, float *c, int ldc);
void kit_dgemm_t(int trans_a, int trans_b, int m, int n, int k, double alpha, const double *a, int lda,
                 const double *b, int ldb, double beta, double *c, int ldc);
