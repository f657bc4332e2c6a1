import Corpora
import Decomposition
import DecompositionInputs
import Notebook
import RNNKit
import Zoo

/// RQ3 inter-type replacement (Table IV) for one family, cell and seed, both directions: a
/// module of the one-output model (1:1, M:1) is replaced by a module of the many-output model
/// (1:N, M:N) and the reverse. Both models are trained on the shared vocabulary chapter 4
/// builds (`SharedVocabulary`), so that a token id means the same word to both.
public enum InterReplacement {
    public struct Row: Codable, Sendable {
        public var recipient: String, donor: String
        public var replaced: Int, replacedName: String, with: Int, withName: String
        public var samples: Int
        public var cma: Double, baseline: Double
        public var delta: Double { (cma - baseline) * 100 }
    }
    public struct Result: Codable, Sendable {
        public var oneOutputMMA: Double, manyOutputMMA: Double
        public var rows: [Row]
        public var vocabulary: String
    }

    /// Deterministic (replaced, replacement) pairs: all of them, or the first `n` of a fixed
    /// walk that visits different classes on both sides.
    public static func pairs(_ a: [Int], _ b: [Int], _ n: Int?) -> [(Int, Int)] {
        guard let n else { return a.flatMap { x in b.map { (x, $0) } } }
        return (0..<n).map { k in (a[(k * 2) % a.count], b[(k * 3 + 1) % b.count]) }
    }

    /// `pairs`: per direction (nil: every pair); `samplesPerClass` as the intra units decompose.
    public static func run(_ setup: ExperimentSetup, one: Task, many: Task, cell: CellKind, layers: Int, seed: UInt64,
                           pairs n: Int?, samplesPerClass: Int) throws -> Result {
        // Both models on one shared vocabulary (the models chapter 4 trains for the same
        // cell and depth: same zoo keys and tags, so the cache serves both chapters).
        let baseOne = setup.model(one, cell: cell, layers: layers, seed: seed), baseMany = setup.model(many, cell: cell, layers: layers, seed: seed)
        let (oneData, manyData) = try SharedVocabulary.merge(try setup.zoo.dataset(for: baseOne), try setup.zoo.dataset(for: baseMany))
        let trainer = ReuseTrainer(zoo: setup.zoo)
        let oneModel = try trainer.model(of: oneData, base: baseOne, sharedWith: manyData)
        let manyModel = try trainer.model(of: manyData, base: baseMany, sharedWith: oneData)
        let oneTrain = try LabeledData(oneData, split: "train"), oneTest = try LabeledData(oneData, split: "test")
        let manyTrain = try LabeledData(manyData, split: "train"), manyTest = try LabeledData(manyData, split: "test")
        let oneMMA = try monolithicAccuracy(oneModel, oneTest), manyMMA = try monolithicAccuracy(manyModel, manyTest)
        let oneConcerns = IntraReplacement.trainedConcerns(oneTrain), manyConcerns = IntraReplacement.trainedConcerns(manyTrain)
        let toMany = pairs(oneConcerns, manyConcerns, n)      // one-output recipient
        let toOne = pairs(manyConcerns, oneConcerns, n)       // many-output recipient
        let oneModules = try Decomposer(model: oneModel, config: .paper(for: one, seed: seed, samplesPerClass: samplesPerClass))
            .decompose(train: oneTrain, concerns: oneConcerns).modules
        let manyModules = try Decomposer(model: manyModel, config: .paper(for: many, seed: seed, samplesPerClass: samplesPerClass))
            .decompose(train: manyTrain, concerns: manyConcerns).modules
        func name(_ d: Dataset, _ c: Int) -> String { c < d.labelNames.count ? d.labelNames[c] : "\(c)" }
        var rows: [Row] = []
        // Every module is scored once on a pool of all recipient and donor test samples;
        // each pair's problem is a selection of pool rows (InterReplaceProblem.*Rows).
        let onePool = InterReplaceProblem.pool(recipient: oneTest, donor: manyTest)
        let oneScores = try MixedComposition(voters: oneModules.map { .init(module: $0, label: $0.concern) }
                                             + manyModules.map { .init(module: $0, label: oneTest.numClasses) },
                                             outputSteps: 1).scores(onePool)
        for (c, d) in toMany {
            let problem = try InterReplaceProblem.oneOutput(recipient: oneTest, replaced: c, donor: manyTest, donorClass: d)
            let poolRows = InterReplaceProblem.oneOutputRows(recipient: oneTest, replaced: c, donor: manyTest, donorClass: d)
            let voters = oneModules.indices.filter { oneModules[$0].concern != c } + [oneModules.count + manyModules.firstIndex { $0.concern == d }!]
            let predicted = Voting.winners(voters.map { gatherRows(oneScores[$0], rows: poolRows, steps: 1) },
                                           labels: voters.map { $0 < oneModules.count ? oneModules[$0].concern : oneTest.numClasses })
            rows.append(Row(recipient: PaperModels.ioLabel(one), donor: PaperModels.ioLabel(many), replaced: c, replacedName: name(oneData, c),
                            with: d, withName: name(manyData, d), samples: problem.count, cma: try replaceAccuracy(predicted, problem), baseline: oneMMA))
        }
        let manyPool = InterReplaceProblem.pool(recipient: manyTest, donor: oneTest)
        let steps = manyTest.outputSteps
        let manyScores = try MixedComposition(voters: manyModules.map { .init(module: $0, label: $0.concern) }
                                              + oneModules.map { .init(module: $0, label: manyTest.numClasses) },
                                              outputSteps: steps).scores(manyPool)
        for (c, d) in toOne {
            let problem = try InterReplaceProblem.manyOutput(recipient: manyTest, replaced: c, donor: oneTest, donorClass: d)
            let poolRows = InterReplaceProblem.manyOutputRows(recipient: manyTest, replaced: c, donor: oneTest, donorClass: d)
            let voters = manyModules.indices.filter { manyModules[$0].concern != c } + [manyModules.count + oneModules.firstIndex { $0.concern == d }!]
            let predicted = Voting.winners(voters.map { gatherRows(manyScores[$0], rows: poolRows, steps: steps) },
                                           labels: voters.map { $0 < manyModules.count ? manyModules[$0].concern : manyTest.numClasses })
            rows.append(Row(recipient: PaperModels.ioLabel(many), donor: PaperModels.ioLabel(one), replaced: c, replacedName: name(manyData, c),
                            with: d, withName: name(oneData, d), samples: problem.count, cma: try replaceAccuracy(predicted, problem), baseline: manyMMA))
        }
        return Result(oneOutputMMA: oneMMA, manyOutputMMA: manyMMA, rows: rows,
                      vocabulary: "one shared vocabulary of \(Format.grouped(oneData.vocabulary.count)) words (SharedVocabulary, as chapter 4)")
    }

    /// The monolithic model's accuracy, scored like the composition (padding skipped).
    static func monolithicAccuracy(_ m: Model, _ test: LabeledData) throws -> Double {
        try replaceAccuracy(m.predict([m.inputs[0].name: test.x]).prediction.argmaxLastAxis(), test)
    }
}
