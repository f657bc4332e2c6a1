import Foundation
import Metrics
import RNNKit

// MARK: - Multi-label (sigmoid) heads (docs/METHOD.md "Heads")
//
// Each label is a binary decision of its own: label k's module keeps the units that serve k
// (positives have k, negatives lack it), its head is the sigmoid column k alone, and it
// decides k by itself (output ≥ 0.5). There is no vote between modules.

/// Inputs with K independent 0/1 labels per sample (`y` `[N, K]`).
public struct MultiLabelData: Sendable {
    public var x: Tensor
    /// Row-major `[N, numLabels]`, each 0 or 1.
    public var labels: [Int]
    public var numLabels: Int

    public init(x: Tensor, labels: [Int], numLabels: Int) throws {
        guard x.rank >= 2 else { throw DecompositionError.dataMismatch("inputs have shape \(x.shape), expected [samples, steps]") }
        guard numLabels >= 1, labels.count == x.shape[0] * numLabels else {
            throw DecompositionError.dataMismatch("\(x.shape[0]) inputs but \(labels.count) label values for \(numLabels) labels")
        }
        if let bad = labels.first(where: { $0 != 0 && $0 != 1 }) {
            throw DecompositionError.dataMismatch("multi-label values must be 0 or 1, found \(bad)")
        }
        self.x = x; self.labels = labels; self.numLabels = numLabels
    }

    public var count: Int { x.shape[0] }

    /// Label k as two-class data (1 = present), what sampling and monitoring read.
    func binary(_ k: Int) throws -> LabeledData {
        try LabeledData(x: x, labels: (0..<count).map { labels[$0 * numLabels + k] }, numClasses: 2)
    }
}

extension Decomposer {
    /// One module per label of a sigmoid-headed one-output model: M positives (label present)
    /// and M negatives (absent), seeded per label; identification and removal as for classes.
    public func decomposeMultiLabel(train: MultiLabelData, labels: [Int]? = nil) throws -> DecompositionResult {
        let (m, precision) = AuthorsSemantics.prepare(model, preset: config.preset)
        let anatomy = try ModelAnatomy(m)
        guard anatomy.head == .sigmoid else {
            throw DecompositionError.unsupportedModel("multi-label data needs a sigmoid output Dense; this model's head is \(anatomy.head.description)")
        }
        guard !anatomy.isManyOutput else { throw DecompositionError.unsupportedModel("multi-label decomposition of a many-output model") }
        guard anatomy.numClasses == train.numLabels else {
            throw DecompositionError.dataMismatch("the model has \(anatomy.numClasses) sigmoid outputs, the data \(train.numLabels) labels")
        }
        let modelSet = ModuleBuilder.modelJaccardSet(m, parts: anatomy.parts, outputNode: anatomy.output)
        var modules: [Module] = [], observations: [[ConcernObservations]] = []
        for k in labels ?? Array(0..<train.numLabels) {
            let data = try train.binary(k)
            // Class 1 of the binary data is "label k present"; M/(K−1) negatives with K = 2 is M.
            var samples: ConcernSamples
            do { samples = try Sampler.samples(data, concern: 1, step: nil, config: config) } catch DecompositionError.emptyClass {
                throw DecompositionError.dataMismatch("label \(k) is present in no training example: no positives")
            }
            samples.concern = k
            guard !samples.negatives.isEmpty else { throw DecompositionError.dataMismatch("label \(k) is present in every training example: no negatives") }
            let obs = try Monitor.observeAll(m, anatomy, data, [samples], config: config, precision: precision, pass: monitorPass)
            observations.append(obs)
            let removals: [[[Int]]] = anatomy.parts.enumerated().map { i, part in
                let layer = part.layer(m)
                return config.mode.copySteps(part.steps).map { steps in
                    Identification.removals(layer, Identification.scores(layer, obs[0].layers[i], steps: steps, config: config), config: config)
                }
            }
            modules.append(try ModuleBuilder.buildLabel(m, anatomy, label: k, removals: removals, config: config,
                                                        sourceSHA256: sourceSHA256, modelSet: modelSet))
        }
        return DecompositionResult(modules: modules, observations: observations, config: config)
    }
}

