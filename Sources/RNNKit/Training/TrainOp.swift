/// What a training forward pass needs besides its inputs: whether it is training (Dropout
/// draws masks) and the seed of this step's randomness (each op derives its own stream from
/// it and its position, so masks never depend on thread timing).
struct ForwardContext {
    var training: Bool
    var seed: UInt64
    /// The loss's targets, when the caller evaluates the loss on this pass's output: the layer
    /// that feeds only the loss then computes only the rows it counts (LossRows.swift).
    var lossRows: LossRows? = nil
    /// Set by the trainer, which then asks the graph for the loss (`TrainingGraph.headLoss`): a
    /// softmax head fused with the loss keeps just the counted rows' probabilities, scores them
    /// itself and back-propagates from them (Dense+FusedLoss.swift), never forming its full output.
    var headEvaluatesLoss = false
}

/// A layer's forward/backward pair in the training graph. The forward pass keeps what the
/// backward pass needs (the op is a class: one instance per graph replica). The graph calls
/// ops through `AnyTrainOp`, which dispatches statically to the concrete type.
protocol TrainOp<Scalar>: AnyObject {
    associatedtype Scalar: TrainScalar
    /// The layer's weights with this replica's gradients, in Keras weight order.
    var parameters: [Parameter<Scalar>] { get }
    /// Outputs in Keras order (`[output, h, c]` for an LSTM with `return_state`).
    func forward(_ inputs: [Batch<Scalar>], context: ForwardContext) throws -> [Batch<Scalar>]
    /// Given ∂L/∂outputs (nil: no gradient reaches that output), adds ∂L/∂weights into the
    /// parameters' gradients and returns ∂L/∂inputs (nil where none exists, e.g. token ids).
    func backward(_ outputGradients: [[Scalar]?]) -> [[Scalar]?]
}

extension TrainOp {
    var parameters: [Parameter<Scalar>] { [] }
}
