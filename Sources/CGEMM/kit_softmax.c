// Training's float32 exp and row softmax (contract in include/kit_gemm.h). Each element is the
// same sequence of correctly rounded IEEE operations (contraction off, no fma) on every path,
// and the row sum keeps RNNKit's order (eight interleaved partial sums, combined as a tree,
// then the tail in order), so AVX-512, AVX2 and the scalar code give the bits Swift's loops gave;
// Swift compiles those loops for baseline SSE, which left a 30,000-way softmax at 4 lanes.
#pragma STDC FP_CONTRACT OFF
#include "kit_gemm.h"
#include <immintrin.h>
#include <stdint.h>
#include <string.h>

// Cephes's range reduction and polynomial (RNNKit's expApprox documents it; a test compares
// the two bit for bit over the whole argument range).
#define EXP_LO (-87.3365447505531f)
#define EXP_HI 88.0f
#define LOG2E 1.44269504088896341f
#define SHIFT 12582912.0f              /* 1.5·2²³: adding it leaves round(x/ln 2) in the low bits */
#define LN2_HI 0.693359375f
#define LN2_LO 2.12194440e-4f
static const float P[6] = {1.9875691500e-4f, 1.3981999507e-3f, 8.3334519073e-3f, 4.1665795894e-2f, 1.6666665459e-1f, 5.0000001201e-1f};

static inline float exp_scalar(float x0) {
    float lo = EXP_LO, hi = EXP_HI;
    float a = (lo >= x0) ? lo : x0;     // Swift's max(x0, lo) and min(·, hi), NaN included
    float x = (hi < a) ? hi : a;
    float shifted = x * LOG2E + SHIFT;
    float n = shifted - SHIFT;
    float r = x - n * LN2_HI + n * LN2_LO;
    float y = P[0];
    for (int i = 1; i < 6; i++) y = y * r + P[i];
    y = y * (r * r) + r + 1.0f;
    int32_t bits; memcpy(&bits, &shifted, 4);
    uint32_t scale = (uint32_t)((bits - 0x4B400000) + 127) << 23;
    float s; memcpy(&s, &scale, 4);
    return y * s;
}

__attribute__((target("avx512f")))
static inline __m512 exp_avx512(__m512 x0) {
    __m512 x = _mm512_min_ps(_mm512_set1_ps(EXP_HI), _mm512_max_ps(_mm512_set1_ps(EXP_LO), x0));
    __m512 shifted = _mm512_add_ps(_mm512_mul_ps(x, _mm512_set1_ps(LOG2E)), _mm512_set1_ps(SHIFT));
    __m512 n = _mm512_sub_ps(shifted, _mm512_set1_ps(SHIFT));
    __m512 r = _mm512_add_ps(_mm512_sub_ps(x, _mm512_mul_ps(n, _mm512_set1_ps(LN2_HI))), _mm512_mul_ps(n, _mm512_set1_ps(LN2_LO)));
    __m512 y = _mm512_set1_ps(P[0]);
    for (int i = 1; i < 6; i++) y = _mm512_add_ps(_mm512_mul_ps(y, r), _mm512_set1_ps(P[i]));
    y = _mm512_add_ps(_mm512_add_ps(_mm512_mul_ps(y, _mm512_mul_ps(r, r)), r), _mm512_set1_ps(1.0f));
    __m512i e = _mm512_add_epi32(_mm512_sub_epi32(_mm512_castps_si512(shifted), _mm512_set1_epi32(0x4B400000)), _mm512_set1_epi32(127));
    return _mm512_mul_ps(y, _mm512_castsi512_ps(_mm512_slli_epi32(e, 23)));
}

__attribute__((target("avx2")))
static inline __m256 exp_avx2(__m256 x0) {
    __m256 x = _mm256_min_ps(_mm256_set1_ps(EXP_HI), _mm256_max_ps(_mm256_set1_ps(EXP_LO), x0));
    __m256 shifted = _mm256_add_ps(_mm256_mul_ps(x, _mm256_set1_ps(LOG2E)), _mm256_set1_ps(SHIFT));
    __m256 n = _mm256_sub_ps(shifted, _mm256_set1_ps(SHIFT));
    __m256 r = _mm256_add_ps(_mm256_sub_ps(x, _mm256_mul_ps(n, _mm256_set1_ps(LN2_HI))), _mm256_mul_ps(n, _mm256_set1_ps(LN2_LO)));
    __m256 y = _mm256_set1_ps(P[0]);
    for (int i = 1; i < 6; i++) y = _mm256_add_ps(_mm256_mul_ps(y, r), _mm256_set1_ps(P[i]));
    y = _mm256_add_ps(_mm256_add_ps(_mm256_mul_ps(y, _mm256_mul_ps(r, r)), r), _mm256_set1_ps(1.0f));
    __m256i e = _mm256_add_epi32(_mm256_sub_epi32(_mm256_castps_si256(shifted), _mm256_set1_epi32(0x4B400000)), _mm256_set1_epi32(127));
    return _mm256_mul_ps(y, _mm256_castsi256_ps(_mm256_slli_epi32(e, 23)));
}

static int width_of(int kernel) {
    if (kernel >= KIT_GEMM_AVX512 && kit_gemm_supported(KIT_GEMM_AVX512)) return 16;
    if (kernel >= KIT_GEMM_AVX2 && kit_gemm_supported(KIT_GEMM_AVX2)) return 8;
    return 1;
}

