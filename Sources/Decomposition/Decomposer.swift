import Foundation
import Metrics
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
    /// Monitoring's forward pass (tests substitute one that counts).
    var monitorPass: MonitorPass = Monitor.modelPass

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
        // Sampling for every concern (and output step), then one monitoring pass over all samples.
        var groups: [(concern: Int, samples: [ConcernSamples])] = []
        for c in concerns ?? train.concerns {
            let steps: [Int?] = anatomy.isManyOutput ? Array(0..<train.outputSteps) : [nil]
            var samples: [ConcernSamples] = []
            for t in steps {
                do { samples.append(try Sampler.samples(train, concern: c, step: t, config: config)) }
                catch DecompositionError.emptyClass where t != nil { continue }   // class absent at this step
            }
            guard !samples.isEmpty else { throw DecompositionError.emptyClass(c) }
            groups.append((c, samples))
        }
        var observed = try Monitor.observeAll(m, anatomy, train, groups.flatMap(\.samples), config: config, precision: precision,
                                              pass: monitorPass)[...]
        var observations: [[ConcernObservations]] = []
        for g in groups {
            observations.append(Array(observed.prefix(g.samples.count)))
            observed = observed.dropFirst(g.samples.count)
        }
        let modules = try buildAll(observations, m, anatomy, caps: [config.maxRemoveFraction])[0]
        for g in groups { progress?(g.concern) }
        return DecompositionResult(modules: modules, observations: observations, config: config)
    }

    /// Rebuilds modules from recorded observations (an activations file) without running the
    /// model on the samples again; `config` may change the identification settings.
    public func modules(from observations: [[ConcernObservations]]) throws -> [Module] {
        try modules(from: observations, caps: [config.maxRemoveFraction])[0]
    }

    /// Modules at several removal caps from one set of observations: `[cap][concern]`. The
    /// node scores (the costly medians) are computed once per concern and reused for each cap.
    public func modules(from observations: [[ConcernObservations]], caps: [Double]) throws -> [[Module]] {
        let (m, _) = AuthorsSemantics.prepare(model, preset: config.preset)
        return try buildAll(observations, m, try ModelAnatomy(m), caps: caps)
    }

    /// `[cap][concern]` modules; concerns are independent.
    private func buildAll(_ observations: [[ConcernObservations]], _ m: Model, _ anatomy: ModelAnatomy, caps: [Double]) throws -> [[Module]] {
        // Concerns are independent: built on all cores, kept in concern order.
        var perConcern = [Result<[Module], Error>?](repeating: nil, count: observations.count)
        let lock = NSLock()
        let modelSet = ModuleBuilder.modelJaccardSet(m, parts: anatomy.parts, outputNode: anatomy.output)
        DispatchQueue.concurrentPerform(iterations: observations.count) { i in
            let r = Result { try build(observations[i], m, anatomy, caps: caps, modelSet: modelSet) }
            lock.lock(); perConcern[i] = r; lock.unlock()
        }
        let built = try perConcern.map { try $0!.get() }
        return caps.indices.map { k in built.map { $0[k] } }
    }

    /// Identification and modularization from observations, at each cap (one module per cap).
    private func build(_ groups: [ConcernObservations], _ m: Model, _ anatomy: ModelAnatomy, caps: [Double],
                       modelSet: WeightValueSet) throws -> [Module] {
        let c = groups[0].samples.concern
        let scores: [[Identification.Scores?]] = anatomy.parts.enumerated().map { i, part in
            Identification.copyScores(part.layer(m), Self.merge(groups.map { $0.layers[i] }), steps: part.steps, config: config)
        }
        return try caps.map { cap in
            var capped = config
            capped.maxRemoveFraction = cap
            let removals = scores.enumerated().map { i, copies in Identification.removals(anatomy.parts[i].layer(m), copies: copies, config: capped) }
            return try ModuleBuilder.build(m, anatomy, concern: c, removals: removals, config: capped,
                                           paddingLabel: anatomy.isManyOutput && c != paddingLabel(anatomy) ? paddingLabel(anatomy) : nil,
                                           sourceSHA256: sourceSHA256,
                                           modelSet: modelSet)
        }
    }

    /// The many-output padding label: class 0, as in the paper's sequence data sets. The
    /// padding class's own module (the authors decompose one; `DecompositionEvaluation`'s
    /// padding-counted scores vote with it) is channeled like a one-output module: padding
    /// against the mean of the rest, two slots.
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
