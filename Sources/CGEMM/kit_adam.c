// Adam's per-element update for float32 (contract in include/kit_gemm.h). Each element is the
// same sequence of correctly rounded IEEE operations (no fma: contraction is off) in every
// path, so 8-wide AVX, 4-wide SSE and the scalar tail give the same bits as Swift's loop did.
#pragma STDC FP_CONTRACT OFF
#include "kit_gemm.h"
#include <immintrin.h>

static inline void adam_scalar(float g, float scale, float b1, float b2, float alpha, float eps, float *m, float *v, float *w) {
    float gj = g * scale;
    *m = *m + (gj - *m) * b1;
    *v = *v + (gj * gj - *v) * b2;
    float root = _mm_cvtss_f32(_mm_sqrt_ss(_mm_set_ss(*v)));
    *w = *w - (alpha * *m) / (root + eps);
}

__attribute__((target("avx")))
static long adam_avx(long n, const float *g, float scale, float b1, float b2, float alpha, float eps, float *m, float *v, float *w) {
    const __m256 s = _mm256_set1_ps(scale), c1 = _mm256_set1_ps(b1), c2 = _mm256_set1_ps(b2),
                 a = _mm256_set1_ps(alpha), e = _mm256_set1_ps(eps);
    long j = 0;
    for (; j + 8 <= n; j += 8) {
        __m256 gj = _mm256_mul_ps(_mm256_loadu_ps(g + j), s);
        __m256 mj = _mm256_loadu_ps(m + j), vj = _mm256_loadu_ps(v + j);
        mj = _mm256_add_ps(mj, _mm256_mul_ps(_mm256_sub_ps(gj, mj), c1));
        vj = _mm256_add_ps(vj, _mm256_mul_ps(_mm256_sub_ps(_mm256_mul_ps(gj, gj), vj), c2));
        __m256 step = _mm256_div_ps(_mm256_mul_ps(a, mj), _mm256_add_ps(_mm256_sqrt_ps(vj), e));
        _mm256_storeu_ps(m + j, mj);
        _mm256_storeu_ps(v + j, vj);
        _mm256_storeu_ps(w + j, _mm256_sub_ps(_mm256_loadu_ps(w + j), step));
    }
    return j;
}

static long adam_sse(long n, const float *g, float scale, float b1, float b2, float alpha, float eps, float *m, float *v, float *w) {
    const __m128 s = _mm_set1_ps(scale), c1 = _mm_set1_ps(b1), c2 = _mm_set1_ps(b2), a = _mm_set1_ps(alpha), e = _mm_set1_ps(eps);
    long j = 0;
    for (; j + 4 <= n; j += 4) {
        __m128 gj = _mm_mul_ps(_mm_loadu_ps(g + j), s);
        __m128 mj = _mm_loadu_ps(m + j), vj = _mm_loadu_ps(v + j);
        mj = _mm_add_ps(mj, _mm_mul_ps(_mm_sub_ps(gj, mj), c1));
        vj = _mm_add_ps(vj, _mm_mul_ps(_mm_sub_ps(_mm_mul_ps(gj, gj), vj), c2));
        __m128 step = _mm_div_ps(_mm_mul_ps(a, mj), _mm_add_ps(_mm_sqrt_ps(vj), e));
        _mm_storeu_ps(m + j, mj);
        _mm_storeu_ps(v + j, vj);
        _mm_storeu_ps(w + j, _mm_sub_ps(_mm_loadu_ps(w + j), step));
    }
    return j;
}

