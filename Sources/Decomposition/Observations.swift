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

/// Monitoring (ALGORITHMS.md §2 "Monitoring"): runs the samples through the model with taps
/// and keeps, per recurrent layer, the observed steps' hidden states or gate activations.
enum Monitor {
    static func observe(_ model: Model, _ anatomy: ModelAnatomy, _ data: LabeledData, _ samples: ConcernSamples,
                        config: DecompositionConfig, precision: Precision) throws -> ConcernObservations {
        func run(_ indices: [Int]) throws -> ForwardResult {
            try model.predict([model.inputs[0].name: data.inputs(indices)], taps: true, precision: precision)
        }
        let pos = try run(samples.positives), neg = try run(samples.negatives)
        let layers = anatomy.recurrent.indices.map { i -> LayerObservations in
            let r = anatomy.layer(model, i)
            let T = anatomy.steps[i]
            let steps: [Int]
            if let s = samples.step { steps = [s] }
            else { steps = config.observedSteps == .last && config.mode == .rolled ? [T - 1] : Array(0..<T) }
            let perGate = config.gates == .perGate
            let units = perGate ? r.gateCount * r.units : r.units
            func take(_ f: ForwardResult) -> [[Float]] {
                let t = perGate ? f.gates[r.name]! : f.hidden[r.name]!
                let n = t.shape[0]
                return steps.map { s in
                    var out = [Float](); out.reserveCapacity(n * units)
                    for b in 0..<n { out += t.data[((b * T + s) * units)..<((b * T + s + 1) * units)] }
                    return out
                }
            }
            return LayerObservations(layer: r.name, units: units, steps: steps, positive: take(pos), negative: take(neg))
        }
        return ConcernObservations(samples: samples, layers: layers)
    }
}
