/// A model compiled for training in precision S: one op per node (forward with caches,
/// backward), the trainable weights in node order (Keras order within a layer). Replicas built
/// with `sharing:` read the same weights and keep their own caches and gradients, so a batch's
/// shards can run on different cores.
final class TrainingGraph<S: TrainScalar> {
    let model: Model
    let weights: [Weight<S>]
    let ops: [AnyTrainOp<S>]
    /// Whether the output layer's softmax is fused with the cross-entropy loss (its backward
    /// then receives ∂L/∂logits).
    let fusesSoftmaxLoss: Bool
    /// The Dense layer whose output only the loss reads, if any.
    private let head: DenseOp<S>?
    private var outputCounts: [Int] = []

    /// - Parameters:
    ///   - sharing: the weights of an existing replica (default: fresh copies of the model's).
    ///   - fuseSoftmaxLoss: fuse when the single model output is a softmax Dense consumed by nothing else.
    init(model: Model, sharing: [Weight<S>]? = nil, fuseSoftmaxLoss: Bool = true) throws {
        self.model = model
        let own = sharing ?? model.nodes.flatMap { n in n.layer.weights.map { Weight<S>(layer: n.layer.name, name: $0.name, tensor: $0.tensor) } }
        weights = own
        var next = 0
        func take(_ n: Int) -> [Weight<S>] { defer { next += n }; return Array(own[next..<(next + n)]) }
        var ops: [AnyTrainOp<S>] = []
        for (index, node) in model.nodes.enumerated() {
            let w = take(node.layer.weights.count)
            switch node.layer {
            case let l as Embedding: ops.append(.embedding(EmbeddingOp(l, table: w[0])))
            case let l as Bidirectional: ops.append(.bidirectional(try BidirectionalOp(l, weights: w)))
            case let l as Recurrent: ops.append(.recurrent(try RecurrentOp(l, kernel: w[0], recurrentKernel: w[1], bias: l.useBias ? w[2] : nil)))
            case let l as Dense:
                guard l.activation.isTrainable else {
                    throw RNNKitError.unsupportedOption(layer: l.name, option: "activation for training", value: l.activation.rawValue)
                }
                ops.append(.dense(DenseOp(l, kernel: w[0], bias: l.useBias ? w[1] : nil)))
            case is Flatten: ops.append(.flatten(FlattenOp()))
            case let l as RepeatVector: ops.append(.repeatVector(RepeatVectorOp(l)))
            case let l as Dropout: ops.append(.dropout(DropoutOp(l, salt: UInt64(index + 1))))
            case let l as ActivationLayer:
                guard l.activation.isTrainable else {
                    throw RNNKitError.unsupportedOption(layer: l.name, option: "activation for training", value: l.activation.rawValue)
                }
                ops.append(.activation(ActivationOp(l)))
            case let l as Masking: ops.append(.masking(MaskingOp(l)))
            default: throw RNNKitError.unsupportedLayer(kind: node.layer.kerasClassName + " (training)", name: node.layer.name)
            }
        }
        self.ops = ops
        let out = model.outputs.first
        let consumers = model.nodes.filter { n in n.inputs.contains { $0.layer == out?.layer } }.count
        // The Dense layer whose output only the loss reads (it may skip the rows the loss does not count).
        var head: DenseOp<S>?
        if model.outputs.count == 1, let out, out.index == 0, consumers == 0,
           let i = model.nodes.firstIndex(where: { $0.layer.name == out.layer }), case .dense(let dense) = ops[i] {
            head = dense
        }
        head?.feedsOnlyTheLoss = true
        self.head = head
        if fuseSoftmaxLoss, let dense = head, dense.layer.activation == .softmax {
            dense.receivesLogitGradient = true
            fusesSoftmaxLoss = true
        } else {
            fusesSoftmaxLoss = false
        }
    }

