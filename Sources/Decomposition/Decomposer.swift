import RNNKit

/// One decomposition run: a module per concern, with everything that was monitored.
public struct DecompositionResult: Sendable {
    public var modules: [Module]
    /// Per concern, per observed group (one group per output step for many-output models).
    public var observations: [[ConcernObservations]]
    public var config: DecompositionConfig
}

/// Decomposes a classification model (1:1, M:1, 1:N, M:N) into one module per concern:
/// sampling → monitoring → concern and tangling identification → modularization.
public struct Decomposer: Sendable {
    public var model: Model
    public var config: DecompositionConfig
    public var sourceSHA256: String

    /// `model` as loaded from its file; the preset's forward semantics are applied here.
    public init(model: Model, config: DecompositionConfig, sourceSHA256: String = "") {
        self.model = model; self.config = config; self.sourceSHA256 = sourceSHA256
    }

    /// `train` supplies the samples; `progress` is called once per finished concern.
    public func decompose(train: LabeledData, concerns: [Int]? = nil,
                          progress: (@Sendable (Int) -> Void)? = nil) throws -> DecompositionResult {
        let (m, precision) = AuthorsSemantics.prepare(model, preset: config.preset)
        let anatomy = try ModelAnatomy(m)
        try Self.check(anatomy, m, train)
        var modules: [Module] = [], observations: [[ConcernObservations]] = []
        for c in concerns ?? train.concerns {
            let (module, obs) = try decompose(concern: c, m, anatomy, train, precision)
            modules.append(module); observations.append(obs)
            progress?(c)
        }
        return DecompositionResult(modules: modules, observations: observations, config: config)
    }

    /// Rebuilds modules from recorded observations (an activations file) without running the
    /// model on the samples again; `config` may change the identification settings.
    public func modules(from observations: [[ConcernObservations]]) throws -> [Module] {
        let (m, _) = AuthorsSemantics.prepare(model, preset: config.preset)
        let anatomy = try ModelAnatomy(m)
        return try observations.map { try build($0, m, anatomy) }
    }

    private func decompose(concern c: Int, _ m: Model, _ anatomy: ModelAnatomy, _ train: LabeledData,
                           _ precision: Precision) throws -> (Module, [ConcernObservations]) {
        let steps: [Int?] = anatomy.isManyOutput ? Array(0..<train.outputSteps) : [nil]
        var groups: [ConcernObservations] = []
        for t in steps {
            let samples: ConcernSamples
            do { samples = try Sampler.samples(train, concern: c, step: t, config: config) }
            catch DecompositionError.emptyClass where t != nil { continue }   // class absent at this step
            groups.append(try Monitor.observe(m, anatomy, train, samples, config: config, precision: precision))
        }
        guard !groups.isEmpty else { throw DecompositionError.emptyClass(c) }
        return (try build(groups, m, anatomy), groups)
    }

    /// Identification and modularization from observations.
    private func build(_ groups: [ConcernObservations], _ m: Model, _ anatomy: ModelAnatomy) throws -> Module {
        let c = groups[0].samples.concern
        let removals: [[[Int]]] = anatomy.recurrent.indices.map { i in
            let layer = anatomy.layer(m, i)
            let merged = Self.merge(groups.map { $0.layers[i] })
            switch config.mode {
            case .rolled:
                return [Identification.removals(layer, merged, steps: nil, config: config)]
            case .unrolled:
                // A step without observations (a class absent at that output step) loses nothing.
                return (0..<anatomy.steps[i]).map { t in
                    merged.steps.contains(t) ? Identification.removals(layer, merged, steps: [t], config: config) : []
                }
            }
        }
        return try ModuleBuilder.build(m, anatomy, concern: c, removals: removals, config: config,
                                       paddingLabel: anatomy.isManyOutput ? paddingLabel(anatomy) : nil, sourceSHA256: sourceSHA256)
    }

    /// The many-output padding label: class 0, as in the paper's sequence data sets.
    private func paddingLabel(_ anatomy: ModelAnatomy) -> Int? { 0 }

    /// One layer's observations of several groups, as one (steps concatenated).
    static func merge(_ parts: [LayerObservations]) -> LayerObservations {
        var out = parts[0]
        for p in parts.dropFirst() { out.steps += p.steps; out.positive += p.positive; out.negative += p.negative }
        return out
    }

    static func check(_ anatomy: ModelAnatomy, _ m: Model, _ data: LabeledData) throws {
        guard anatomy.numClasses == data.numClasses else {
            throw DecompositionError.dataMismatch("the model has \(anatomy.numClasses) output classes, the data \(data.numClasses)")
        }
        guard anatomy.isManyOutput == data.isManyOutput else {
            throw DecompositionError.dataMismatch(anatomy.isManyOutput ? "the model has one output per step, the data one label per sample"
                                                                       : "the model has one output, the data label sequences")
        }
        let input = m.inputs[0].shape
        guard data.x.rank == input.count, zip(data.x.shape.dropFirst(), input.dropFirst()).allSatisfy({ $1 == nil || $0 == $1! }) else {
            throw DecompositionError.dataMismatch("inputs \(data.x.shape) do not fit the model input \(describe(input))")
        }
        if let e = m.nodes.first?.layer as? Embedding, let top = data.x.data.max(), Int(top) >= e.inputDim {
            throw DecompositionError.dataMismatch("token id \(Int(top)) but the embedding has \(e.inputDim) rows (another vocabulary?)")
        }
    }
}
