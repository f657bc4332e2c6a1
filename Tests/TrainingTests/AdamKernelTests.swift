import CGEMM
import Foundation
@testable import RNNKit
import Testing

/// Adam's float32 update runs in C (CGEMM/kit_adam.c, AVX or SSE by kernel). It must give the
/// bits of the formula as Adam.swift documents it, evaluated one element at a time in Swift
/// (no fma), for every kernel, lengths that leave SIMD tails, and over several steps.
struct AdamKernelTests {
    /// The documented formula, element by element, in Swift.
    func reference(_ g: [Float], scale: Float, b1: Float, b2: Float, alpha: Float, eps: Float,
                   m: inout [Float], v: inout [Float], w: inout [Float]) {
        for j in g.indices {
            let gj = g[j] * scale
            m[j] += (gj - m[j]) * b1
            v[j] += (gj * gj - v[j]) * b2
            w[j] -= alpha * m[j] / (v[j].squareRoot() + eps)
        }
    }

    @Test("kit_adam_f32 = the scalar formula, bit for bit, on every kernel", arguments: [1, 3, 4, 7, 8, 9, 31, 1000])
    func bitwise(_ n: Int) throws {
        var rng = SeededRandom(seed: UInt64(n))
        func draw() -> Float { Float(Double(rng.next() % 2_000_001) / 1_000_000 - 1) * (rng.next() % 5 == 0 ? 1e-4 : 1) }
        let kernels = [Int32(KIT_GEMM_PORTABLE), Int32(KIT_GEMM_AVX2), Int32(KIT_GEMM_AVX512)].filter { kit_gemm_supported($0) != 0 }
        for kernel in kernels {
            var (m1, v1, w1) = ([Float](repeating: 0, count: n), [Float](repeating: 0, count: n), (0..<n).map { _ in draw() })
            var (m2, v2, w2) = (m1, v1, w1)
            for step in 1...5 {
                let g = (0..<n).map { _ in draw() }
                let alpha = Float(1e-3 * (1 - pow(0.999, Double(step))).squareRoot() / (1 - pow(0.9, Double(step))))
                reference(g, scale: 0.125, b1: 0.1, b2: 0.001, alpha: alpha, eps: 1e-7, m: &m1, v: &v1, w: &w1)
                kit_adam_f32(kernel, n, g, 0.125, 0.1, 0.001, alpha, 1e-7, &m2, &v2, &w2)
            }
            #expect(m1.map(\.bitPattern) == m2.map(\.bitPattern), "m, kernel \(kernel)")
            #expect(v1.map(\.bitPattern) == v2.map(\.bitPattern), "v, kernel \(kernel)")
            #expect(w1.map(\.bitPattern) == w2.map(\.bitPattern), "w, kernel \(kernel)")
            #expect(w1 != (0..<n).map { _ in Float(0) }, "the weights moved")
        }
    }

    @Test("kit_adam_idle_f32 over k steps = k calls of kit_adam_f32 with g = 0, bit for bit, on every kernel",
          arguments: [1, 3, 8, 9, 17, 100])
    func idleReplay(_ n: Int) throws {
        var rng = SeededRandom(seed: UInt64(100 + n))
        func draw() -> Float { Float(Double(rng.next() % 2_000_001) / 1_000_000 - 1) }
        let kernels = [Int32(KIT_GEMM_PORTABLE), Int32(KIT_GEMM_AVX2), Int32(KIT_GEMM_AVX512)].filter { kit_gemm_supported($0) != 0 }
        let zero = [Float](repeating: 0, count: n)
        for kernel in kernels {
            // A row with history: m and v nonzero, as after the batches that read it.
            var (m1, v1, w1) = ((0..<n).map { _ in draw() * 1e-2 }, (0..<n).map { _ in abs(draw()) * 1e-4 }, (0..<n).map { _ in draw() })
            var (m2, v2, w2) = (m1, v1, w1)
            let start = (m1, v1, w1)
            let alphas = (4...10).map { t in Float(1e-3 * (1 - pow(0.999, Double(t))).squareRoot() / (1 - pow(0.9, Double(t)))) }
            for a in alphas { kit_adam_f32(kernel, n, zero, 0.125, 0.1, 0.001, a, 1e-7, &m1, &v1, &w1) }
            kit_adam_idle_f32(kernel, n, alphas.count, alphas, 0.1, 0.001, 1e-7, &m2, &v2, &w2)
            #expect(m1.map(\.bitPattern) == m2.map(\.bitPattern), "m, kernel \(kernel)")
            #expect(v1.map(\.bitPattern) == v2.map(\.bitPattern), "v, kernel \(kernel)")
            #expect(w1.map(\.bitPattern) == w2.map(\.bitPattern), "w, kernel \(kernel)")
            // The idle steps do move a row with history (so skipping them would be caught).
            #expect(m2 != start.0 && v2 != start.1 && w2 != start.2, "idle steps decay m, v and move w")
        }
    }
}
