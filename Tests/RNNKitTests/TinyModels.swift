import Foundation
@testable import RNNKit

/// Small models built in Swift with deterministic pseudo-random weights, so tests do not
/// need ../shared.
enum TinyModels {
    /// Deterministic values in [-scale, scale) from a linear congruential sequence.
    static func values(_ n: Int, seed: UInt64, scale: Float = 0.5) -> [Float] {
        var s = seed &* 6364136223846793005 &+ 1442695040888963407
        return (0..<n).map { _ in
            s = s &* 6364136223846793005 &+ 1442695040888963407
            return (Float(s >> 40) / Float(1 << 24) * 2 - 1) * scale
        }
    }

    static func randomize<L: Layer>(_ layer: L, seed: UInt64) -> L {
        var l = layer
        l.setWeights(l.weights.enumerated().map { i, w in
            Tensor(shape: w.tensor.shape, data: values(w.tensor.count, seed: seed &+ UInt64(i)))
        })
        return l
    }

    /// Embedding(20, 4) → recurrent(cell, 6) → Dense(3, softmax), T = 5.
    static func manyToOne(_ cell: Recurrent.Cell, activation: Activation = .tanh, maskZero: Bool = false) throws -> Model {
        try Model.sequential(name: "tiny", input: ModelInput(name: "tokens", shape: [nil, 5], dtype: "int32"), layers: [
            randomize(Embedding(name: "embedding", inputDim: 20, outputDim: 4, maskZero: maskZero), seed: 1),
            randomize(Recurrent(name: "rnn", cell: cell, inputDim: 4, units: 6, activation: activation,
                                recurrentActivation: .hardSigmoid), seed: 2),
            randomize(Dense(name: "dense", inputDim: 6, units: 3, activation: .softmax), seed: 3),
        ])
    }

    static func tokens(batch: Int, steps: Int = 5, vocab: Int = 20) -> Tensor {
        Tensor(shape: [batch, steps], data: (0..<(batch * steps)).map { Float(($0 * 7 + 3) % vocab) })
    }
}
