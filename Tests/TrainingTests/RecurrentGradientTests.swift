import Testing
@testable import RNNKit
import TestSupport

/// Finite-difference checks of the recurrent backward passes: every weight, the inputs and
/// the initial states, with masked steps (pre-padding, a hole, a fully masked row) and
/// returned states, for every cell and gate activation the kit imports.
struct RecurrentGradientTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var cell: Recurrent.Cell
        var activation: Activation
        var recurrentActivation: Activation
        var testDescription: String {
            "\(cell.kerasClassName)\(cell == .gru(resetAfter: true) ? "(reset_after)" : cell == .gru(resetAfter: false) ? "(classic)" : "") \(activation.rawValue)/\(recurrentActivation.rawValue)"
        }
    }

    static let cases: [Case] = [
        Case(cell: .simple, activation: .tanh, recurrentActivation: .sigmoid),
        Case(cell: .simple, activation: .relu, recurrentActivation: .sigmoid),
        Case(cell: .lstm, activation: .tanh, recurrentActivation: .sigmoid),
        Case(cell: .lstm, activation: .tanh, recurrentActivation: .hardSigmoid),
        Case(cell: .gru(resetAfter: true), activation: .tanh, recurrentActivation: .sigmoid),
        Case(cell: .gru(resetAfter: true), activation: .tanh, recurrentActivation: .hardSigmoid),
        Case(cell: .gru(resetAfter: false), activation: .tanh, recurrentActivation: .sigmoid),
        Case(cell: .gru(resetAfter: false), activation: .tanh, recurrentActivation: .hardSigmoid),
    ]

    let B = 4, T = 5, D = 3, H = 4

    func layer(_ c: Case, sequences: Bool, state: Bool, seed: UInt64) -> Recurrent {
        TestData.randomized(Recurrent(name: "rnn", cell: c.cell, inputDim: D, units: H, activation: c.activation,
                                      recurrentActivation: c.recurrentActivation, returnSequences: sequences, returnState: state), seed: seed)
    }

    @Test("sequences, mask, initial and returned state", arguments: cases)
    func maskedWithStates(_ c: Case) throws {
        let states = c.cell == .lstm ? 2 : 1
        let stateInputs = (0..<states).map { ModelInput(name: "state\($0)", shape: [nil, H]) }
        let x = ModelInput(name: "x", shape: [nil, T, D])
        let node = Node(layer: layer(c, sequences: true, state: true, seed: 11),
                        inputs: [TensorRef(layer: "x")] + stateInputs.map { TensorRef(layer: $0.name) })
        let model = try Model(name: "m", isSequential: false, inputs: [x] + stateInputs, nodes: [node],
                              outputs: (0...states).map { TensorRef(layer: "rnn", index: $0) })
        // Row 0 all real; row 1 pre-padded by 2; row 2 has a hole at step 2; row 3 fully masked.
        var mask = [Bool](repeating: true, count: B * T)
        mask[5] = false; mask[6] = false; mask[12] = false
        for t in 0..<T { mask[15 + t] = false }
        var feeds = ["x": Batch<Double>(shape: [B, T, D], data: TestData.uniform(B * T * D, seed: 1), mask: mask)]
        for (k, s) in stateInputs.enumerated() { feeds[s.name] = Batch(shape: [B, H], data: TestData.uniform(B * H, seed: 2 + UInt64(k))) }
        let r = try GradientCheck.run("\(c.testDescription) masked+states", model, inputs: feeds, checkInputs: ["x"] + stateInputs.map(\.name), loss: GradientCheck.linearLoss())
        #expect(r.worstRelative < Tolerance.finiteDifference, "\(r)")
        #expect(r.checked > 50 && r.kinks <= 2, "\(r)")
    }

    @Test("last output, no mask, zero initial state", arguments: cases)
    func lastOutput(_ c: Case) throws {
        let model = try Model.sequential(name: "m", input: ModelInput(name: "x", shape: [nil, T, D]),
                                         layers: [layer(c, sequences: false, state: false, seed: 21)])
        let feeds = ["x": Batch<Double>(shape: [B, T, D], data: TestData.uniform(B * T * D, seed: 3))]
        let r = try GradientCheck.run("\(c.testDescription) last output", model, inputs: feeds, checkInputs: ["x"], loss: GradientCheck.linearLoss())
        #expect(r.worstRelative < Tolerance.finiteDifference, "\(r)")
        #expect(r.checked > 50 && r.kinks <= 2, "\(r)")
    }

    @Test("stacked layers: the lower layer's sequence gradient", arguments: [Recurrent.Cell.lstm, .gru(resetAfter: false), .simple])
    func stacked(_ cell: Recurrent.Cell) throws {
        let c = Case(cell: cell, activation: .tanh, recurrentActivation: .hardSigmoid)
        let top = TestData.randomized(Recurrent(name: "rnn_1", cell: cell, inputDim: H, units: 3, recurrentActivation: .hardSigmoid), seed: 32)
        let model = try Model.sequential(name: "m", input: ModelInput(name: "x", shape: [nil, T, D]),
                                         layers: [layer(c, sequences: true, state: false, seed: 33), top])
        let feeds = ["x": Batch<Double>(shape: [B, T, D], data: TestData.uniform(B * T * D, seed: 4))]
        let r = try GradientCheck.run("\(cell.kerasClassName) stacked", model, inputs: feeds, checkInputs: ["x"], loss: GradientCheck.linearLoss())
        #expect(r.worstRelative < Tolerance.finiteDifference, "\(r)")
    }
}
