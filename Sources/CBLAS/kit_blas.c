#define _GNU_SOURCE
#include "kit_blas.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { RowMajor = 101, NoTrans = 111, Trans = 112 };
typedef void (*sgemm_fn)(int, int, int, int, int, int, float, const float *, int, const float *, int, float, float *, int);
typedef void (*dgemm_fn)(int, int, int, int, int, int, double, const double *, int, const double *, int, double, double *, int);

static sgemm_fn sgemm_ptr;
static dgemm_fn dgemm_ptr;
static void (*set_threads_ptr)(int);
static char *(*corename_ptr)(void);
static char forced[32] = "";
static char error[512] = "";
static pthread_once_t once = PTHREAD_ONCE_INIT;

/// The best kernel family 0.3.21 has for this CPU when its own detection is unreliable.
static const char *choose_coretype(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl")) return "SkylakeX";
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
    return NULL;
}

static void load(void) {
    if (getenv("OPENBLAS_CORETYPE") == NULL) {
        const char *c = choose_coretype();
        if (c) { setenv("OPENBLAS_CORETYPE", c, 0); snprintf(forced, sizeof forced, "%s", c); }
    }
    void *h = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_LOCAL);
    if (!h) { snprintf(error, sizeof error, "cannot load OpenBLAS (apt install libopenblas0 or libopenblas-dev): %s", dlerror()); return; }
    sgemm_ptr = (sgemm_fn)dlsym(h, "cblas_sgemm");
    dgemm_ptr = (dgemm_fn)dlsym(h, "cblas_dgemm");
    set_threads_ptr = (void (*)(int))dlsym(h, "openblas_set_num_threads");
    corename_ptr = (char *(*)(void))dlsym(h, "openblas_get_corename");
    if (!sgemm_ptr || !dgemm_ptr || !set_threads_ptr)
        snprintf(error, sizeof error, "libopenblas.so.0 lacks cblas_sgemm/cblas_dgemm/openblas_set_num_threads");
}

int kit_blas_load(char *message, size_t size) {
    pthread_once(&once, load);
    if (error[0]) { snprintf(message, size, "%s", error); return -1; }
    return 0;
}

const char *kit_blas_corename(void) { return corename_ptr ? corename_ptr() : "unknown"; }
const char *kit_blas_forced_coretype(void) { return forced; }
void kit_blas_set_threads(int n) { set_threads_ptr(n); }

void kit_sgemm(int m, int n, int k, float alpha, const float *a, int lda, const float *b, int ldb,
               float beta, float *c, int ldc) {
    sgemm_ptr(RowMajor, NoTrans, NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void kit_dgemm(int m, int n, int k, double alpha, const double *a, int lda, const double *b, int ldb,
               double beta, double *c, int ldc) {
    dgemm_ptr(RowMajor, NoTrans, NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void kit_sgemm_t(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a, int lda,
                 const float *b, int ldb, float beta, float *c, int ldc) {
    sgemm_ptr(RowMajor, trans_a ? Trans : NoTrans, trans_b ? Trans : NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void kit_dgemm_t(int trans_a, int trans_b, int m, int n, int k, double alpha, const double *a, int lda,
                 const double *b, int ldb, double beta, double *c, int ldc) {
    dgemm_ptr(RowMajor, trans_a ? Trans : NoTrans, trans_b ? Trans : NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
