import Foundation
import RNNKit

/// Chapter 1's checks of a model against Keras: what a row shows about a model, the Keras
/// round trip, and the synthetic models it checks when no tf.keras output exists.
public enum KerasInterop {
    /// The layer kinds in order, e.g. "Embedding › LSTM(64) › Dense".
    public static func architecture(_ m: Model) -> String {
        m.nodes.map { n in
            if let r = n.layer as? Recurrent { return "\(r.kerasClassName)(\(r.units))" }
            return n.layer.kerasClassName
        }.joined(separator: " › ")
    }

    /// Saves the model with the kit's Keras writer into `scratch`, reads it back and says
    /// whether the weights and a prediction on `inputs` are bit-identical.
    public static func reExportIsExact(_ m: Model, inputs: [String: Tensor], scratch: String) throws -> Bool {
        let path = scratch + "/\(UUID().uuidString).h5"
        try m.saveKeras(path: path)
        let back = try Model.loadKeras(path: path)
        let sameWeights = zip(m.nodes, back.nodes).allSatisfy { $0.layer.weights.map(\.tensor) == $1.layer.weights.map(\.tensor) }
        return try sameWeights && back.predict(inputs).outputs == m.predict(inputs).outputs
    }

    /// The inputs tf.keras was given, keyed by the model's input names (a reference of a
    /// one-input model may name its input differently).
    public static func feeds(_ m: Model, _ ref: KerasReference) -> [String: Tensor] {
        if m.inputs.count == 1, ref.inputs[m.inputs[0].name] == nil, let only = ref.inputs.values.first { return [m.inputs[0].name: only] }
        return ref.inputs
    }

    /// Fixed token ids for a model without a tf.keras reference: 8 rows over its input length.
    public static func fixedTokens(_ m: Model) -> [String: Tensor] {
        let steps = m.inputs[0].shape[1] ?? 1
        return [m.inputs[0].name: Tensor(shape: [8, steps], data: (0..<(8 * steps)).map { Float(($0 * 31) % 97 + 1) })]
    }

    /// Without ../shared: one small Embedding › recurrent › Dense model per cell kind, with
    /// fixed weights, and token inputs for it.
    public static func syntheticModels() throws -> [(label: String, model: Model, inputs: [String: Tensor])] {
        let cells: [(String, Recurrent.Cell)] = [("SimpleRNN", .simple), ("LSTM", .lstm), ("GRU classic", .gru(resetAfter: false)), ("GRU reset_after", .gru(resetAfter: true))]
        return try cells.map { label, cell in
            var layers: [any Layer] = [Embedding(name: "embedding", inputDim: 30, outputDim: 8, maskZero: true),
                                       Recurrent(name: "rnn", cell: cell, inputDim: 8, units: 16, recurrentActivation: .hardSigmoid),
                                       Dense(name: "dense", inputDim: 16, units: 5, activation: .softmax)]
            for i in layers.indices {
                layers[i].setWeights(layers[i].weights.map { w in Tensor(shape: w.tensor.shape, data: (0..<w.tensor.count).map { Float(($0 * 37 + i) % 23 - 11) / 25 }) })
            }
            let m = try Model.sequential(name: label, input: ModelInput(name: "tokens", shape: [nil, 10], dtype: "int32"), layers: layers)
            return (label, m, ["tokens": Tensor(shape: [16, 10], data: (0..<160).map { Float(($0 * 7) % 30) })])
        }
    }
}
