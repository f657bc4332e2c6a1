import Foundation
import Testing
import TestSupport
import RNNKit
@testable import Decomposition

/// Classification models with Bidirectional or go_backwards layers decompose per direction
/// (DirectionDecompositionTests); what still cannot be decomposed is refused by name, never misread:
/// merge_mode None (two outputs, no single next layer to edit) and any reversed direction in an
/// encoder-decoder (its decoder is decomposed as a greedy decoder runs it, step by step forward).
struct DirectionRefusalTests {
    static let dir = Shared.packageRoot.appendingPathComponent("Tests/RNNKitTests/Foreign").path

    @Test("tf.keras files with a Bidirectional layer or go_backwards are decomposable classification models",
          arguments: [("tk_bi_sum", ["bidirectional_2/forward_gru_3", "bidirectional_2/backward_gru_3"]), ("tk_back_lstm", ["lstm", "lstm_1"])])
    func accepted(_ name: String, _ parts: [String]) throws {
        let m = try Model.loadKeras(path: "\(Self.dir)/\(name).h5")
        let a = try ModelAnatomy(m)
        #expect(a.parts.map { $0.name(m) } == parts)
    }

    /// Embedding → Bidirectional(LSTM, merge_mode None) → Dense on the forward output only.
    @Test func mergeModeNoneRefused() throws {
        let nodes = [
            Node(layer: Embedding(name: "e", inputDim: 9, outputDim: 3), inputs: [TensorRef(layer: "tokens")]),
            Node(layer: Bidirectional(name: "bi", layer: Recurrent(name: "lstm", cell: .lstm, inputDim: 3, units: 4), mergeMode: nil),
                 inputs: [TensorRef(layer: "e")]),
            Node(layer: Dense(name: "out", inputDim: 4, units: 3, activation: .softmax), inputs: [TensorRef(layer: "bi", index: 0)]),
        ]
        let m = try Model(name: "none", isSequential: false, inputs: [ModelInput(name: "tokens", shape: [nil, 4], dtype: "int32")],
                          nodes: nodes, outputs: [TensorRef(layer: "out")])
        #expect(throws: DecompositionError.unsupportedModel("layer bi is Bidirectional with merge_mode None: its two outputs do not feed one next layer")) {
            try ModelAnatomy(m)
        }
    }

    /// source → Embedding → encoder (go_backwards or Bidirectional); target → Embedding → decoder → Dense.
    static func encoderDecoder(bidirectional: Bool) throws -> Model {
        let source = ModelInput(name: "source", shape: [nil, 4], dtype: "int32"), target = ModelInput(name: "target", shape: [nil, 4], dtype: "int32")
        var enc = Recurrent(name: "encoder", cell: .gru(resetAfter: true), inputDim: 3, units: 5)
        enc.goBackwards = !bidirectional
        let encoder: any Layer = bidirectional ? Bidirectional(name: "bi_encoder", layer: enc, mergeMode: .concat) : enc
        let nodes = [
            Node(layer: Embedding(name: "e1", inputDim: 9, outputDim: 3), inputs: [TensorRef(layer: "source")]),
            Node(layer: encoder, inputs: [TensorRef(layer: "e1")]),
            Node(layer: Embedding(name: "e2", inputDim: 9, outputDim: 3), inputs: [TensorRef(layer: "target")]),
            Node(layer: Recurrent(name: "decoder", cell: .gru(resetAfter: true), inputDim: 3, units: 5, returnSequences: true), inputs: [TensorRef(layer: "e2")]),
            Node(layer: Dense(name: "out", inputDim: 5, units: 9, activation: .softmax), inputs: [TensorRef(layer: "decoder")]),
        ]
        return try Model(name: "s2s", isSequential: false, inputs: [source, target], nodes: nodes, outputs: [TensorRef(layer: "out")])
    }

    @Test(arguments: [(true, "layer bi_encoder is Bidirectional"), (false, "layer encoder has go_backwards")])
    func translationRefused(_ bidirectional: Bool, _ reason: String) throws {
        let m = try Self.encoderDecoder(bidirectional: bidirectional)
        #expect(throws: DecompositionError.unsupportedModel("\(reason), which translation decomposition does not support")) { try Seq2SeqAnatomy(m) }
    }
}
