import Corpora
import Decomposition
import DecompositionInputs
import Metrics
import RNNKit

/// RQ3 intra-type replacement (Table IV) for one I/O type, cell and seed: among RNN-1…k the
/// worst and the best by test accuracy are decomposed, and for every class the worst model's
/// module is replaced by the best model's module of that class; δ = the composition's
/// accuracy − the worst model's own.
public enum IntraReplacement {
    public struct Row: Codable, Sendable {
        public var concern: Int; public var name: String; public var cma: Double; public var delta: Double
        /// Many-output: δ with every position counted, padding included, the worst model's
        /// padding-class module voting too (how the authors' evaluators count).
        public var deltaWithPadding: Double? = nil
    }
    public struct Result: Codable, Sendable {
        public var dataset: String
        public var depths: [Int]
        public var mma: [Double]
        public var worst: Int, best: Int
        /// The worst model's own modules composed (no replacement), for reference.
        public var worstCMA: Double
        public var rows: [Row]
        /// Many-output: the models' accuracies with padding positions counted.
        public var mmaWithPadding: [Double]? = nil
    }

    /// `models[i]` is RNN-`depths[i]`, all trained on `data`; `config` decomposes both picks.
    /// Every module is scored once on the test set; each replacement re-votes over those
    /// scores (the donor's in the replaced module's place), so K classes cost 2K module
    /// forward passes, not K².
    public static func run(models: [Model], depths: [Int], data: Dataset, config: DecompositionConfig) throws -> Result {
        let train = try LabeledData(data, split: "train"), test = try LabeledData(data, split: "test")
        let predictions = try models.map { m in try m.predict([m.inputs[0].name: test.x]).prediction.argmaxLastAxis() }
        let mma = try predictions.map { try replaceAccuracy($0, test) }
        let (w, b) = ReplaceSelection.worstAndBest(mma)
        let concerns = trainedConcerns(train)
        // Many-output: the worst model's padding-class module too (first), for the padding-counted δ.
        let padding = test.isManyOutput ? test.paddingLabel : nil
        let decomposedWorst = try Decomposer(model: models[w], config: config)
            .decompose(train: train, concerns: (padding.map { [$0] } ?? []) + concerns).modules
        let padModule = padding == nil ? nil : decomposedWorst.first
        let worstModules = padding == nil ? decomposedWorst : Array(decomposedWorst.dropFirst())
        let mmaWithPadding = padding == nil ? nil : try predictions.map { try Metrics.accuracy(predicted: $0, truth: test.labels) }
        let bestModules = w == b ? worstModules : try Decomposer(model: models[b], config: config).decompose(train: train, concerns: concerns).modules

        let worstComposed = try ComposedModel(modules: worstModules)
        let worstScores = try worstComposed.scores(test.x)
        let bestScores = w == b ? worstScores : try ComposedModel(modules: bestModules).scores(test.x)
        let padScores = try padModule.map { try $0.dominantProbability(test.x, precision: worstComposed.precision) }
        if let padScores, let first = worstScores.first, padScores.count != first.count {
            throw DecompositionError.moduleMismatch("the padding module scores \(padScores.count) positions, the others \(first.count)")
        }
        let worstCMA = try replaceAccuracy(Voting.winners(worstScores, labels: worstModules.map(\.concern)), test)
        let rows = try concerns.map { c -> Row in
            let d = bestModules.firstIndex { $0.concern == c }!
            let replaced = try worstModules.replacing(concern: c, with: bestModules[d])
            _ = try ComposedModel(modules: replaced)   // the composition's shape checks
            var scores = worstScores
            scores[worstModules.firstIndex { $0.concern == c }!] = bestScores[d]
            let labels = replaced.map(\.concern)
            let cma = try replaceAccuracy(Voting.winners(scores, labels: labels), test)
            let name = c < data.labelNames.count ? data.labelNames[c] : "\(c)"
            let counted = try padScores.map { pad in
                (try Metrics.accuracy(predicted: Voting.winners([pad] + scores, labels: [padModule!.concern] + labels), truth: test.labels) - mmaWithPadding![w]) * 100
            }
            return Row(concern: c, name: name, cma: cma, delta: (cma - mma[w]) * 100, deltaWithPadding: counted)
        }
        return Result(dataset: data.name, depths: depths, mma: mma, worst: w, best: b, worstCMA: worstCMA, rows: rows,
                      mmaWithPadding: mmaWithPadding)
    }

    /// The classes that get a module: every concern with at least one training label (a small
    /// synthetic subsample can miss a rare class entirely).
    public static func trainedConcerns(_ train: LabeledData) -> [Int] {
        let seen = Set(train.labels)
        return train.concerns.filter(seen.contains)
    }
}
