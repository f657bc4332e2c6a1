import Foundation
import Testing
@testable import RNNKit
import TestSupport

/// Finite-difference checks (float64) of go_backwards and Bidirectional backward passes, with
/// masked steps, every merge mode, returned states and stacking; and the training forward
/// pass against inference on the tf_keras fixtures (make_bidirectional.py).
struct BidirectionalGradientTests {
    let B = 4, T = 5, D = 3, H = 3
    static let cells: [Recurrent.Cell] = [.simple, .lstm, .gru(resetAfter: true), .gru(resetAfter: false)]

    func recurrent(_ cell: Recurrent.Cell, name: String = "rnn", input: Int? = nil, sequences: Bool, state: Bool = false, backwards: Bool = false, seed: UInt64) -> Recurrent {
        var r = Recurrent(name: name, cell: cell, inputDim: input ?? D, units: H, returnSequences: sequences, returnState: state)
        r.goBackwards = backwards
        return TestData.randomized(r, seed: seed)
    }

    /// Row 0 all real; row 1 post-padded by 2; row 2 has a hole at step 2; row 3 fully masked.
    var maskedInput: Batch<Double> {
        var mask = [Bool](repeating: true, count: B * T)
        mask[8] = false; mask[9] = false; mask[12] = false
        for t in 0..<T { mask[15 + t] = false }
        return Batch(shape: [B, T, D], data: TestData.uniform(B * T * D, seed: 5), mask: mask)
    }

    func check(_ name: String, _ layers: [any Layer], outputs: Int = 1) throws {
        let x = ModelInput(name: "x", shape: [nil, T, D])
        let model: Model
        if outputs == 1 {
            model = try Model.sequential(name: "m", input: x, layers: layers)
        } else {
            model = try Model(name: "m", isSequential: false, inputs: [x], nodes: [Node(layer: layers[0], inputs: [TensorRef(layer: "x")])],
                              outputs: (0..<outputs).map { TensorRef(layer: layers[0].name, index: $0) })
        }
        let r = try GradientCheck.run(name, model, inputs: ["x": maskedInput], checkInputs: ["x"], loss: GradientCheck.linearLoss())
        #expect(r.worstRelative < Tolerance.finiteDifference, "\(r)")
        #expect(r.checked > 50 && r.kinks <= 2, "\(r)")
    }

    @Test("go_backwards: masked sequence and returned state", arguments: cells)
    func backwardsSequence(_ cell: Recurrent.Cell) throws {
        try check("\(cell.kerasClassName) go_backwards seq+state", [recurrent(cell, sequences: true, state: true, backwards: true, seed: 41)],
                  outputs: 1 + cell.stateCount)
    }

    @Test("go_backwards: last output, stacked on a forward layer", arguments: cells)
    func backwardsStacked(_ cell: Recurrent.Cell) throws {
        try check("\(cell.kerasClassName) go_backwards stacked", [recurrent(cell, sequences: true, seed: 42),
                                                                  recurrent(cell, name: "rnn_1", input: H, sequences: false, backwards: true, seed: 43)])
    }

    @Test("Bidirectional: every merge mode, masked sequences", arguments: ["concat", "sum", "ave", "mul"])
    func mergeModes(_ mode: String) throws {
        for cell in Self.cells {
            let bi = Bidirectional(name: "bi", layer: recurrent(cell, sequences: true, seed: 51), mergeMode: .init(rawValue: mode)!)
            try check("Bidirectional(\(cell.kerasClassName)) \(mode) seq", [bi])
        }
    }

    @Test("Bidirectional: merge mode None with returned states, last output", arguments: cells)
    func noneWithStates(_ cell: Recurrent.Cell) throws {
        let bi = Bidirectional(name: "bi", layer: recurrent(cell, sequences: false, state: true, seed: 61), mergeMode: nil)
        try check("Bidirectional(\(cell.kerasClassName)) None+states", [bi], outputs: 2 + 2 * cell.stateCount)
    }

    @Test("Bidirectional stacked: concat sequences into a mul last output")
    func stacked() throws {
        let lower = Bidirectional(name: "bi", layer: recurrent(.lstm, sequences: true, seed: 71), mergeMode: .concat)
        var inner = recurrent(.gru(resetAfter: true), name: "gru", input: 2 * H, sequences: false, backwards: true, seed: 72)
        inner.goBackwards = true
        try check("Bidirectional stacked", [lower, Bidirectional(name: "bi_1", layer: inner, mergeMode: .mul)])
    }

    @Test("training forward pass = inference on the tf_keras fixtures",
          arguments: ["tk_back_lstm", "tk_back_gru", "tk_back_simple", "tk_bi_concat", "tk_bi_mul", "tk_bi_sum", "tk_bi_ave", "tk_bi_inner_back"])
    func trainingForwardMatchesInference(_ name: String) throws {
        let dir = Shared.packageRoot.appendingPathComponent("Tests/RNNKitTests/Foreign").path
        let model = try Model.loadKeras(path: "\(dir)/\(name).h5")
        let ref = try KerasReference(path: "\(dir)/\(name).reference.h5")
        let tokens = ref.inputs.first!.value
        let predicted = try model.predict([model.inputs[0].name: tokens], precision: .float64)
        let graph = try TrainingGraph<Double>(model: model, fuseSoftmaxLoss: false)
        let out = try graph.forward([model.inputs[0].name: Batch(tokens)], context: ForwardContext(training: false, seed: 1))
        let worst = zip(out[0].data, predicted.outputs[0].data).map { abs($0 - Double($1)) }.max() ?? .nan
        #expect(worst < 1e-6, "\(name): training forward differs from inference by \(worst)")
    }
}
