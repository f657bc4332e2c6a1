/// A model run one time step at a time on one of its inputs (an encoder-decoder's target),
/// its other inputs fixed (the source): what greedy decoding needs. The nodes that do not
/// depend on the stepped input (the encoder) run once, at `init`; each `step` runs the nodes
/// that do for one time step, every recurrent layer continuing from the state it ended the
/// previous step in. Decoding T tokens costs T steps instead of T runs over growing prefixes.
///
/// Step t's outputs are, bit for bit, position t of a full `Model.forward` whose stepped input
/// holds the tokens of steps 0…t (whatever follows them): every layer computes each element
/// of a step alike whatever the batch and however many steps a call covers (the kit's GEMM,
/// kit_gemm.h), precisions are the full run's (`precisionPlan`), and recurrent state is
/// carried in double, exact for float32 and float64 alike.
///
/// Stepped nodes may be Embedding, Dense (TimeDistributed too), Dropout, Activation, Masking
/// and recurrent layers returning sequences forwards; anything else (a Bidirectional, a
/// Flatten, a layer reading a stepped layer's final states…) mixes time steps and is refused
/// with `Unsupported`. After an error a run cannot continue.
public struct StepwiseRun: Sendable {
    /// Why a model cannot be run step by step on its stepped input.
    public struct Unsupported: Error, Equatable, CustomStringConvertible {
        public var layer: String
        public var reason: String
        public init(layer: String, reason: String) { self.layer = layer; self.reason = reason }
        public var description: String { "layer '\(layer)' cannot run step by step: \(reason)" }
    }

    public let model: Model
    /// The steps run so far (the index of the next one).
    public private(set) var steps = 0
    let stepped: [Int]
    let precisions: [Precision]
    let input: String
    private(set) var batch: Int?
    /// Every tensor of the fixed nodes and inputs.
    private(set) var fixed: [TensorRef: Flow]
    /// Each stepped recurrent node's state after the last step.
    var carries: [Int: Recurrent.Carry] = [:]

    /// Runs the nodes of `model` that do not depend on `stepped` (a model input's name) on
    /// `inputs` (the other model inputs), in `precision` as `Model.forward` would.
    public init(_ model: Model, fixed inputs: [String: Tensor], stepped: String, precision: Precision = .auto) throws {
        self.stepped = try Self.steppedNodes(model, stepped: stepped)
        self.model = model; input = stepped
        precisions = model.precisionPlan(precision)
        var values: [TensorRef: Flow] = [:]
        var batch: Int?
        for i in model.inputs where i.name != stepped {
            guard let t = inputs[i.name] else { throw RNNKitError.missingInput(name: i.name, source: "the fixed inputs given") }
            let fits = t.rank == i.shape.count && zip(t.shape.dropFirst(), i.shape.dropFirst()).allSatisfy { $1 == nil || $0 == $1! }
            guard fits else { throw RNNKitError.inputShapeMismatch(layer: i.name, expected: describe(i.shape), found: t.shape) }
            if let b = batch, b != t.shape[0] { throw RNNKitError.batchMismatch("\(i.name) has \(t.shape[0]) rows, another input \(b)") }
            batch = t.shape[0]
            values[TensorRef(layer: i.name)] = Flow(t)
        }
        let steppedSet = Set(self.stepped)
        for (k, n) in model.nodes.enumerated() where !steppedSet.contains(k) {
            let r = try n.layer.forward(n.inputs.map { values[$0]! }, options: RunOptions(precision: precisions[k]))
            for (i, f) in r.outputs.enumerated() { values[TensorRef(layer: n.layer.name, index: i)] = f }
        }
        self.batch = batch
        fixed = values
    }

    /// The longest run the model's unrolled stepped layers allow (nil: no limit).
    public var unrolledLength: Int? {
        stepped.compactMap { k -> Int? in
            let layer = model.nodes[k].layer
            return (layer as? Recurrent)?.weightsPerStep?.count ?? (layer as? Dense)?.weightsPerStep?.count
        }.min()
    }

