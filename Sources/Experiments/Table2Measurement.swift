import Corpora
import Decomposition
import DecompositionInputs
import Metrics
import RNNKit
import Zoo

// RQ1 (Table II): what one unit of chapter 3 measures — a model at one seed, decomposed in
// one mode and gate strategy, monitored once and evaluated at every removal cap it needs.

/// One decomposition evaluated at one removal cap.
public struct CapResult: Codable, Sendable {
    public var cap: Double
    public var mma: Double?
    public var cma: Double?
    /// CMA when rolled many-output modules vote as the authors' evaluators did (zeroed weights).
    public var artifactCMA: Double?
    /// Many-output: MMA and CMA over every position, padding included, the padding class's
    /// module voting too (the authors' evaluators); the artifact CMA counted the same way.
    public var mmaWithPadding: Double? = nil
    public var cmaWithPadding: Double? = nil
    public var artifactCMAWithPadding: Double? = nil
    public var bleuMonolithic: [String: Double]?
    public var bleuComposed: [String: Double]?
    /// The same translations by the paper's measure (1-gram BLEU, tags counted).
    public var bleuMonolithicPaper: [String: Double]? = nil
    public var bleuComposedPaper: [String: Double]? = nil
    public var jaccard: Double
    public var structural: Double
    public var removedUnits: Int

    /// δ in points: accuracy, or the mean over languages of the BLEU-4 change.
    public var delta: Double {
        if let mma, let cma { return (cma - mma) * 100 }
        let m = bleuMonolithic ?? [:], c = bleuComposed ?? [:]
        let d = m.keys.sorted().map { ((c[$0] ?? 0) - m[$0]!) * 100 }
        return d.isEmpty ? 0 : d.reduce(0, +) / Double(d.count)
    }
    public var artifactDelta: Double? { artifactCMA.flatMap { a in mma.map { (a - $0) * 100 } } }
    public var deltaWithPadding: Double? { cmaWithPadding.flatMap { c in mmaWithPadding.map { (c - $0) * 100 } } }
    public var artifactDeltaWithPadding: Double? { artifactCMAWithPadding.flatMap { a in mmaWithPadding.map { (a - $0) * 100 } } }
}

/// One unit: a model (one seed), a mode and a gate strategy, monitored once and identified at
/// every cap of `caps`.
public struct RQ1Result: Codable, Sendable {
    public var caps: [CapResult]
    /// The collapse probe, for the variants it applies to (CollapseProbe.applies).
    public var probe: ProbeResult? = nil
    public init(caps: [CapResult], probe: ProbeResult? = nil) { self.caps = caps; self.probe = probe }
}

public struct RQ1Variant: Sendable {
    public var model: ZooModel            // seed 1; units add the other seeds
    public var mode: DecompositionConfig.Mode
    public var gates: DecompositionConfig.GateStrategy
    public init(model: ZooModel, mode: DecompositionConfig.Mode, gates: DecompositionConfig.GateStrategy) {
        self.model = model; self.mode = mode; self.gates = gates
    }
    public var label: String { "\(mode.rawValue)\(gates == .perGate ? ", per gate" : "")" }
    public var authorsCap: (cap: Double, source: String) { PaperModels.authorsCap(model, mode: mode.rawValue) }
    public var isManyOutput: Bool { model.task == .oneToMany || model.task == .manyToMany }
    /// The paper's 0.2, the authors' cap, and (hidden state) the curve's caps.
    public var caps: [Double] {
        let curve: [Double] = gates == .hiddenState ? RQ1Caps.curve : []
        return Array(Set([RQ1Caps.paper, authorsCap.cap] + curve)).sorted()
    }
}

public enum RQ1Caps {
    public static let paper = 0.2
    public static let curve = [0.0, 0.05, 0.1, 0.2, 0.3]
}

