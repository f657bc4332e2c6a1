import Testing
@testable import RNNKit
import TestSupport

/// Finite-difference checks of the non-recurrent layers' backward passes and of the loss.
struct LayerGradientTests {
    let B = 3, T = 4, D = 5

    func expectPasses(_ r: GradientCheck.Report, minimum: Int, kinks: Int = 0) {
        #expect(r.worstRelative < Tolerance.finiteDifference, "\(r)")
        #expect(r.checked >= minimum && r.kinks == kinks, "\(r)")
    }

    @Test func embedding() throws {
        let model = try Model.sequential(name: "m", input: ModelInput(name: "ids", shape: [nil, T]), layers: [
            TestData.randomized(Embedding(name: "embedding", inputDim: 7, outputDim: 3), seed: 1),
        ])
        // Ids repeat, so rows of the table collect several positions' gradients.
        let feeds = ["ids": Batch<Double>(shape: [B, T], data: TestData.tokens(batch: B, steps: T, vocab: 7, seed: 2))]
        expectPasses(try GradientCheck.run("Embedding", model, inputs: feeds, loss: GradientCheck.linearLoss()), minimum: 21)
    }

    static let activations: [Activation] = [.linear, .relu, .tanh, .sigmoid, .hardSigmoid, .softmax]

    @Test("Dense on 2-D input", arguments: activations)
    func dense2D(_ a: Activation) throws {
        let model = try Model.sequential(name: "m", input: ModelInput(name: "x", shape: [nil, D]), layers: [
            TestData.randomized(Dense(name: "dense", inputDim: D, units: 4, activation: a), seed: 3, scale: 1),
        ])
        let feeds = ["x": Batch<Double>(shape: [B, D], data: TestData.uniform(B * D, seed: 4, scale: 2))]
        expectPasses(try GradientCheck.run("Dense 2-D \(a.rawValue)", model, inputs: feeds, checkInputs: ["x"], loss: GradientCheck.linearLoss()), minimum: 20)
    }

    @Test("Dense on 3-D input and TimeDistributed(Dense)", arguments: [false, true])
    func dense3D(_ timeDistributed: Bool) throws {
        let model = try Model.sequential(name: "m", input: ModelInput(name: "x", shape: [nil, T, D]), layers: [
            TestData.randomized(Dense(name: "dense", inputDim: D, units: 4, activation: .tanh, timeDistributed: timeDistributed), seed: 5, scale: 1),
        ])
        let feeds = ["x": Batch<Double>(shape: [B, T, D], data: TestData.uniform(B * T * D, seed: 6))]
        expectPasses(try GradientCheck.run("Dense 3-D td=\(timeDistributed)", model, inputs: feeds, checkInputs: ["x"], loss: GradientCheck.linearLoss()), minimum: 60)
    }

    @Test func flattenRepeatVector() throws {
        // Dense after RepeatVector so the repeated copies get different gradients.
        let model = try Model.sequential(name: "m", input: ModelInput(name: "x", shape: [nil, T, D]), layers: [
            Flatten(name: "flatten"), RepeatVector(name: "repeat_vector", n: 3),
            TestData.randomized(Dense(name: "dense", inputDim: T * D, units: 2, activation: .tanh), seed: 7),
        ])
        let feeds = ["x": Batch<Double>(shape: [B, T, D], data: TestData.uniform(B * T * D, seed: 8))]
        expectPasses(try GradientCheck.run("Flatten+RepeatVector", model, inputs: feeds, checkInputs: ["x"], loss: GradientCheck.linearLoss()), minimum: 60)
    }