// The update of an element whose gradient is 0 for `steps` steps in a row, step i with
// alphas[i]: the same operations as kit_adam_f32 on a zero g (gj = 0·scale = +0 for the positive
// scales the trainer uses, then 0 − m, gj·gj − v),
// so replaying skipped steps later gives the bits of doing them one at a time. The row stays in
// cache across the steps: this is compute, where the dense pass is a trip through memory.
__attribute__((target("avx")))
static long adam_idle_avx(long n, long steps, const float *alphas, float b1, float b2, float eps, float *m, float *v, float *w) {
    const __m256 gj = _mm256_setzero_ps(), gg = _mm256_mul_ps(gj, gj),
                 c1 = _mm256_set1_ps(b1), c2 = _mm256_set1_ps(b2), e = _mm256_set1_ps(eps);
    long full = n - n % 8;
    for (long s = 0; s < steps; s++) {
        const __m256 a = _mm256_set1_ps(alphas[s]);
        for (long j = 0; j < full; j += 8) {
            __m256 mj = _mm256_loadu_ps(m + j), vj = _mm256_loadu_ps(v + j);
            mj = _mm256_add_ps(mj, _mm256_mul_ps(_mm256_sub_ps(gj, mj), c1));
            vj = _mm256_add_ps(vj, _mm256_mul_ps(_mm256_sub_ps(gg, vj), c2));
            __m256 step = _mm256_div_ps(_mm256_mul_ps(a, mj), _mm256_add_ps(_mm256_sqrt_ps(vj), e));
            _mm256_storeu_ps(m + j, mj);
            _mm256_storeu_ps(v + j, vj);
            _mm256_storeu_ps(w + j, _mm256_sub_ps(_mm256_loadu_ps(w + j), step));
        }
    }
    return full;
}

static long adam_idle_sse(long n, long steps, const float *alphas, float b1, float b2, float eps, float *m, float *v, float *w) {
    const __m128 gj = _mm_setzero_ps(), gg = _mm_mul_ps(gj, gj),
                 c1 = _mm_set1_ps(b1), c2 = _mm_set1_ps(b2), e = _mm_set1_ps(eps);
    long full = n - n % 4;
    for (long s = 0; s < steps; s++) {
        const __m128 a = _mm_set1_ps(alphas[s]);
        for (long j = 0; j < full; j += 4) {
            __m128 mj = _mm_loadu_ps(m + j), vj = _mm_loadu_ps(v + j);
            mj = _mm_add_ps(mj, _mm_mul_ps(_mm_sub_ps(gj, mj), c1));
            vj = _mm_add_ps(vj, _mm_mul_ps(_mm_sub_ps(gg, vj), c2));
            __m128 step = _mm_div_ps(_mm_mul_ps(a, mj), _mm_add_ps(_mm_sqrt_ps(vj), e));
            _mm_storeu_ps(m + j, mj);
            _mm_storeu_ps(v + j, vj);
            _mm_storeu_ps(w + j, _mm_sub_ps(_mm_loadu_ps(w + j), step));
        }
    }
    return full;
}

void kit_adam_idle_f32(int kernel, long n, long steps, const float *alphas, float b1, float b2, float eps,
                       float *m, float *v, float *w) {
    long j = (kernel >= KIT_GEMM_AVX2 && kit_gemm_supported(KIT_GEMM_AVX2))
        ? adam_idle_avx(n, steps, alphas, b1, b2, eps, m, v, w)
        : adam_idle_sse(n, steps, alphas, b1, b2, eps, m, v, w);
    for (; j < n; j++)
        for (long s = 0; s < steps; s++) adam_scalar(0.0f, 1.0f, b1, b2, alphas[s], eps, m + j, v + j, w + j);
}

void kit_adam_f32(int kernel, long n, const float *g, float scale, float b1, float b2, float alpha, float eps,
                  float *m, float *v, float *w) {
    long j = (kernel >= KIT_GEMM_AVX2 && kit_gemm_supported(KIT_GEMM_AVX2))
        ? adam_avx(n, g, scale, b1, b2, alpha, eps, m, v, w)
        : adam_sse(n, g, scale, b1, b2, alpha, eps, m, v, w);
    for (; j < n; j++) adam_scalar(g[j], scale, b1, b2, alpha, eps, m + j, v + j, w + j);
}