__attribute__((target("avx512f")))
static long exp_rows_avx512(long n, const float *x, float *y) {
    long i = 0;
    for (; i + 16 <= n; i += 16) _mm512_storeu_ps(y + i, exp_avx512(_mm512_loadu_ps(x + i)));
    return i;
}

__attribute__((target("avx2")))
static long exp_rows_avx2(long n, const float *x, float *y) {
    long i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, exp_avx2(_mm256_loadu_ps(x + i)));
    return i;
}

void kit_exp_f32(int kernel, long n, const float *x, float *y) {
    int w = width_of(kernel);
    long i = w == 16 ? exp_rows_avx512(n, x, y) : w == 8 ? exp_rows_avx2(n, x, y) : 0;
    for (; i < n; i++) y[i] = exp_scalar(x[i]);
}

// One row: m = max, v ← exp(v − m) while the eight partial sums gather them, v ← v · (1/Σ).
// `groups` = n/8 elements go through the partial sums; the rest is summed after, in order.
static float finish_sum(const float lanes[8], const float *v, long from, long n) {
    float s = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
    for (long i = from; i < n; i++) s += v[i];
    return s;
}

static void softmax_row_scalar(float *v, long n) {
    float m = -__builtin_inff();
    for (long i = 0; i < n; i++) m = (v[i] >= m) ? v[i] : m;
    float lanes[8] = {0};
    long i = 0;
    for (; i + 8 <= n; i += 8) for (int k = 0; k < 8; k++) { v[i + k] = exp_scalar(v[i + k] - m); lanes[k] += v[i + k]; }
    for (long j = i; j < n; j++) v[j] = exp_scalar(v[j] - m);
    float inv = 1.0f / finish_sum(lanes, v, i, n);
    for (long j = 0; j < n; j++) v[j] *= inv;
}

__attribute__((target("avx512f")))
static void softmax_row_avx512(float *v, long n) {
    __m512 mv = _mm512_set1_ps(-__builtin_inff());
    long i = 0;
    for (; i + 16 <= n; i += 16) mv = _mm512_max_ps(mv, _mm512_loadu_ps(v + i));
    float m = _mm512_reduce_max_ps(mv);
    for (; i < n; i++) m = (v[i] >= m) ? v[i] : m;
    const __m512 mm = _mm512_set1_ps(m);
    __m256 acc = _mm256_setzero_ps();
    for (i = 0; i + 16 <= n; i += 16) {
        __m512 e = exp_avx512(_mm512_sub_ps(_mm512_loadu_ps(v + i), mm));
        _mm512_storeu_ps(v + i, e);
        acc = _mm256_add_ps(acc, _mm512_castps512_ps256(e));              // elements i…i+7, then i+8…i+15:
        acc = _mm256_add_ps(acc, _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(e), 1)));        // the partial sums' order
    }
    float lanes[8];
    _mm256_storeu_ps(lanes, acc);
    for (; i + 8 <= n; i += 8) for (int k = 0; k < 8; k++) { v[i + k] = exp_scalar(v[i + k] - m); lanes[k] += v[i + k]; }
    for (long j = i; j < n; j++) v[j] = exp_scalar(v[j] - m);
    const __m512 inv = _mm512_set1_ps(1.0f / finish_sum(lanes, v, i, n));
    long j = 0;
    for (; j + 16 <= n; j += 16) _mm512_storeu_ps(v + j, _mm512_mul_ps(_mm512_loadu_ps(v + j), inv));
    for (; j < n; j++) v[j] *= _mm512_cvtss_f32(inv);
}

__attribute__((target("avx2")))
static void softmax_row_avx2(float *v, long n) {
    __m256 mv = _mm256_set1_ps(-__builtin_inff());
    long i = 0;
    for (; i + 8 <= n; i += 8) mv = _mm256_max_ps(mv, _mm256_loadu_ps(v + i));
    float lanes[8];
    _mm256_storeu_ps(lanes, mv);
    float m = -__builtin_inff();
    for (int k = 0; k < 8; k++) m = (lanes[k] >= m) ? lanes[k] : m;
    for (; i < n; i++) m = (v[i] >= m) ? v[i] : m;
    const __m256 mm = _mm256_set1_ps(m);
    __m256 acc = _mm256_setzero_ps();
    for (i = 0; i + 8 <= n; i += 8) {
        __m256 e = exp_avx2(_mm256_sub_ps(_mm256_loadu_ps(v + i), mm));
        _mm256_storeu_ps(v + i, e);
        acc = _mm256_add_ps(acc, e);
    }
    _mm256_storeu_ps(lanes, acc);
    for (long j = i; j < n; j++) v[j] = exp_scalar(v[j] - m);
    const __m256 inv = _mm256_set1_ps(1.0f / finish_sum(lanes, v, i, n));
    long j = 0;
    for (; j + 8 <= n; j += 8) _mm256_storeu_ps(v + j, _mm256_mul_ps(_mm256_loadu_ps(v + j), inv));
    for (; j < n; j++) v[j] *= _mm256_cvtss_f32(inv);
}

void kit_softmax_rows_f32(int kernel, long rows, long width, float *v) {
    int w = width_of(kernel);
    for (long r = 0; r < rows; r++) {
        float *row = v + r * width;
        if (w == 16) softmax_row_avx512(row, width);
        else if (w == 8) softmax_row_avx2(row, width);
        else softmax_row_scalar(row, width);
    }
}