extension RQ1Variant {
    /// Decomposes one variant at one seed (paper preset) and evaluates it at each of its caps.
    public func measure(seed: UInt64, _ setup: ExperimentSetup) throws -> RQ1Result {
        let v = self
        var spec = v.model; spec.seed = seed
        let entry = try setup.zoo.entry(spec)
        let data = try setup.zoo.dataset(for: spec)
        var config = DecompositionConfig.paper
        config.mode = v.mode; config.gates = v.gates; config.seed = seed
        func summary(_ mods: [Module]) -> (Double, Double, Int) {
            let removed = mods.reduce(0) { $0 + $1.removedUnitCount }
            return (mods.reduce(0) { $0 + $1.jaccard } / Double(mods.count), mods.reduce(0) { $0 + $1.structuralJaccard } / Double(mods.count), removed)
        }
        if v.model.task == .encoderDecoder {
            let full = try TranslationData(data, split: "test")
            let cap = setup.profile == .paper ? Int.max : 100
            var idx: [Int] = []
            for l in full.languages.indices { idx += (0..<full.count).filter { full.language[$0] == l }.prefix(cap) }
            let test = try full.subset(idx), train = try TranslationData(data, split: "train")
            // Translation rows are read at the paper's and the authors' cap only (the curve is
            // classification's): quick decomposes at those two, each decomposition decoding greedily.
            let caps = setup.profile == .quick ? Array(Set([RQ1Caps.paper, v.authorsCap.cap])).sorted() : v.caps
            // One monitoring pass for every cap, the monolithic model decoded once, and a cap that
            // removes the same units as an earlier one reuses its modules' translations.
            let perCap = try Decomposer(model: entry.model, config: config, sourceSHA256: entry.metadata.key)
                .decomposeTranslation(train: train, caps: caps)
            let mono = try TranslationEvaluation.monolithic(model: entry.model, test: test, maxLength: full.steps, preset: .paper)
            var evaluated: [(removed: [[String: [[Int]]]], e: TranslationEvaluation)] = []
            return RQ1Result(caps: try zip(caps, perCap).map { c, modules in
                let removedSets = modules.map(\.removed)
                let e: TranslationEvaluation
                if let earlier = evaluated.first(where: { $0.removed == removedSets }) { e = earlier.e } else {
                    e = try TranslationEvaluation.evaluate(model: entry.model, modules: modules, test: test, maxLength: full.steps,
                                                           preset: .paper, monolithic: mono)
                    evaluated.append((removedSets, e))
                }
                let (ji, st, removed) = summary(modules)
                return CapResult(cap: c, bleuMonolithic: Dictionary(uniqueKeysWithValues: e.pairs.map { ($0.language, $0.monolithicBLEU) }),
                                 bleuComposed: Dictionary(uniqueKeysWithValues: e.pairs.map { ($0.language, $0.composedBLEU) }),
                                 bleuMonolithicPaper: Dictionary(uniqueKeysWithValues: e.pairs.map { ($0.language, $0.monolithicPaperMeasure) }),
                                 bleuComposedPaper: Dictionary(uniqueKeysWithValues: e.pairs.map { ($0.language, $0.composedPaperMeasure) }),
                                 jaccard: ji, structural: st, removedUnits: removed)
            })
        }
        let train = try LabeledData(data, split: "train"), test = try LabeledData(data, split: "test")
        // Monitoring once; identification and modularization again for every cap. Many-output
        // models also get a module of the padding class (first), which only the padding-counted
        // scores vote with; the other modules do not depend on it.
        let decomposer = Decomposer(model: entry.model, config: config, sourceSHA256: entry.metadata.key)
        let padding = test.isManyOutput ? test.paddingLabel : nil
        let observed = try decomposer.decompose(train: train, concerns: (padding.map { [$0] } ?? []) + train.concerns).observations
        let built = try decomposer.modules(from: observed, caps: v.caps)
        let atCaps = built.map { padding == nil ? $0 : Array($0.dropFirst()) }
        let paddingModules = built.map { padding == nil ? nil : $0.first }
        let probe = CollapseProbe.applies(v.model, mode: v.mode, gates: v.gates)
            ? try CollapseProbe.run(model: entry.model, test: test, atCaps: CollapseProbe.caps.map { c in atCaps[v.caps.firstIndex(of: c)!] })
            : nil
        // A cap that removes the same units as an earlier one gives the same modules: its
        // evaluation is reused (caps above what identification wants to remove often coincide).
        var evaluated: [(removed: [[String: [[Int]]]], e: DecompositionEvaluation, artifact: DecompositionEvaluation?)] = []
        return RQ1Result(caps: try v.caps.indices.map { k in
            let c = v.caps[k], modules = atCaps[k], pad = paddingModules[k]
            let removedSets = ([pad].compactMap { $0 } + modules).map(\.removed)
            let wantsArtifact = v.mode == .rolled && v.isManyOutput && (c == RQ1Caps.paper || c == v.authorsCap.cap)
            let earlier = evaluated.firstIndex { $0.removed == removedSets }
            let e = try earlier.map { evaluated[$0].e }
                ?? DecompositionEvaluation.evaluate(model: entry.model, modules: modules, test: test, preset: .paper, paddingModule: pad)
            var artifact: DecompositionEvaluation? = nil
            if wantsArtifact {
                artifact = try earlier.flatMap { evaluated[$0].artifact }
                    ?? DecompositionEvaluation.evaluate(model: entry.model, modules: modules, test: test, preset: .paper,
                                                        authorsEvaluatorArtifact: true, paddingModule: pad)
            }
            if let earlier { if evaluated[earlier].artifact == nil { evaluated[earlier].artifact = artifact } }
            else { evaluated.append((removedSets, e, artifact)) }
            let (_, _, removed) = summary(modules)
            return CapResult(cap: c, mma: e.mma, cma: e.cma, artifactCMA: artifact?.cma,
                             mmaWithPadding: e.mmaWithPadding, cmaWithPadding: e.cmaWithPadding, artifactCMAWithPadding: artifact?.cmaWithPadding,
                             jaccard: e.jaccardMean, structural: e.structuralJaccardMean, removedUnits: removed)
        }, probe: probe)
    }
}

extension CollapseProbe {
    /// Per model of `models`, its probe at every seed, read from the unit results of the
    /// variant it applies to (`rows`: each variant with its results in seed order).
    public static func results(_ rows: [(RQ1Variant, [RQ1Result])], models: [ZooModel]) throws -> [[ProbeResult]] {
        try models.map { m in
            guard let r = rows.first(where: { $0.0.model == m && applies(m, mode: $0.0.mode, gates: $0.0.gates) })?.1 else { return [] }
            return try r.map { result in
                guard let p = result.probe else { throw Missing(model: "\(m)") }
                return p
            }
        }
    }
}