    /// Runs the next time step on `values` (`[B, 1, …]`, the stepped input's values at this
    /// step) and returns the model's outputs: `[B, 1, …]` for those depending on the stepped
    /// input, the fixed ones whole. Unrolled layers use this step's weights and throw past
    /// their length, as a full run on that many steps does.
    public mutating func step(_ values: Tensor) throws -> [Tensor] {
        guard values.rank >= 2, values.shape[1] == 1 else {
            throw RNNKitError.inputShapeMismatch(layer: input, expected: "[batch, 1, …] (one time step)", found: values.shape)
        }
        if let batch, values.shape[0] != batch {
            throw RNNKitError.batchMismatch("\(input) has \(values.shape[0]) rows, the fixed inputs \(batch)")
        }
        var current: [TensorRef: Flow] = [TensorRef(layer: input): Flow(values)]
        var carries = self.carries
        for k in stepped {
            let n = model.nodes[k]
            let ins = n.inputs.map { current[$0] ?? fixed[$0]! }
            let options = RunOptions(precision: precisions[k])
            let r: LayerResult
            switch n.layer {
            case let recurrent as Recurrent:
                let (result, carry) = try recurrent.forward(ins, continuing: carries[k], offset: steps, options: options)
                r = result; carries[k] = carry
            case let dense as Dense: r = try dense.forward(ins, offset: steps, options: options)
            default: r = try n.layer.forward(ins, options: options)
            }
            current[TensorRef(layer: n.layer.name)] = r.outputs[0]
        }
        self.carries = carries
        steps += 1
        return model.outputs.map { (current[$0] ?? fixed[$0]!).tensor }
    }

    /// Keeps rows `rows` (indices into the current batch, in their new order) of the fixed
    /// tensors and the carried states, so that rows which are done (decoded sentences that
    /// ended) stop costing steps. The kept rows' later steps are bit for bit what they would
    /// have been: rows never mix (the kit's GEMM computes a row alike whatever the batch).
    /// Fixed tensors only the fixed nodes read are dropped: no step reads them again.
    public mutating func keep(rows: [Int]) throws {
        // The rows held: the fixed inputs' batch, else (the stepped input alone) a carried state's.
        let held = batch ?? carries.first.map { k, c in c.h.count / max((model.nodes[k].layer as! Recurrent).units, 1) }
        guard let current = held else { return }   // nothing fixed, no step yet: nothing holds rows
        if let outside = rows.first(where: { !(0..<current).contains($0) }) {
            throw RNNKitError.batchMismatch("row \(outside) to keep is outside the batch of \(current)")
        }
        let read = Set(stepped.flatMap { model.nodes[$0].inputs } + model.outputs)
        fixed = fixed.filter { read.contains($0.key) }.mapValues { f in
            Flow(f.tensor.gather(batch: rows), mask: f.mask?.gather(batch: rows))
        }
        carries = carries.mapValues { c in
            func pick(_ v: [Double]) -> [Double] {
                let w = v.count / max(current, 1)
                return rows.flatMap { v[($0 * w)..<(($0 + 1) * w)] }
            }
            return Recurrent.Carry(h: pick(c.h), c: pick(c.c), output: pick(c.output))
        }
        batch = rows.count
    }

    /// The nodes depending on model input `stepped`, in order; throws `Unsupported` for one that
    /// cannot run a step at a time (or a model output that is a stepped layer's final state).
    public static func steppedNodes(_ model: Model, stepped: String) throws -> [Int] {
        guard let declared = model.inputs.first(where: { $0.name == stepped }) else {
            throw RNNKitError.missingInput(name: stepped, source: "the model's inputs")
        }
        guard declared.shape.count >= 2 else { throw Unsupported(layer: stepped, reason: "the input has no time axis") }
        let shapes = try model.shapes()
        var names: Set<String> = [stepped]
        var out: [Int] = []
        for (k, n) in model.nodes.enumerated() {
            let dependent = n.inputs.indices.filter { names.contains(n.inputs[$0].layer) }
            guard !dependent.isEmpty else { continue }
            let name = n.layer.name
            if let state = n.inputs.first(where: { names.contains($0.layer) && $0.index > 0 }) {
                throw Unsupported(layer: name, reason: "it reads output \(state.index) (a final state) of \(state.layer), which depends on \(stepped)")
            }
            guard dependent == [0] else { throw Unsupported(layer: name, reason: "its initial state depends on \(stepped)") }
            // Layers acting on the last axis act per step only when a feature axis follows time.
            let perStepRank = (shapes[n.inputs[0]]?.count ?? 0) >= 3
            switch n.layer {
            case is Embedding, is Dropout: break
            case is Dense, is ActivationLayer, is Masking:
                guard perStepRank else { throw Unsupported(layer: name, reason: "its input has no feature axis after the time axis") }
            case let r as Recurrent:
                guard r.returnSequences, !r.goBackwards else {
                    throw Unsupported(layer: name, reason: r.goBackwards ? "it runs backwards" : "it returns its last step only")
                }
            default: throw Unsupported(layer: name, reason: "a \(n.layer.kerasClassName) layer mixes time steps")
            }
            names.insert(name); out.append(k)
        }
        if let o = model.outputs.first(where: { names.contains($0.layer) && $0.index > 0 }) {
            throw Unsupported(layer: o.layer, reason: "the model outputs its final state \(o.index), which depends on \(stepped)")
        }
        return out
    }
}
