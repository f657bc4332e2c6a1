import Foundation
@testable import Decomposition
import RNNKit

/// Small deterministic models and data for decomposition tests.
enum Tiny {
    static func values(_ n: Int, seed: UInt64, scale: Float = 0.8) -> [Float] {
        var g = SeededRandom(seed: seed)
        return (0..<n).map { _ in (Float(g.next() >> 40) / Float(1 << 24) * 2 - 1) * scale }
    }

    static func randomize<L: Layer>(_ layer: L, seed: UInt64) -> L {
        var l = layer
        l.setWeights(l.weights.enumerated().map { i, w in Tensor(shape: w.tensor.shape, data: values(w.tensor.count, seed: seed &+ UInt64(i))) })
        return l
    }

    /// Embedding(12, 4) → cell(8) [× depth] → Dense(K softmax); many-output adds return
    /// sequences and TimeDistributed.
    static func model(_ cell: Recurrent.Cell, activation: Activation = .tanh, depth: Int = 1, classes: Int = 4,
                      steps: Int = 5, manyOutput: Bool = false) throws -> Model {
        var layers: [any Layer] = [randomize(Embedding(name: "embedding", inputDim: 12, outputDim: 4), seed: 1)]
        for d in 0..<depth {
            layers.append(randomize(Recurrent(name: "rnn\(d)", cell: cell, inputDim: d == 0 ? 4 : 8, units: 8, activation: activation,
                                              recurrentActivation: .hardSigmoid, returnSequences: manyOutput || d < depth - 1), seed: 10 + UInt64(d)))
        }
        layers.append(randomize(Dense(name: "out", inputDim: 8, units: classes, activation: .softmax, timeDistributed: manyOutput), seed: 99))
        return try Model.sequential(name: "tiny", input: ModelInput(name: "tokens", shape: [nil, steps], dtype: "int32"), layers: layers)
    }

    /// Labels that depend on the tokens, so classes are distinguishable: one-output = first
    /// token mod K; many-output = token mod (K−1) + 1 at every step (0 = padding never used).
    static func data(count: Int, classes: Int = 4, steps: Int = 5, manyOutput: Bool = false, seed: UInt64 = 7) throws -> LabeledData {
        var g = SeededRandom(seed: seed)
        let x = (0..<(count * steps)).map { _ in Float(1 + g.next() % 11) }
        let labels: [Int] = manyOutput ? x.map { Int($0) % (classes - 1) + 1 } : (0..<count).map { Int(x[$0 * steps]) % classes }
        return try LabeledData(x: Tensor(shape: [count, steps], data: x), labels: labels, outputSteps: manyOutput ? steps : 1,
                               numClasses: classes, paddingLabel: manyOutput ? 0 : nil)
    }
}