extension ModuleBuilder {
    /// Label k's module: units removed as for a class, the head cut to the sigmoid column k.
    static func buildLabel(_ model: Model, _ anatomy: ModelAnatomy, label k: Int, removals: [[[Int]]],
                           config: DecompositionConfig, sourceSHA256: String, modelSet: WeightValueSet) throws -> Module {
        var dense = model.nodes[anatomy.output].layer as! Dense
        let pruned = prune(model, parts: anatomy.parts, removals: removals, config: config)
        var m = pruned.model
        var kernel = dense.kernel
        zeroRows(&kernel, pruned.zeroFeatures(anatomy.recurrent.last!, nil))
        // The Jaccard index compares the whole (row-zeroed) output kernel, as for classes.
        let full = Dense.StepWeights(kernel: kernel, bias: dense.bias)
        dense.units = 1
        dense.kernel = selectColumns(kernel, [k]); dense.bias = selectColumns(dense.bias, [k])
        dense.stepWeights = nil
        m.nodes[anatomy.output].layer = dense
        return try module(model, m, concern: k, classIDs: [k], parts: anatomy.parts, copies: pruned.copies,
                          outputNode: anatomy.output, outputs: [full], removals: removals, config: config,
                          sourceSHA256: sourceSHA256, modelSet: modelSet)
    }
}

/// Multi-label scores: per-decision accuracy (the fraction of the N·K label decisions that are
/// right) of the model (outputs ≥ 0.5) and of the modules (each deciding its label), per label
/// and overall, and the exact-match rate (every label of a sample right).
public struct MultiLabelEvaluation: Codable, Sendable, Equatable {
    /// One label: the model's and its module's accuracy, and what the module keeps.
    public struct LabelScore: Codable, Sendable, Equatable {
        public var mma: Double
        public var cma: Double
        public var module: DecompositionEvaluation.ModuleSummary
        public var label: Int { module.concern }
        public var jaccard: Double { module.jaccard }
        public var structuralJaccard: Double { module.structuralJaccard }
        public var removedUnits: Int { module.removedUnits }
    }
    public var mma: Double
    public var cma: Double
    public var exactMatchMonolithic: Double
    public var exactMatchComposed: Double
    public var labels: [LabelScore]
    public var jaccardMean: Double
    public var structuralJaccardMean: Double

    /// The decision threshold of a sigmoid output.
    public static let threshold: Float = 0.5

    public static func evaluate(model: Model, modules: [Module], test: MultiLabelData, preset: DecompositionConfig.Preset) throws -> MultiLabelEvaluation {
        let (m, precision) = AuthorsSemantics.prepare(model, preset: preset)
        let anatomy = try ModelAnatomy(m)
        guard anatomy.head == .sigmoid, anatomy.numClasses == test.numLabels else {
            throw DecompositionError.dataMismatch("multi-label evaluation needs a sigmoid head over the data's \(test.numLabels) labels")
        }
        guard !modules.isEmpty else { throw DecompositionError.moduleMismatch("no modules") }
        let K = test.numLabels, N = test.count
        let p = try m.predict([m.inputs[0].name: test.x], precision: precision).prediction
        var rightMono = [Bool](repeating: true, count: N), rightComposed = [Bool](repeating: true, count: N)
        var scores: [LabelScore] = []
        for module in modules {
            let k = module.concern
            guard module.classIDs == [k], k < K else { throw DecompositionError.moduleMismatch("module for \(k) is not a multi-label module of \(K) labels") }
            let q = try module.dominantProbability(test.x, precision: precision)
            var mono = 0, comp = 0
            for i in 0..<N {
                let truth = test.labels[i * K + k] == 1
                let a = (p.data[i * K + k] >= threshold) == truth, b = (q[i] >= threshold) == truth
                mono += a ? 1 : 0; comp += b ? 1 : 0
                rightMono[i] = rightMono[i] && a; rightComposed[i] = rightComposed[i] && b
            }
            scores.append(LabelScore(mma: Double(mono) / Double(N), cma: Double(comp) / Double(N), module: .init(module)))
        }
        let exact = { (r: [Bool]) in Double(r.filter { $0 }.count) / Double(N) }
        return MultiLabelEvaluation(mma: try Statistics.mean(scores.map(\.mma)), cma: try Statistics.mean(scores.map(\.cma)),
                                    exactMatchMonolithic: exact(rightMono), exactMatchComposed: exact(rightComposed), labels: scores,
                                    jaccardMean: try Statistics.mean(scores.map(\.jaccard)),
                                    structuralJaccardMean: try Statistics.mean(scores.map(\.structuralJaccard)))
    }
}
