import RNNKit

/// The parts of a classification model decomposition works on: its recurrent layers in
/// order, the layer each one feeds (the next recurrent layer or the output Dense), and the
/// output Dense whose columns are the classes.
public struct ModelAnatomy: Sendable {
    /// Node indices of the recurrent layers, input side first.
    public var recurrent: [Int]
    /// For each recurrent layer, the node index of the next trainable layer it feeds.
    public var next: [Int]
    /// Node index of the output Dense (or TimeDistributed(Dense)).
    public var output: Int
    /// Time steps each recurrent layer runs.
    public var steps: [Int]
    public var isManyOutput: Bool
    public var numClasses: Int

    public init(_ model: Model) throws {
        guard model.inputs.count == 1, model.outputs.count == 1 else {
            throw DecompositionError.unsupportedModel("one input and one output expected (encoder-decoders decompose per target language)")
        }
        try refuseReversedDirections(model)
        let shapes = try model.shapes()
        let nodes = model.nodes
        recurrent = nodes.indices.filter { nodes[$0].layer is Recurrent }
        guard !recurrent.isEmpty else { throw DecompositionError.unsupportedModel("no recurrent layer") }
        guard let out = nodes.indices.last(where: { nodes[$0].layer is Dense }), out > recurrent.last!,
              model.outputs[0].layer == nodes[out].layer.name || nodes[(out + 1)...].allSatisfy({ $0.layer is Dropout }) else {
            throw DecompositionError.unsupportedModel("the last layer must be a Dense output after the recurrent layers")
        }
        output = out
        next = recurrent.map { r in nodes.indices.first { $0 > r && (nodes[$0].layer is Recurrent || nodes[$0].layer is Dense) }! }
        if let i = next.firstIndex(where: { nodes[$0].layer is Dense && $0 != out }) {
            throw DecompositionError.unsupportedModel("a Dense layer between recurrent layers (after \(nodes[recurrent[i]].layer.name))")
        }
        steps = recurrent.map { shapes[nodes[$0].inputs[0]]![1] ?? 0 }
        let outShape = shapes[TensorRef(layer: nodes[out].layer.name)]!
        isManyOutput = outShape.count == 3
        numClasses = (nodes[out].layer as! Dense).units
        for (i, r) in recurrent.enumerated() where i < recurrent.count - 1 || isManyOutput {
            guard (nodes[r].layer as! Recurrent).returnSequences || i == recurrent.count - 1 && !isManyOutput else {
                throw DecompositionError.unsupportedModel("\(nodes[r].layer.name) must return sequences")
            }
        }
    }

    public func layer(_ model: Model, _ i: Int) -> Recurrent { model.nodes[recurrent[i]].layer as! Recurrent }
}
