/// The graph's ops by concrete type. Calls through an existential `any TrainOp<S>` would run
/// the generic, unspecialised code (every arithmetic operation through witness tables, ~10×
/// slower); switching over concrete types lets the compiler specialise each op for Float and
/// Double.
enum AnyTrainOp<S: TrainScalar> {
    case embedding(EmbeddingOp<S>)
    case dense(DenseOp<S>)
    case recurrent(RecurrentOp<S>)
    case bidirectional(BidirectionalOp<S>)
    case flatten(FlattenOp<S>)
    case repeatVector(RepeatVectorOp<S>)
    case dropout(DropoutOp<S>)
    case activation(ActivationOp<S>)
    case masking(MaskingOp<S>)

    var parameters: [Parameter<S>] {
        switch self {
        case .embedding(let o): return o.parameters
        case .dense(let o): return o.parameters
        case .recurrent(let o): return o.parameters
        case .bidirectional(let o): return o.parameters
        default: return []
        }
    }

    func forward(_ inputs: [Batch<S>], context: ForwardContext) throws -> [Batch<S>] {
        switch self {
        case .embedding(let o): return try o.forward(inputs, context: context)
        case .dense(let o): return try o.forward(inputs, context: context)
        case .recurrent(let o): return try o.forward(inputs, context: context)
        case .bidirectional(let o): return try o.forward(inputs, context: context)
        case .flatten(let o): return try o.forward(inputs, context: context)
        case .repeatVector(let o): return try o.forward(inputs, context: context)
        case .dropout(let o): return try o.forward(inputs, context: context)
        case .activation(let o): return try o.forward(inputs, context: context)
        case .masking(let o): return try o.forward(inputs, context: context)
        }
    }

    func backward(_ gradients: [[S]?]) -> [[S]?] {
        switch self {
        case .embedding(let o): return o.backward(gradients)
        case .dense(let o): return o.backward(gradients)
        case .recurrent(let o): return o.backward(gradients)
        case .bidirectional(let o): return o.backward(gradients)
        case .flatten(let o): return o.backward(gradients)
        case .repeatVector(let o): return o.backward(gradients)
        case .dropout(let o): return o.backward(gradients)
        case .activation(let o): return o.backward(gradients)
        case .masking(let o): return o.backward(gradients)
        }
    }
}