    /// The embedding tables that read a model input directly: the index of the table in
    /// `weights`, the input's name and the table's rows (a batch's ids are known before its pass).
    var tablesReadingInputs: [(weight: Int, input: String, rows: Int)] {
        var out: [(Int, String, Int)] = []
        var next = 0
        let inputs = Set(model.inputs.map(\.name))
        for node in model.nodes {
            if let e = node.layer as? Embedding, node.inputs.count == 1, node.inputs[0].index == 0, inputs.contains(node.inputs[0].layer) {
                out.append((next, node.inputs[0].layer, e.inputDim))
            }
            next += node.layer.weights.count
        }
        return out
    }

    /// A replica sharing this graph's weights.
    func replica() throws -> TrainingGraph<S> { try TrainingGraph(model: model, sharing: weights, fuseSoftmaxLoss: fusesSoftmaxLoss) }

    var parameters: [Parameter<S>] { ops.flatMap { $0.parameters } }

    func zeroGradients() { for p in parameters { p.clearGradient() } }

    /// Runs every node; returns the model's outputs (in `model.outputs` order).
    func forward(_ inputs: [String: Batch<S>], context: ForwardContext) throws -> [Batch<S>] {
        var values: [TensorRef: Batch<S>] = [:]
        for i in model.inputs {
            guard let x = inputs[i.name] else { throw RNNKitError.missingInput(name: i.name, source: "the training inputs") }
            values[TensorRef(layer: i.name)] = x
        }
        outputCounts = []
        for (node, op) in zip(model.nodes, ops) {
            let outs = try op.forward(node.inputs.map { values[$0]! }, context: context)
            outputCounts.append(outs.count)
            for (k, o) in outs.enumerated() { values[TensorRef(layer: node.layer.name, index: k)] = o }
        }
        return model.outputs.map { values[$0]! }
    }

    /// The fused loss of the last forward pass, scored by the head on the rows it kept, when the
    /// pass let it (`ForwardContext.headEvaluatesLoss`) and the loss counts only some rows; nil
    /// otherwise (the caller scores the output). After it, `backward` takes an empty gradient
    /// for the head's output: the head back-propagates this loss itself.
    func headLoss(labels: [Int32]) throws -> CrossEntropyResult<S>? {
        guard let head, head.compactRowsKept else { return nil }
        return try head.evaluateFusedLoss(labels: labels)
    }

    /// Back-propagates ∂L/∂outputs (aligned with `model.outputs`) through every node, adding
    /// into the parameters' gradients. Gradients reaching a tensor from several consumers add up.
    /// Returns the gradients reaching the model's inputs (none for token ids).
    @discardableResult
    func backward(_ outputGradients: [[S]?]) -> [String: [S]] {
        var grads: [TensorRef: [S]] = [:]
        func add(_ ref: TensorRef, _ d: [S]) {
            if var g = grads[ref] { for i in g.indices { g[i] += d[i] }; grads[ref] = g } else { grads[ref] = d }
        }
        for (ref, d) in zip(model.outputs, outputGradients) { if let d { add(ref, d) } }
        for (k, (node, op)) in zip(model.nodes, ops).enumerated().reversed() {
            let outs = (0..<outputCounts[k]).map { grads.removeValue(forKey: TensorRef(layer: node.layer.name, index: $0)) }
            guard outs.contains(where: { $0 != nil }) else { continue }
            for (ref, d) in zip(node.inputs, op.backward(outs)) { if let d { add(ref, d) } }
        }
        return Dictionary(uniqueKeysWithValues: model.inputs.compactMap { i in grads[TensorRef(layer: i.name)].map { (i.name, $0) } })
    }

    /// The model with this graph's current weights (float32).
    func exportModel() -> Model {
        var m = model
        var next = 0
        for i in m.nodes.indices {
            let n = m.nodes[i].layer.weights.count
            guard n > 0 else { continue }
            m.nodes[i].layer.setWeights(weights[next..<(next + n)].map(\.tensor))
            next += n
        }
        return m
    }
}
