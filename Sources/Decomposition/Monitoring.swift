import RNNKit

/// Monitored node values of one concern for one recurrent layer: for each observed time
/// step, the positives' and negatives' values, row-major `[N, units]` (units = H in
/// hiddenState mode, G·H in perGate mode).
public struct LayerObservations: Sendable, Equatable {
    public var layer: String
    public var units: Int
    public var steps: [Int]
    public var positive: [[Float]]
    public var negative: [[Float]]

    /// Values of node `n` at the observed steps `which` (all when nil), pooled.
    func population(_ n: Int, positive pos: Bool, steps which: [Int]? = nil) -> [Double] {
        let groups = pos ? positive : negative
        var out: [Double] = []
        for (i, g) in groups.enumerated() where which?.contains(steps[i]) ?? true {
            var r = n
            while r < g.count { out.append(Double(g[r])); r += units }
        }
        return out
    }
}

/// Everything monitored for one concern (and, for many-output models, one output step).
public struct ConcernObservations: Sendable, Equatable {
    public var samples: ConcernSamples
    public var layers: [LayerObservations]
}

/// One monitoring forward pass: the model on the inputs, with the taps of the named layers
/// (and only the nodes they need). A parameter so tests can count and inspect the passes.
typealias MonitorPass = @Sendable (_ model: Model, _ inputs: [String: Tensor], _ tapping: Set<String>, _ precision: Precision) throws -> ForwardResult

/// Monitoring (ALGORITHMS.md §2 "Monitoring"): runs the samples through the model with taps
/// and keeps, per recurrent layer, the observed steps' hidden states or gate activations.
enum Monitor {
    /// Rows of the union of all samples run per forward pass (bounds the taps' memory).
    static let chunkRows = 1024

    /// The pass decompositions use: `Model.predict` computing only what the taps need (never
    /// the output layer, which identification does not read).
    static let modelPass: MonitorPass = { m, inputs, layers, precision in try m.predict(inputs, tapping: layers, precision: precision) }

    /// Every group's observations from one forward pass over the union of their sampled rows
    /// (in chunks), instead of one pass per concern and output step. A row's values do not
    /// depend on the other rows of its batch (the GEMM computes each element alike whatever the
    /// batch), so this gives exactly what `observe` gives group by group.
    static func observeAll(_ model: Model, _ anatomy: ModelAnatomy, _ data: LabeledData, _ groups: [ConcernSamples],
                           config: DecompositionConfig, precision: Precision, pass: MonitorPass = modelPass) throws -> [ConcernObservations] {
        let rows = Array(Set(groups.flatMap { $0.positives + $0.negatives })).sorted()
        var slot = [Int](repeating: -1, count: data.count)
        let perGate = config.gates == .perGate
        let parts = anatomy.parts
        let layers = parts.map { $0.layer(model) }
        let names = parts.map { $0.name(model) }
        let units = layers.map { perGate ? $0.gateCount * $0.units : $0.units }
        // Observed steps, in the order the part processes them.
        func steps(_ g: ConcernSamples, _ i: Int) -> [Int] {
            if let t = g.step { return [parts[i].step(atOutput: t)] }
            let T = parts[i].steps
            return config.observedSteps == .last && config.mode == .rolled ? [parts[i].finalStep] : Array(0..<T)
        }
        // values[group][part][role][step] = [n, units], filled row by row as chunks arrive.
        var values: [[[[[Float]]]]] = groups.map { g in
            parts.indices.map { i in
                [g.positives.count, g.negatives.count].map { n in steps(g, i).map { _ in [Float](repeating: 0, count: n * units[i]) } }
            }
        }
        let tapped = Set(anatomy.recurrent.map { model.nodes[$0].layer.name })
        for start in stride(from: 0, to: rows.count, by: chunkRows) {
            let chunk = Array(rows[start..<min(start + chunkRows, rows.count)])
            for (k, r) in chunk.enumerated() { slot[r] = k }
            let f = try pass(model, [model.inputs[0].name: data.inputs(chunk)], tapped, precision)
            for (i, part) in parts.enumerated() {
                let t = tap(f, part, model, perGate: perGate)
                let (T, u) = (part.steps, units[i])
                try requireFinite(t, layer: names[i], steps: T, units: u) { chunk[$0] }
                t.data.withUnsafeBufferPointer { src in
                    for (gi, g) in groups.enumerated() {
                        let observed = steps(g, i)
                        for (role, indices) in [g.positives, g.negatives].enumerated() {
                            for (position, row) in indices.enumerated() {
                                let k = slot[row]
                                guard k >= 0 else { continue }   // in another chunk
                                for (si, s) in observed.enumerated() {
                                    values[gi][i][role][si].withUnsafeMutableBufferPointer { dst in
                                        (dst.baseAddress! + position * u).update(from: src.baseAddress! + (k * T + s) * u, count: u)
                                    }
                                }
                            }
                        }
                    }
                }
            }
            for r in chunk { slot[r] = -1 }
        }
        return groups.enumerated().map { gi, g in
            ConcernObservations(samples: g, layers: parts.indices.map { i in
                LayerObservations(layer: names[i], units: units[i], steps: steps(g, i),
                                  positive: values[gi][i][0], negative: values[gi][i][1])
            })
        }
    }

    /// A part's tap `[B, T, units]` with its steps in processing order. A lone layer's taps
    /// are (a go_backwards layer's in its run order); a Bidirectional's are [forward | backward]
    /// per input position, so the backward half is cut out and put back in its run order.
    static func tap(_ f: ForwardResult, _ part: RecurrentPart, _ model: Model, perGate: Bool) -> Tensor {
        let name = model.nodes[part.node].layer.name
        let t = perGate ? f.gates[name]! : f.hidden[name]!
        guard part.direction != .only else { return t }
        let (B, T, w) = (t.shape[0], t.shape[1], t.shape[2] / 2)
        let offset = part.direction == .forward ? 0 : w
        var out = [Float](repeating: 0, count: B * T * w)
        for b in 0..<B {
            for s in 0..<T {
                // Processing step s of a direction sits at the input position it read.
                let p = part.inputPosition(atStep: s, model)
                let src = (b * T + p) * 2 * w + offset, dst = (b * T + s) * w
                for j in 0..<w { out[dst + j] = t.data[src + j] }
            }
        }
        return Tensor(shape: [B, T, w], data: out)
    }

    /// Throws `nonFiniteActivation` for the first NaN or infinity in `values` (`[B, T, units]`),
    /// naming the layer, the step and the sample (`sample(b)`: the data row of batch row b).
    /// Checked on everything monitored: a NaN would otherwise flow into the concern statistics
    /// as an ordinary number (every comparison with it is false).
    static func requireFinite(_ values: Tensor, layer: String, steps T: Int, units u: Int, sample: (Int) -> Int) throws {
        let bad: Int? = values.data.withUnsafeBufferPointer { v in
            var i = 0
            while i < v.count { if !v[i].isFinite { return i }; i += 1 }
            return nil
        }
        guard let bad, u > 0, T > 0 else { return }
        throw DecompositionError.nonFiniteActivation(layer: layer, step: (bad / u) % T, sample: sample(bad / (u * T)), value: values.data[bad])
    }
}
