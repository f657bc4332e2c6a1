import Metrics
import RNNKit

/// Modules composed by voting (ALGORITHMS.md §2 "Composition"): every module sees the same
/// input; the prediction is the concern of the module most confident in its own concern
/// (the first on ties). Modules may come from different models (reuse and replacement), as
/// long as they read the same inputs; each carries its own concern id.
public struct ComposedModel: Sendable {
    public var modules: [Module]
    public var precision: Precision

    public init(modules: [Module], precision: Precision = .auto) throws {
        guard let first = modules.first else { throw DecompositionError.moduleMismatch("no modules to compose") }
        if let bad = modules.first(where: { $0.classIDs.count < 2 || $0.model.inputs.isEmpty }) {
            throw DecompositionError.moduleMismatch("module for \(bad.concern) has \(bad.classIDs.count) output slot(s), a classification module has at least 2")
        }
        let shape = first.model.inputs[0].shape
        for m in modules where m.model.inputs[0].shape != shape || m.classIDs.count != first.classIDs.count {
            throw DecompositionError.moduleMismatch("module for \(m.concern) reads \(describe(m.model.inputs[0].shape)) with \(m.classIDs.count) slots, "
                                                    + "module for \(first.concern) \(describe(shape)) with \(first.classIDs.count)")
        }
        self.modules = modules; self.precision = precision
    }

    /// Predicted labels, one per sample (one-output) or per sample and step (many-output).
    public func predict(_ x: Tensor) throws -> [Int] {
        let scores = try self.scores(x)
        return Voting.winners(scores, labels: modules.map(\.concern))
    }

    /// Many-output: the vote with the padding class's module beside the others, so the
    /// prediction may be padding — how the authors' evaluators compose (modules for every
    /// class 0…K−1). The padding module has two slots (padding against the rest).
    public func predict(_ x: Tensor, withPaddingModule pad: Module) throws -> [Int] {
        let all = try [pad.dominantProbability(x, precision: precision)] + scores(x)
        guard all[0].count == all[1].count else {
            throw DecompositionError.moduleMismatch("the padding module scores \(all[0].count) positions, the others \(all[1].count)")
        }
        return Voting.winners(all, labels: [pad.concern] + modules.map(\.concern))
    }

    /// Each module's score for its own concern (`Module.dominantProbability`), module by module.
    public func scores(_ x: Tensor) throws -> [[Float]] {
        try modules.map { try $0.dominantProbability(x, precision: precision) }
    }

}

/// MMA, CMA, their difference and the Jaccard indices (ALGORITHMS.md §3).
public struct DecompositionEvaluation: Codable, Sendable, Equatable {
    public struct ModuleSummary: Codable, Sendable, Equatable {
        public var concern: Int
        public var jaccard: Double
        public var structuralJaccard: Double
        public var removedUnits: Int
        /// What a module keeps of the model, under its concern.
        public init(_ module: Module) {
            concern = module.concern; jaccard = module.jaccard; structuralJaccard = module.structuralJaccard
            removedUnits = module.removedUnitCount
        }
    }
    /// Monolithic and composed accuracy, fractions 0–1 (padding positions skipped).
    public var mma: Double
    public var cma: Double
    /// Many-output, when a module of the padding class was given: both accuracies over every
    /// position, padding included, the composition voting with the padding module too — how
    /// the authors' evaluators count (`skipDummyLabel=False`, modules for every class 0…K−1).
    public var mmaWithPadding: Double? = nil
    public var cmaWithPadding: Double? = nil
    /// CMA − MMA in percentage points.
    public var delta: Double { (cma - mma) * 100 }
    public var jaccardMean: Double
    public var structuralJaccardMean: Double
    public var modules: [ModuleSummary]
    public var preset: String

    /// Evaluates `modules` against `model` on `test`, both with the preset's forward semantics.
    /// `authorsEvaluatorArtifact` composes rolled many-output modules as the authors'
    /// evaluators did (`AuthorsSemantics.evaluatorArtifact`); other modules are unaffected,
    /// as the authors' one-output and unrolled evaluators loaded the weights.
    /// `paddingModule`: the padding class's module of a many-output decomposition, for the
    /// padding-counted scores.
    public static func evaluate(model: Model, modules: [Module], test: LabeledData,
                                preset: DecompositionConfig.Preset, authorsEvaluatorArtifact: Bool = false,
                                paddingModule: Module? = nil) throws -> DecompositionEvaluation {
        let (m, precision) = AuthorsSemantics.prepare(model, preset: preset)
        let anatomy = try ModelAnatomy(m)
        try Decomposer.check(anatomy, m, test)
        for module in modules where (module.classIDs.last ?? .max) >= test.numClasses {
            throw DecompositionError.moduleMismatch("module for class \(module.concern) but the data has \(test.numClasses) classes")
        }
        let monolithic = try m.predict([m.inputs[0].name: test.x], precision: precision).prediction.argmaxLastAxis()
        func voting(_ m: Module) -> Module {
            guard authorsEvaluatorArtifact && test.isManyOutput && m.mode == .rolled else { return m }
            var a = m; a.model = AuthorsSemantics.evaluatorArtifact(m.model); return a
        }
        let scores = try ComposedModel(modules: modules.map(voting), precision: precision).scores(test.x)
        let positions = 0..<scores[0].count
        let composed = Voting.winners(labels: modules.map(\.concern), positions: positions) { m, i in scores[m][i] }
        let skip = test.isManyOutput ? test.paddingLabel : nil
        let mma = try accuracy(monolithic, test.labels, skip), cma = try accuracy(composed, test.labels, skip)
        var withPadding: (mma: Double, cma: Double)? = nil
        if let pad = paddingModule {
            guard test.isManyOutput, let padding = test.paddingLabel, pad.concern == padding else {
                throw DecompositionError.moduleMismatch("a padding module is for the padding class of many-output data")
            }
            let padScores = try voting(pad).dominantProbability(test.x, precision: precision)
            guard padScores.count == scores[0].count else {
                throw DecompositionError.moduleMismatch("the padding module scores \(padScores.count) positions, the others \(scores[0].count)")
            }
            let all = [padScores] + scores
            let composedAll = Voting.winners(labels: [padding] + modules.map(\.concern), positions: positions) { m, i in all[m][i] }
            withPadding = (try accuracy(monolithic, test.labels, nil), try accuracy(composedAll, test.labels, nil))
        }
        let summaries = modules.map(ModuleSummary.init)
        return DecompositionEvaluation(mma: mma, cma: cma, mmaWithPadding: withPadding?.mma, cmaWithPadding: withPadding?.cma,
                          jaccardMean: try Statistics.mean(summaries.map(\.jaccard)),
                          structuralJaccardMean: try Statistics.mean(summaries.map(\.structuralJaccard)),
                          modules: summaries, preset: preset.rawValue)
    }

    /// Accuracy over all positions, or skipping those whose true label is `skip`.
    static func accuracy(_ predicted: [Int], _ truth: [Int], _ skip: Int?) throws -> Double {
        guard let skip else { return try Metrics.accuracy(predicted: predicted, truth: truth) }
        return try Metrics.accuracy(predicted: [predicted], truth: [truth], paddingLabel: skip)
    }
}
