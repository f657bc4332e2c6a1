/// A reference to one output of a layer (Keras's `[layer_name, node_index, tensor_index]`).
public struct TensorRef: Hashable, Sendable {
    public var layer: String
    public var index: Int
    public init(layer: String, index: Int = 0) { self.layer = layer; self.index = index }
}

/// A model input (Keras `InputLayer`): its name, shape with `nil` batch, and declared dtype.
public struct ModelInput: Sendable {
    public var name: String
    public var shape: Shape
    public var dtype: String
    public init(name: String, shape: Shape, dtype: String = "float32") { self.name = name; self.shape = shape; self.dtype = dtype }
}

/// A layer in the graph with the tensors it consumes: `inputs[0]` is the main input,
/// further refs are a recurrent layer's initial states.
public struct Node: Sendable {
    public var layer: any Layer
    public var inputs: [TensorRef]
    public init(layer: any Layer, inputs: [TensorRef]) { self.layer = layer; self.inputs = inputs }
}

/// A Keras model as a graph in topological order: Sequential models are a chain, Functional
/// ones (e.g. the two-input encoder-decoder) follow `inbound_nodes`.
public struct Model: Sendable {
    public var name: String
    public var isSequential: Bool
    public var inputs: [ModelInput]
    public var nodes: [Node]
    public var outputs: [TensorRef]
    /// Metadata of the file it came from (`keras_version`, `backend`).
    public var kerasVersion: String?
    public var backend: String?

    public init(name: String, isSequential: Bool, inputs: [ModelInput], nodes: [Node], outputs: [TensorRef],
                kerasVersion: String? = nil, backend: String? = nil) throws {
        self.name = name; self.isSequential = isSequential; self.inputs = inputs; self.nodes = nodes
        self.outputs = outputs; self.kerasVersion = kerasVersion; self.backend = backend
        _ = try shapes()   // validates the graph and every layer's shapes
    }

    public var layers: [any Layer] { nodes.map(\.layer) }

    public func node(named name: String) -> Node? { nodes.first { $0.layer.name == name } }

    public var parameterCount: Int { nodes.reduce(0) { $0 + $1.layer.parameterCount } }

    /// Output shapes of every tensor in the graph (inputs included), by reference.
    public func shapes() throws -> [TensorRef: Shape] {
        var known: [TensorRef: Shape] = [:]
        for i in inputs { known[TensorRef(layer: i.name)] = i.shape }
        for n in nodes {
            let ins = try n.inputs.map { ref -> Shape in
                guard let s = known[ref] else {
                    throw RNNKitError.invalidConfig("layer '\(n.layer.name)' consumes \(ref.layer)[\(ref.index)], which is not produced earlier")
                }
                return s
            }
            for (i, s) in try n.layer.outputShapes(inputs: ins).enumerated() { known[TensorRef(layer: n.layer.name, index: i)] = s }
        }
        for o in outputs where known[o] == nil {
            throw RNNKitError.invalidConfig("model output \(o.layer)[\(o.index)] is not produced by any layer")
        }
        return known
    }

    /// Input shapes of one node (for weight checks).
    func inputShapes(of node: Node, in known: [TensorRef: Shape]) -> [Shape] {
        node.inputs.map { known[$0] ?? [] }
    }
}

extension Model {
    /// A Sequential model: `layers` applied in order to one input.
    public static func sequential(name: String, input: ModelInput, layers: [any Layer]) throws -> Model {
        var previous = TensorRef(layer: input.name)
        let nodes = layers.map { l -> Node in
            defer { previous = TensorRef(layer: l.name) }
            return Node(layer: l, inputs: [previous])
        }
        return try Model(name: name, isSequential: true, inputs: [input], nodes: nodes, outputs: [previous])
    }
}
