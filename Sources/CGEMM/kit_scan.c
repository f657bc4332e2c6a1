// Scans of float32 arrays that training's loss-row skipping asks per step (RNNKit's
// LossRows.swift): written as fixed-width blocks so the compiler vectorises them; Swift's
// element loops over the 3-million-element output kernel cost more than the rows they saved.
#include "kit_gemm.h"
#include <stdint.h>
#include <string.h>

enum { BLOCK = 16 };

static inline uint32_t bits_at(const float *v, long i) { uint32_t b; memcpy(&b, v + i, 4); return b; }

int kit_all_positive_zero_f32(const float *v, long n) {
    uint32_t any = 0;
    for (long i = 0; i < n; i++) any |= bits_at(v, i);
    return any == 0;
}

int kit_all_finite_f32(const float *v, long n) {
    uint32_t top = 0;
    for (long i = 0; i < n; i++) {
        uint32_t e = bits_at(v, i) & 0x7f800000u;
        top = e > top ? e : top;
    }
    return top < 0x7f800000u;
}

long kit_next_zero_f32(const float *v, long from, long n) {
    long i = from;
    for (; i + BLOCK <= n; i += BLOCK) {
        uint32_t zero = 0;
        for (int j = 0; j < BLOCK; j++) zero |= (bits_at(v, i + j) << 1) == 0;
        if (zero) break;
    }
    for (; i < n; i++) if ((bits_at(v, i) << 1) == 0) return i;
    return n;
}

long kit_argmax_f32(const float *v, long n) {
    // `best = 0; for k in 1..<n where v[k] > v[best] { best = k }` returns 0 when v[0] is NaN and
    // otherwise the first k with v[k] == M, M the greatest non-NaN value: M by lanes (comparisons
    // only, so exact), then the first equal element.
    if (n <= 1 || v[0] != v[0]) return 0;
    float lane[BLOCK];
    for (int j = 0; j < BLOCK; j++) lane[j] = v[0];
    long i = 1;
    for (; i + BLOCK <= n; i += BLOCK)
        for (int j = 0; j < BLOCK; j++) lane[j] = v[i + j] > lane[j] ? v[i + j] : lane[j];
    float m = v[0];
    for (int j = 0; j < BLOCK; j++) m = lane[j] > m ? lane[j] : m;
    for (; i < n; i++) m = v[i] > m ? v[i] : m;
    for (i = 0; i + BLOCK <= n; i += BLOCK) {
        int hit = 0;
        for (int j = 0; j < BLOCK; j++) hit |= v[i + j] == m;
        if (hit) break;
    }
    for (; i < n; i++) if (v[i] == m) return i;
    return 0;   // not reached: v[0] is not NaN, so M is one of the values
}
