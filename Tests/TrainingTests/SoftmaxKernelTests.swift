import CGEMM
import Foundation
@testable import RNNKit
import Testing

/// Training's float32 exp and row softmax run in C (CGEMM/kit_softmax.c, AVX-512, AVX2 or
/// scalar by kernel). They must give the bits of RNNKit's Swift definitions (`expApprox`,
/// `softmaxRowsInSwift`) on every kernel, for widths that leave SIMD tails of every length.
struct SoftmaxKernelTests {
    let kernels = [Int32(KIT_GEMM_PORTABLE), Int32(KIT_GEMM_AVX2), Int32(KIT_GEMM_AVX512)].filter { kit_gemm_supported($0) != 0 }

    @Test("kit_exp_f32 = expApprox bit for bit over [−100, 100] (clamps included), every kernel")
    func exp() {
        // Every 2⁻¹²-th value of [−100, 100] (819,201 arguments) plus the edges of the clamps.
        var x = (0...819_200).map { Float(-100 + Double($0) / 4096) }
        x += [-87.3365447505531, 88, -0.0, 0, .leastNormalMagnitude, -.leastNormalMagnitude, 1e-30, -1e-30]
        let expected = x.map { expApprox($0).bitPattern }
        for kernel in kernels {
            var y = [Float](repeating: 0, count: x.count)
            kit_exp_f32(kernel, x.count, x, &y)
            let mismatches = zip(y.map(\.bitPattern), expected).filter { $0 != $1 }.count
            #expect(mismatches == 0, "kernel \(kernel): \(mismatches) of \(x.count) differ")
        }
        #expect(abs(expApprox(1) - Float(M_E)) < 2 * Float(M_E).ulp, "expApprox is exp")
    }

    @Test("kit_softmax_rows_f32 = softmaxRowsInSwift bit for bit, every kernel", arguments: [1, 7, 8, 9, 15, 16, 17, 23, 100, 30_000])
    func softmax(_ width: Int) {
        var rng = SeededRandom(seed: UInt64(width))
        let rows = 5
        let logits = (0..<rows * width).map { _ in Float(Double(rng.next() % 4_000_001) / 100_000 - 20) }
        var expected = logits
        expected.withUnsafeMutableBufferPointer { softmaxRowsInSwift($0.baseAddress!, rows: rows, width: width) }
        for kernel in kernels {
            var p = logits
            kit_softmax_rows_f32(kernel, rows, width, &p)
            #expect(p.map(\.bitPattern) == expected.map(\.bitPattern), "kernel \(kernel), width \(width)")
        }
        let rowSum = expected[0..<width].reduce(0, +)
        #expect(abs(rowSum - 1) < 1e-4, "a row sums to 1 (\(rowSum))")
    }
}
