import Foundation
import KitRandom
import Testing
@testable import RNNKit

/// The GEMM's contract (Sources/CGEMM/include/kit_gemm.h): every element is one chain of
/// fused multiply-adds in ascending k, starting from C (accumulate) or 0 — checked bit for bit
/// against that chain written out in Swift, on every kernel this CPU runs, for shapes that
/// exercise edge tiles, several K blocks (KC = 256) and several N blocks (NC = 2048).
struct GEMMTests {
    /// (M, N, K): tile edges of every kernel, K across block boundaries, N past one block; a K
    /// that is not a multiple of the transposed packing's 8 steps, M past one row block (MC = 120).
    static let shapes: [(Int, Int, Int)] = [(1, 1, 1), (5, 7, 3), (12, 32, 256), (13, 33, 257), (97, 50, 600), (3, 2100, 40), (30, 400, 100),
                                                   (13, 70, 45), (130, 40, 20),
                                                   (61, 2100, 30), (125, 2065, 7)]   // packed B wider than NC: tiles row panel by row panel

    static func reference<S: KitScalar>(_ ta: Bool, _ tb: Bool, _ m: Int, _ n: Int, _ k: Int, _ a: [S], _ lda: Int,
                                       _ b: [S], _ ldb: Int, _ c: [S], _ ldc: Int, accumulate: Bool) -> [S] {
        var out = c
        for i in 0..<m {
            for j in 0..<n {
                var acc: S = accumulate ? c[i * ldc + j] : 0
                for p in 0..<k {
                    let x = ta ? a[p * lda + i] : a[i * lda + p]
                    let y = tb ? b[j * ldb + p] : b[p * ldb + j]
                    acc.addProduct(x, y)   // IEEE fusedMultiplyAdd: one rounding
                }
                out[i * ldc + j] = acc
            }
        }
        return out
    }

    func check<S: KitScalar>(_: S.Type) {
        var rng = SplitMix64(seed: 7)
        for (m, n, k) in Self.shapes {
            for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
                for accumulate in [false, true] {
                    // Leading dimensions wider than the rows, as the recurrent step's slices are.
                    let lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 2, ldc = n + 5
                    let a = (0..<((ta ? k : m) * lda)).map { _ in S(Float(rng.uniform(-1, 1))) }
                    let b = (0..<((tb ? n : k) * ldb)).map { _ in S(Float(rng.uniform(-1, 1))) }
                    let c0 = (0..<(m * ldc)).map { _ in S(Float(rng.uniform(-1, 1))) }
                    let expected = Self.reference(ta, tb, m, n, k, a, lda, b, ldb, c0, ldc, accumulate: accumulate)
                    for kernel in GEMM.Kernel.allCases where GEMM.isSupported(kernel) {
                        var c = c0
                        c.withUnsafeMutableBufferPointer { cp in
                            GEMM.multiply(kernel: kernel, transA: ta, transB: tb, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb,
                                          c: cp.baseAddress!, ldc: ldc, accumulate: accumulate)
                        }
                        let differing = zip(c, expected).filter { $0.0 != $0.1 || $0.0.sign != $0.1.sign }.count
                        #expect(differing == 0, "\(S.self) \(kernel) M\(m) N\(n) K\(k) transA \(ta) transB \(tb) accumulate \(accumulate): \(differing) elements differ")
                    }
                }
            }
        }
    }

    /// C starting from a row (a bias): the bits of filling C's rows with it and accumulating; C's
    /// padding columns (ldc > n) are left as they were.
    func checkRowStart<S: KitScalar>(_: S.Type) {
        var rng = SplitMix64(seed: 11)
        for (m, n, k) in Self.shapes + [(4, 9, 0)] {
            let (lda, ldb, ldc) = (k + 3, n + 2, n + 5)
            let a = (0..<(m * lda)).map { _ in S(Float(rng.uniform(-1, 1))) }
            let b = (0..<(max(k, 1) * ldb)).map { _ in S(Float(rng.uniform(-1, 1))) }
            let row = (0..<n).map { _ in S(Float(rng.uniform(-1, 1))) }
            let c0 = (0..<(m * ldc)).map { _ in S(Float(rng.uniform(-1, 1))) }
            var filled = c0
            for i in 0..<m { for j in 0..<n { filled[i * ldc + j] = row[j] } }
            let expected = Self.reference(false, false, m, n, k, a, lda, b, ldb, filled, ldc, accumulate: true)
            for kernel in GEMM.Kernel.allCases where GEMM.isSupported(kernel) {
                var c = c0
                c.withUnsafeMutableBufferPointer { cp in
                    GEMM.multiply(kernel: kernel, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, row: row, c: cp.baseAddress!, ldc: ldc)
                }
                let differing = zip(c, expected).filter { $0.0 != $0.1 || $0.0.sign != $0.1.sign }.count
                #expect(differing == 0, "\(S.self) \(kernel) M\(m) N\(n) K\(k) from a row: \(differing) elements differ")
            }
        }
    }

    @Test func floatFromARowIsFillAndAccumulate() { checkRowStart(Float.self) }
    @Test func doubleFromARowIsFillAndAccumulate() { checkRowStart(Double.self) }

    @Test func floatIsTheFMAChainOnEveryKernel() { check(Float.self) }
    @Test func doubleIsTheFMAChainOnEveryKernel() { check(Double.self) }

    /// Selection: nil picks the widest kernel this CPU runs; an explicit one is honoured when
    /// the CPU runs it. (Other tests may run meanwhile: every kernel gives the same bits.)
    @Test func kernelSelection() throws {
        let widest = try #require(GEMM.Kernel.allCases.last(where: GEMM.isSupported))
        #expect(GEMM.select(.portable) == .portable)
        #expect(GEMM.select(nil) == widest)
        #expect(GEMM.kernel == widest)
    }
}

/// What one-pass monitoring relies on: a row's outputs and taps are the same bits whether it
/// runs alone, in a small batch or in a large one (chunked over cores), in both precisions.
struct RowIndependenceTests {
    @Test("a row's prediction and taps do not depend on the batch it runs in",
          arguments: [Recurrent.Cell.simple, .lstm, .gru(resetAfter: true)], [Precision.float32, .float64])
    func rowIndependence(_ cell: Recurrent.Cell, _ precision: Precision) throws {
        let m = try TinyModels.manyToOne(cell, activation: cell == .simple ? .relu : .tanh)
        let x = TinyModels.tokens(batch: 700)
        let all = try m.predict(["tokens": x], batchSize: 256, taps: true, precision: precision)
        for rows in [17..<18, 100..<237, 690..<700] {
            let part = try m.predict(["tokens": x.slice(batch: rows)], batchSize: 64, taps: true, precision: precision)
            #expect(part.prediction == all.prediction.slice(batch: rows))
            #expect(part.hidden["rnn"]! == all.hidden["rnn"]!.slice(batch: rows))
            #expect(part.gates["rnn"]! == all.gates["rnn"]!.slice(batch: rows))
        }
    }
}
