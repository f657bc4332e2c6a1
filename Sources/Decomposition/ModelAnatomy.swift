import RNNKit

/// The parts of a classification model decomposition works on: its recurrent layers in
/// order (a Bidirectional wrapper as one layer of two parts, its directions), the layer each
/// one feeds (the next recurrent layer or the output Dense), and the output Dense whose
/// columns are the classes.
public struct ModelAnatomy: Sendable {
    /// Node indices of the recurrent layers (Recurrent or Bidirectional), input side first.
    public var recurrent: [Int]
    /// The recurrent sub-layers observed and edited one by one: each recurrent layer, or a
    /// Bidirectional's forward then backward direction, in the order of `recurrent`.
    public var parts: [RecurrentPart]
    /// For each recurrent layer, the node index of the next trainable layer it feeds.
    public var next: [Int]
    /// Node index of the output Dense (or TimeDistributed(Dense)).
    public var output: Int
    /// Time steps each recurrent layer runs.
    public var steps: [Int]
    public var isManyOutput: Bool
    public var numClasses: Int
    public var head: Head

    /// How the model turns the output Dense's values into class scores (docs/METHOD.md "Heads").
    public enum Head: String, Codable, Sendable {
        /// `Dense(K, activation="softmax")`.
        case softmax
        /// `Dense(K)` then `Activation("softmax")` (or a `Softmax` layer), Dropout allowed between.
        case softmaxLayer = "softmax-layer"
        /// `Dense(K)` with nothing after it: logits (a model trained with `from_logits=True`).
        /// Argmax is unchanged; modules are scored with the softmax of their two logits.
        case logits
        /// `Dense(K, activation="sigmoid")`: independent labels (multi-label), one module per label.
        case sigmoid

        /// One line for outputs and reports.
        public var description: String {
            switch self {
            case .softmax: return "softmax Dense"
            case .softmaxLayer: return "Dense + softmax activation layer"
            case .logits: return "logits (linear Dense; softmax applied for scoring)"
            case .sigmoid: return "sigmoid Dense (multi-label: one module per label, each deciding its label alone)"
            }
        }
    }

    /// The head of the output Dense at `out`: its activation and the layers after it.
    static func head(_ nodes: [Node], _ out: Int) throws -> Head {
        let dense = nodes[out].layer as! Dense
        let after = nodes[(out + 1)...].compactMap { $0.layer as? ActivationLayer }
        switch (dense.activation, after.map(\.activation)) {
        case (.softmax, []): return .softmax
        case (.linear, [.softmax]): return .softmaxLayer
        case (.linear, []): return .logits
        case (.sigmoid, []): return .sigmoid
        default:
            let tail = after.isEmpty ? "" : " then " + after.map { "\($0.kerasClassName)(\($0.activation.rawValue))" }.joined(separator: ", ")
            throw DecompositionError.unsupportedModel("output \(dense.name) has activation \(dense.activation.rawValue)\(tail); "
                + "decomposable heads: softmax Dense, Dense + Activation('softmax'), linear Dense (logits), sigmoid Dense (multi-label)")
        }
    }

    public init(_ model: Model) throws {
        guard model.inputs.count == 1, model.outputs.count == 1 else {
            throw DecompositionError.unsupportedModel("one input and one output expected (encoder-decoders decompose per target language)")
        }
        let shapes = try model.shapes()
        let nodes = model.nodes
        recurrent = nodes.indices.filter { Self.isRecurrent(nodes[$0].layer) }
        for r in recurrent {
            if let b = nodes[r].layer as? Bidirectional, b.mergeMode == nil {
                throw DecompositionError.unsupportedModel("layer \(b.name) is Bidirectional with merge_mode None: its two outputs do not feed one next layer")
            }
        }
        guard !recurrent.isEmpty else { throw DecompositionError.unsupportedModel("no recurrent layer") }
        guard let out = nodes.indices.last(where: { nodes[$0].layer is Dense }), out > recurrent.last!,
              model.outputs[0].layer == nodes[out].layer.name || nodes[(out + 1)...].allSatisfy({ $0.layer is Dropout || $0.layer is ActivationLayer }) else {
            throw DecompositionError.unsupportedModel("the last layer must be a Dense output after the recurrent layers")
        }
        output = out
        head = try Self.head(nodes, out)
        next = recurrent.map { r in nodes.indices.first { $0 > r && (Self.isRecurrent(nodes[$0].layer) || nodes[$0].layer is Dense) }! }
        if let i = next.firstIndex(where: { nodes[$0].layer is Dense && $0 != out }) {
            throw DecompositionError.unsupportedModel("a Dense layer between recurrent layers (after \(nodes[recurrent[i]].layer.name))")
        }
        steps = recurrent.map { shapes[nodes[$0].inputs[0]]![1] ?? 0 }
        parts = zip(recurrent, steps).flatMap { RecurrentPart.parts(of: $0, model, steps: $1) }
        let outShape = shapes[TensorRef(layer: nodes[out].layer.name)]!
        isManyOutput = outShape.count == 3
        numClasses = (nodes[out].layer as! Dense).units
        for (i, r) in recurrent.enumerated() where i < recurrent.count - 1 || isManyOutput {
            guard Self.returnsSequences(nodes[r].layer) || i == recurrent.count - 1 && !isManyOutput else {
                throw DecompositionError.unsupportedModel("\(nodes[r].layer.name) must return sequences")
            }
        }
    }

    /// The parts of recurrent layer i (indices into `parts`).
    public func parts(ofLayer i: Int) -> [Int] { parts.indices.filter { parts[$0].node == recurrent[i] } }

    static func isRecurrent(_ l: any Layer) -> Bool { l is Recurrent || l is Bidirectional }
    static func returnsSequences(_ l: any Layer) -> Bool { (l as? Recurrent)?.returnSequences ?? (l as? Bidirectional)?.returnSequences ?? false }
}
