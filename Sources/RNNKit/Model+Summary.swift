/// One row of a Keras-like model summary.
public struct LayerSummary: Sendable {
    public var name: String
    public var kind: String
    public var options: String
    public var outputShape: String
    public var parameters: Int
    public var inputs: [String]
}

extension Model {
    /// One row per input and layer, with output shapes as Keras prints them.
    public func summary() throws -> [LayerSummary] {
        let shapes = try self.shapes()
        let inputRows = inputs.map {
            LayerSummary(name: $0.name, kind: "InputLayer", options: $0.dtype, outputShape: describe($0.shape), parameters: 0, inputs: [])
        }
        return inputRows + nodes.map { n in
            let outs = (0...).lazy.map { TensorRef(layer: n.layer.name, index: $0) }.prefix { shapes[$0] != nil }.map { describe(shapes[$0]!) }
            return LayerSummary(name: n.layer.name, kind: n.layer.kerasClassName, options: n.layer.summaryOptions,
                                outputShape: outs.count == 1 ? outs[0] : "[" + outs.joined(separator: ", ") + "]",
                                parameters: n.layer.parameterCount,
                                inputs: n.inputs.map { $0.index == 0 ? $0.layer : "\($0.layer)[\($0.index)]" })
        }
    }
}
