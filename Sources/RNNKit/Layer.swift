/// A value flowing between layers: a tensor and, for sequences, its padding mask.
public struct Flow: Sendable {
    public var tensor: Tensor
    public var mask: Mask?
    public init(_ tensor: Tensor, mask: Mask? = nil) { self.tensor = tensor; self.mask = mask }
}

/// What a layer returns: its outputs (Keras order, e.g. `[output, h, c]` for an LSTM with
/// `return_state`) and, when taps were asked for, a recurrent layer's per-step internals:
/// `gates` `[B, T, G·H]` (activated, Keras gate order) and `hidden` `[B, T, H]` (the state
/// h_t after masking, whether or not the layer returns sequences).
public struct LayerResult: Sendable {
    public var outputs: [Flow]
    public var gates: Tensor? = nil
    public var hidden: Tensor? = nil
}

/// One named weight of a layer, with its Keras name (`kernel`, `recurrent_kernel`, …).
public struct NamedWeight: Sendable {
    public var name: String
    public var tensor: Tensor
}

/// A Keras layer the kit can run. Shapes use `nil` for the batch dimension.
public protocol Layer: Sendable {
    var name: String { get }
    /// Keras class name as written in `model_config` (e.g. "LSTM").
    var kerasClassName: String { get }
    /// The options a summary shows (units, activation, …).
    var summaryOptions: String { get }
    /// The layer's weights in Keras order (empty for weightless layers).
    var weights: [NamedWeight] { get }
    /// Shapes the weights must have, given the input shapes; used to check a file's weights.
    func expectedWeightShapes(inputs: [Shape]) throws -> [(name: String, shape: [Int])]
    /// Replaces the weights (already shape-checked) in Keras order.
    mutating func setWeights(_ tensors: [Tensor])
    /// Output shapes for the given input shapes (Keras's `compute_output_shape`).
    func outputShapes(inputs: [Shape]) throws -> [Shape]
    /// Runs the layer on a batch. `inputs[0]` is the main input; recurrent layers take
    /// their initial states as `inputs[1...]`. `options` asks for taps and sets the precision.
    func forward(_ inputs: [Flow], options: RunOptions) throws -> LayerResult
}

extension Layer {
    public var weights: [NamedWeight] { [] }
    public func expectedWeightShapes(inputs: [Shape]) throws -> [(name: String, shape: [Int])] { [] }
    public mutating func setWeights(_ tensors: [Tensor]) {}
    public var summaryOptions: String { "" }
    public var parameterCount: Int { weights.reduce(0) { $0 + $1.tensor.count } }

    /// The single-output case of `forward`.
    func single(_ tensor: Tensor, mask: Mask?) -> LayerResult {
        LayerResult(outputs: [Flow(tensor, mask: mask)])
    }

    func requireRank(_ shape: Shape, _ rank: Int, _ what: String) throws {
        guard shape.count == rank else {
            throw RNNKitError.inputShapeMismatch(layer: name, expected: what, found: shape.map { $0 ?? -1 })
        }
    }

    /// The last (feature) dimension, which must be known to size weights.
    func featureDim(_ shape: Shape) throws -> Int {
        guard let d = shape.last ?? nil else {
            throw RNNKitError.inputShapeMismatch(layer: name, expected: "a known last dimension", found: shape.map { $0 ?? -1 })
        }
        return d
    }
}
