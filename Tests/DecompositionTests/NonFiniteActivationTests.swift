import Foundation
import Testing
@testable import Decomposition
import RNNKit

/// Issue 11 item 6: weights that load fine (finite) but overflow during the forward pass make
/// monitoring stop with the layer, the time step and the value, never concerns identified
/// from NaN (every comparison with NaN is false, so it would pass as "never active").
struct NonFiniteActivationTests {
    /// Tiny's SimpleRNN model with `kernel(row)` as every column of rnn0's input kernel row and
    /// `recurrent` everywhere in its recurrent kernel; the embedding is all `embedding`.
    func overflowing(activation: Activation, embedding: Float, kernel: (Int) -> Float, recurrent: Float) throws -> Model {
        var m = try Tiny.model(.simple, activation: activation)
        var e = m.nodes[0].layer
        e.setWeights(e.weights.map { Tensor(shape: $0.tensor.shape, data: [Float](repeating: embedding, count: $0.tensor.count)) })
        m.nodes[0].layer = e
        var r = m.nodes[1].layer
        let w = r.weights.map(\.tensor)
        let units = w[0].shape[1]
        r.setWeights([Tensor(shape: w[0].shape, data: (0..<w[0].count).map { kernel($0 / units) }),
                      Tensor(shape: w[1].shape, data: [Float](repeating: recurrent, count: w[1].count)),
                      Tensor(shape: w[2].shape, data: [Float](repeating: 0, count: w[2].count))])
        m.nodes[1].layer = r
        return m
    }

    func monitoringError(_ m: Model) throws -> (layer: String, step: Int, sample: Int, value: Float) {
        let data = try Tiny.data(count: 40)
        do {
            _ = try Decomposer(model: m, config: .paper).decompose(train: data)
        } catch let DecompositionError.nonFiniteActivation(layer, step, sample, value) {
            #expect((0..<40).contains(sample), "a row of the data: \(sample)")
            return (layer, step, sample, value)
        }
        Issue.record("decomposed a model whose activations are not finite")
        return ("", -1, -1, 0)
    }

    @Test("a NaN feature in the data is NaN in the layer at the step where it enters")
    func nanFromTheData() throws {
        // The kit accumulates in double, so finite float32 weights overflow only by growing over
        // steps (the next test), and then to +Inf first. A NaN comes from data: a feature
        // model (no embedding) with one NaN at row 7, step 3.
        let rnn = Tiny.randomize(Recurrent(name: "rnn", cell: .simple, inputDim: 2, units: 6), seed: 3)
        let m = try Model.sequential(name: "features", input: ModelInput(name: "x", shape: [nil, 5, 2]),
                                     layers: [rnn, Tiny.randomize(Dense(name: "out", inputDim: 6, units: 4, activation: .softmax), seed: 4)])
        let count = 40
        var x = Tiny.values(count * 5 * 2, seed: 9)
        x[(7 * 5 + 3) * 2 + 1] = .nan
        let data = try LabeledData(x: Tensor(shape: [count, 5, 2], data: x), labels: (0..<count).map { $0 % 4 }, numClasses: 4)
        do {
            _ = try Decomposer(model: m, config: .paper).decompose(train: data)
            Issue.record("decomposed from NaN activations")
        } catch let DecompositionError.nonFiniteActivation(layer, step, sample, value) {
            #expect(layer == "rnn" && step == 3 && sample == 7 && value.isNaN, "\(layer) \(step) \(sample) \(value)")
            let message = "\(DecompositionError.nonFiniteActivation(layer: layer, step: step, sample: sample, value: value))"
            #expect(message.hasPrefix("layer 'rnn' computed nan at time step 3 for sample 7 while monitoring"), "\(message)")
        }
    }

    @Test("a ReLU recurrence that grows past Float.max is +Inf at step 2")
    func infinityAfterGrowth() throws {
        // h0 = relu(4 · 0.5 · 0.5) = 1, h1 = 1 + 8 · 1e20 ≈ 8e20, h2 = 1 + 8 · 8e20 · 1e20 ≈ 6e41 > Float.max.
        let m = try overflowing(activation: .relu, embedding: 0.5, kernel: { _ in 0.5 }, recurrent: 1e20)
        let e = try monitoringError(m)
        #expect(e.layer == "rnn0" && e.step == 2 && e.value == .infinity, "\(e)")
    }

    @Test("finite activations pass the check; the first non-finite value is located by step and sample")
    func requireFiniteLocates() throws {
        // [B = 2, T = 3, units = 2]: batch row 1, step 2, unit 1 is the first non-finite value.
        var values = Tensor(shape: [2, 3, 2], data: [Float](repeating: 0.25, count: 12))
        try Monitor.requireFinite(values, layer: "l", steps: 3, units: 2) { $0 + 100 }
        values.data[11] = -.infinity
        #expect(throws: DecompositionError.nonFiniteActivation(layer: "l", step: 2, sample: 101, value: -.infinity)) {
            try Monitor.requireFinite(values, layer: "l", steps: 3, units: 2) { $0 + 100 }
        }
    }
}
