import Foundation
import Testing
@testable import RNNKit

/// Evaluation scores without a gradient (SoftmaxCrossEntropy.score): its sums must be the
/// training loss's own, bit for bit, whatever the mask and the ignored label hide.
struct CrossEntropyScoreTests {
    @Test("score gives evaluate's loss, correct and counted, and no gradient", arguments: [false, true])
    func sameSums(masked: Bool) throws {
        var rng = SeededRandom(seed: 5)
        let (rows, K) = (37, 23)
        var p = [Float](repeating: 0, count: rows * K)
        for r in 0..<rows {
            var sum: Float = 0
            for k in 0..<K { p[r * K + k] = Float(rng.below(1000) + 1); sum += p[r * K + k] }
            for k in 0..<K { p[r * K + k] /= sum }
        }
        let labels = (0..<rows).map { _ in Int32(rng.below(K)) }
        let mask = masked ? (0..<rows).map { $0 % 3 != 0 } : nil
        let batch = Batch(shape: [rows, K], data: p, mask: mask)
        let full = try SoftmaxCrossEntropy.evaluate(batch, labels: labels, ignoreLabel: 2, wrtLogits: false)
        let scored = try SoftmaxCrossEntropy.score(batch, labels: labels, ignoreLabel: 2)
        #expect(scored.lossSum.bitPattern == full.lossSum.bitPattern)
        #expect(scored.correct == full.correct)
        #expect(scored.counted == full.counted)
        let expectedCounted = (0..<rows).filter { (mask?[$0] ?? true) && labels[$0] != 2 }.count
        #expect(full.counted == expectedCounted && expectedCounted > 0)
        #expect(scored.gradient.isEmpty, "an evaluation keeps no gradient")
    }

    @Test("score refuses labels that do not match the rows, and an empty batch scores nothing")
    func shapes() throws {
        let batch = Batch<Float>(shape: [2, 3], data: [0.2, 0.3, 0.5, 0.1, 0.1, 0.8], mask: nil)
        #expect(throws: RNNKitError.self) { try SoftmaxCrossEntropy.score(batch, labels: [1], ignoreLabel: nil) }
        #expect(throws: RNNKitError.self) { try SoftmaxCrossEntropy.score(batch, labels: [1, 5], ignoreLabel: nil) }
        let empty = try SoftmaxCrossEntropy.score(Batch<Float>(shape: [0, 3], data: [], mask: nil), labels: [], ignoreLabel: nil)
        #expect(empty.counted == 0 && empty.lossSum == 0)
        let two = try SoftmaxCrossEntropy.score(batch, labels: [2, 0], ignoreLabel: nil)
        #expect(two.counted == 2 && two.correct == 1)
        #expect(abs(two.lossSum - (-log(0.5) - log(0.1))) < 1e-6)
    }
}