    @Test("Dropout with its training-time mask")
    func dropout() throws {
        let model = try Model.sequential(name: "m", input: ModelInput(name: "x", shape: [nil, T, D]), layers: [
            Dropout(name: "dropout", rate: 0.4),
            TestData.randomized(Dense(name: "dense", inputDim: D, units: 3, activation: .sigmoid), seed: 9),
        ])
        let feeds = ["x": Batch<Double>(shape: [B, T, D], data: TestData.uniform(B * T * D, seed: 10))]
        let r = try GradientCheck.run("Dropout (training)", model, inputs: feeds, checkInputs: ["x"], training: true, loss: GradientCheck.linearLoss())
        expectPasses(r, minimum: 60)
        // The mask is real: some inputs get no gradient, the rest are scaled by 1/(1 − rate).
        let g = try TrainingGraph<Double>(model: model)
        let out = try g.forward(feeds, context: ForwardContext(training: true, seed: 42))
        let again = try g.forward(feeds, context: ForwardContext(training: true, seed: 42))
        let other = try g.forward(feeds, context: ForwardContext(training: true, seed: 43))
        let plain = try g.forward(feeds, context: ForwardContext(training: false, seed: 42))
        #expect(out[0].data == again[0].data, "same seed, same mask")
        #expect(out[0].data != other[0].data && out[0].data != plain[0].data)
    }

    @Test("Activation layer", arguments: [Activation.relu, .softmax, .hardSigmoid])
    func activationLayer(_ a: Activation) throws {
        let model = try Model.sequential(name: "m", input: ModelInput(name: "x", shape: [nil, T, D]), layers: [
            ActivationLayer(name: "activation", activation: a),
            TestData.randomized(Dense(name: "dense", inputDim: D, units: 2, activation: .linear), seed: 11),
        ])
        let feeds = ["x": Batch<Double>(shape: [B, T, D], data: TestData.uniform(B * T * D, seed: 12, scale: 3))]
        expectPasses(try GradientCheck.run("Activation \(a.rawValue)", model, inputs: feeds, checkInputs: ["x"], loss: GradientCheck.linearLoss()), minimum: 40)
    }

    @Test("Masking feeds the recurrent layer's mask")
    func masking() throws {
        var x = TestData.uniform(B * T * D, seed: 13)
        for s in [0, 1, 6] { for j in 0..<D { x[s * D + j] = 0 } }   // steps (0,0), (0,1), (1,2) masked
        let model = try Model.sequential(name: "m", input: ModelInput(name: "x", shape: [nil, T, D]), layers: [
            Masking(name: "masking", maskValue: 0),
            TestData.randomized(Recurrent(name: "rnn", cell: .lstm, inputDim: D, units: 3, returnSequences: true), seed: 14),
        ])
        let feeds = ["x": Batch<Double>(shape: [B, T, D], data: x)]
        // Nudging a masked step's zero un-masks the step: its 3 × D inputs are true discontinuities.
        expectPasses(try GradientCheck.run("Masking → LSTM", model, inputs: feeds, checkInputs: ["x"], loss: GradientCheck.linearLoss()),
                     minimum: 100, kinks: 3 * D)
    }

    @Test("softmax + categorical cross-entropy, fused and through the softmax's Jacobian", arguments: [true, false])
    func crossEntropy(_ fused: Bool) throws {
        let model = try Model.sequential(name: "m", input: ModelInput(name: "x", shape: [nil, T, D]), layers: [
            TestData.randomized(Dense(name: "dense", inputDim: D, units: 4, activation: .softmax), seed: 15, scale: 1),
        ])
        let feeds = ["x": Batch<Double>(shape: [B, T, D], data: TestData.uniform(B * T * D, seed: 16))]
        var labels = TestData.labels(B * T, classes: 4, seed: 17)
        labels[3] = 0; labels[7] = 0
        let graph = try TrainingGraph<Double>(model: model, fuseSoftmaxLoss: fused)
        #expect(graph.fusesSoftmaxLoss == fused)
        let r = try GradientCheck.run("softmax+CE fused=\(fused)", model, inputs: feeds, checkInputs: ["x"], fuse: fused,
                                      loss: GradientCheck.crossEntropy(labels, ignoreLabel: 0, fused: fused))
        expectPasses(r, minimum: 60)
    }
}
