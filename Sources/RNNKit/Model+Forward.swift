import Foundation

/// Everything one forward pass returns. `outputs` are the model's outputs in order (empty
/// from a tapping pass that did not need them); the dictionaries are filled only for tapped
/// layers: each layer's main output, and for recurrent layers the per-step gate activations
/// and hidden states.
public struct ForwardResult: Sendable {
    public var outputs: [Tensor]
    public var layerOutputs: [String: Tensor] = [:]
    public var gates: [String: Tensor] = [:]
    public var hidden: [String: Tensor] = [:]

    /// The first model output (the prediction of a single-output model).
    public var prediction: Tensor { outputs[0] }

    static func concatenate(_ parts: [ForwardResult]) -> ForwardResult {
        func merge(_ key: KeyPath<ForwardResult, [String: Tensor]>) -> [String: Tensor] {
            guard let first = parts.first else { return [:] }
            return first[keyPath: key].keys.reduce(into: [:]) { d, k in
                d[k] = Tensor.concatenate(batches: parts.map { $0[keyPath: key][k]! })
            }
        }
        let outs = (0..<(parts.first?.outputs.count ?? 0)).map { i in Tensor.concatenate(batches: parts.map { $0.outputs[i] }) }
        return ForwardResult(outputs: outs, layerOutputs: merge(\.layerOutputs), gates: merge(\.gates), hidden: merge(\.hidden))
    }
}

extension Model {
    /// Runs the model on `inputs` (by model input name) in chunks of `batchSize` samples,
    /// the chunks spread over the machine's cores (each chunk: one GEMM per layer per step).
    /// Results do not depend on the number of cores.
    public func predict(_ inputs: [String: Tensor], batchSize: Int = 256, taps: Bool = false,
                        precision: Precision = .auto) throws -> ForwardResult {
        let options = RunOptions(taps: taps, precision: precision)
        return try chunked(inputs, batchSize: batchSize) { try forward($0, options: options) }
    }

    /// `predict` computing only what the taps of `layers` need: the nodes they descend from,
    /// with taps recorded for `layers` alone; `outputs` is empty unless those nodes include the
    /// output layers. Monitoring so never pays for an output softmax it does not read.
    public func predict(_ inputs: [String: Tensor], batchSize: Int = 256, tapping layers: Set<String>,
                        precision: Precision = .auto) throws -> ForwardResult {
        try chunked(inputs, batchSize: batchSize) { try forward($0, tapping: layers, precision: precision) }
    }

    /// `body` on chunks of `batchSize` rows, over all cores; the results concatenated in order.
    private func chunked(_ inputs: [String: Tensor], batchSize: Int,
                         _ body: @escaping @Sendable ([String: Tensor]) throws -> ForwardResult) throws -> ForwardResult {
        let batch = try checkedBatch(inputs)
        let size = max(1, batchSize)
        let chunks = stride(from: 0, to: batch, by: size).map { $0..<min($0 + size, batch) }
        if chunks.count <= 1 { return try body(inputs) }
        var results = [Result<ForwardResult, Error>?](repeating: nil, count: chunks.count)
        let lock = NSLock()
        let workers = min(chunks.count, ProcessInfo.processInfo.activeProcessorCount)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            for c in stride(from: w, to: chunks.count, by: workers) {
                let part = inputs.mapValues { $0.slice(batch: chunks[c]) }
                let r = Result { try body(part) }
                lock.lock(); results[c] = r; lock.unlock()
            }
        }
        return ForwardResult.concatenate(try results.map { try $0!.get() })
    }

    /// One forward pass over the whole batch in the calling thread.
    public func forward(_ inputs: [String: Tensor], options: RunOptions = RunOptions()) throws -> ForwardResult {
        try forward(inputs, nodes: nodes.indices, tapped: options.taps ? nil : [], precision: options.precision)
    }

    /// One forward pass over the nodes the taps of `layers` need (`predict(_:tapping:)`).
    public func forward(_ inputs: [String: Tensor], tapping layers: Set<String>, precision: Precision = .auto) throws -> ForwardResult {
        var needed = layers
        for name in layers where node(named: name) == nil {
            throw RNNKitError.invalidConfig("no layer named '\(name)' to tap")
        }
        for n in nodes.reversed() where needed.contains(n.layer.name) { needed.formUnion(n.inputs.map(\.layer)) }
        return try forward(inputs, nodes: nodes.indices.filter { needed.contains(nodes[$0].layer.name) }, tapped: layers, precision: precision)
    }

    /// Runs `order` (node indices, ascending); taps for the `tapped` layers (nil: every layer).
    /// The model's outputs are returned only when every one was computed.
    private func forward<C: Collection<Int>>(_ inputs: [String: Tensor], nodes order: C, tapped: Set<String>?,
                                             precision requested: Precision) throws -> ForwardResult {
        _ = try checkedBatch(inputs)
        var values: [TensorRef: Flow] = [:]
        for i in self.inputs { values[TensorRef(layer: i.name)] = Flow(inputs[i.name]!) }
        var result = ForwardResult(outputs: [])
        let precisions = precisionPlan(requested)
        for k in order {
            let n = nodes[k]
            let taps = tapped?.contains(n.layer.name) ?? true
            let ins = n.inputs.map { values[$0]! }
            let r = try n.layer.forward(ins, options: RunOptions(taps: taps, precision: precisions[k]))
            for (i, f) in r.outputs.enumerated() { values[TensorRef(layer: n.layer.name, index: i)] = f }
            if taps {
                result.layerOutputs[n.layer.name] = r.outputs[0].tensor
                if let g = r.gates { result.gates[n.layer.name] = g }
                if let h = r.hidden { result.hidden[n.layer.name] = h }
            }
        }
        if outputs.allSatisfy({ values[$0] != nil }) { result.outputs = outputs.map { values[$0]!.tensor } }
        return result
    }

    /// The precision each node runs in (see `Precision.auto`): float64 where the layer's own
    /// activation is unbounded or any input comes from an unbounded layer.
    func precisionPlan(_ requested: Precision) -> [Precision] {
        guard requested == .auto else { return nodes.map { _ in requested } }
        var unbounded = Set<String>()
        return nodes.map { n in
            let inputUnbounded = n.inputs.contains { unbounded.contains($0.layer) }
            let own: Activation? = ((n.layer as? Recurrent) ?? (n.layer as? Bidirectional)?.forwardLayer)?.activation ?? (n.layer as? Dense)?.activation ?? (n.layer as? ActivationLayer)?.activation
            let outputUnbounded = own.map { !$0.isBounded } ?? (inputUnbounded && !(n.layer is Embedding))
            if outputUnbounded { unbounded.insert(n.layer.name) }
            return inputUnbounded || outputUnbounded ? .float64 : .float32
        }
    }

    /// Checks every model input is present with a shape that fits its declaration, and
    /// that all inputs agree on the batch size, which is returned.
    func checkedBatch(_ inputs: [String: Tensor]) throws -> Int {
        var batch: Int?
        for i in self.inputs {
            guard let t = inputs[i.name] else { throw RNNKitError.missingInput(name: i.name, source: "the inputs given") }
            let fits = t.rank == i.shape.count && zip(t.shape.dropFirst(), i.shape.dropFirst()).allSatisfy { $1 == nil || $0 == $1! }
            guard fits else { throw RNNKitError.inputShapeMismatch(layer: i.name, expected: describe(i.shape), found: t.shape) }
            if let b = batch, b != t.shape[0] { throw RNNKitError.batchMismatch("\(i.name) has \(t.shape[0]) rows, another input \(b)") }
            batch = t.shape[0]
        }
        return batch ?? 0
    }
}
