import Corpora
import Decomposition
import DecompositionInputs
import Foundation
import Metrics
import RNNKit
import Zoo

/// What one RQ2 reuse unit measures (Table III), for models of `layers` stacked layers: a pair
/// of modules composed by voting against the same architecture trained on the pair, on the
/// same test examples. Decomposed modules and shared-vocabulary data sets are memoised per
/// process, so units of one model share their work.
public final class ReuseStudy: @unchecked Sendable {
    public let setup: ExperimentSetup
    public let layers: Int
    private let cache = ModuleCache()
    private let sharedLock = NSLock()
    private var sharedData: [String: (Dataset, Dataset)] = [:]

    public init(_ setup: ExperimentSetup, layers: Int) { self.setup = setup; self.layers = layers }

    /// The classes that get a module (many-output: every class but padding, 0), and the names of all.
    public func classes(_ task: Task) throws -> (concerns: [Int], names: [String]) {
        let data = try setup.zoo.dataset(for: setup.model(task, cell: .rnn, layers: layers))
        return (task == .oneToMany || task == .manyToMany ? Array(1..<data.numClasses) : Array(0..<data.numClasses), data.labelNames)
    }

    /// Intra-type: two modules of one model. A seed sets the source model's training, the
    /// decomposition's sampling and the two-class model's training. One-output two-class
    /// models come from the zoo (`classes: [c1, c2]`, labels renumbered 0, 1); many-output ones
    /// are trained with the zoo's recipe on `Dataset.twoClassSequences` (other labels become
    /// padding), since the zoo cannot subset sequence labels.
    public func intra(_ task: Task, _ cell: CellKind, _ pair: ReusePair, seed: UInt64) throws -> ReuseRow {
        let base = setup.model(task, cell: cell, layers: layers, seed: seed)
        let entry = try setup.zoo.entry(base)
        let data = try setup.zoo.dataset(for: base)
        let train = try LabeledData(data, split: "train"), test = try LabeledData(data, split: "test")
        let modules = try cache.modules("\(base)", concerns: pair.classes) { missing in
            try Decomposer(model: entry.model, config: .paper(for: task, seed: seed)).decompose(train: train, concerns: missing).modules
        }
        let composed = try ReuseScoring.composed(modules, test: test, pair: pair)
        let trained: (correct: Int, total: Int)
        if test.isManyOutput {
            let model = try ReuseTrainer(zoo: setup.zoo).model(base: base, pair: pair)
            trained = try ReuseScoring.trained(model, slots: [nil, pair.c1, pair.c2], test: test, pair: pair)
        } else {
            let model = try setup.zoo.entry(setup.model(task, cell: cell, layers: layers, classes: pair.classes, seed: seed)).model
            trained = try ReuseScoring.trained(model, slots: [pair.c1, pair.c2], test: test, pair: pair)
        }
        guard composed.total == trained.total else {
            throw DecompositionError.moduleMismatch("composed and trained scored different examples (\(composed.total), \(trained.total))")
        }
        return ReuseRow(kind: "intra", task: task.rawValue, cell: cell.rawValue, layers: layers, c1: pair.c1, c2: pair.c2,
                        composed: Double(composed.correct) / Double(composed.total),
                        trained: Double(trained.correct) / Double(trained.total), scored: composed.total)
    }

    /// Translation: modules of target languages l1 and l2 (each decodes its own language,
    /// decomposed rolled) against an encoder-decoder trained on those two languages; BLEU-4 per
    /// language on the test pairs of l1 and l2, averaged over the two languages.
    public func translation(_ cell: CellKind, _ pair: ReusePair, seed: UInt64) throws -> ReuseRow {
        let base = setup.model(.encoderDecoder, cell: cell, layers: layers, seed: seed)
        let entry = try setup.zoo.entry(base)
        let train = try TranslationData(try setup.zoo.dataset(for: base), split: "train")
        let modules = try cache.modules("\(base)", concerns: pair.classes) { missing in
            try Decomposer(model: entry.model, config: .paper(mode: .rolled, seed: seed)).decomposeTranslation(train: train, languages: missing).modules
        }
        let pairModel = setup.model(.encoderDecoder, cell: cell, layers: layers, classes: pair.classes, seed: seed)
        let trained = try setup.zoo.entry(pairModel).model
        let test = try TranslationData(try setup.zoo.dataset(for: pairModel), split: "test")
        // Each language's sentences: its module against the two-language model.
        var composed: [Double] = [], trainedBLEU: [Double] = [], sentences = 0
        for (l, module) in zip(pair.classes, modules) {
            guard let c = try test.bleu(of: module.model, language: l), let t = try test.bleu(of: trained, language: l) else {
                throw DecompositionError.emptyClass(l)
            }
            composed.append(c.bleu); sentences += c.sentences
            trainedBLEU.append(t.bleu)
        }
        return ReuseRow(kind: "translation", task: Task.encoderDecoder.rawValue, cell: cell.rawValue, layers: layers, c1: pair.c1, c2: pair.c2,
                        composed: try Statistics.mean(composed), trained: try Statistics.mean(trainedBLEU), scored: sentences)
    }

    /// The two data sets of an inter-type pair of I/O types on their shared vocabulary (built
    /// here: `Corpora` cannot load `<dataset>/combined` yet), once per process.
    public func shared(_ one: Task, _ many: Task) throws -> (Dataset, Dataset) {
        try sharedLock.withLock {
            let key = "\(one.rawValue)+\(many.rawValue)"
            if let d = sharedData[key] { return d }
            let d = try SharedVocabulary.merge(try setup.zoo.dataset(for: setup.model(one, cell: .rnn, layers: layers)),
                                               try setup.zoo.dataset(for: setup.model(many, cell: .rnn, layers: layers)))
            sharedData[key] = d
            return d
        }
    }

    /// Inter-type: a module (class a) of a one-output model and one (class b) of a many-output
    /// model, both trained on the shared vocabulary; see ReuseInter.swift for the composition
    /// and the test examples.
    public func inter(_ one: Task, _ many: Task, _ cell: CellKind, _ pair: ReusePair, seed: UInt64) throws -> ReuseRow {
        let (da, db) = try shared(one, many)
        let baseA = setup.model(one, cell: cell, layers: layers, seed: seed), baseB = setup.model(many, cell: cell, layers: layers, seed: seed)
        let trainer = ReuseTrainer(zoo: setup.zoo)
        let modelA = try trainer.model(of: da, base: baseA, sharedWith: db)
        let modelB = try trainer.model(of: db, base: baseB, sharedWith: da)
        let moduleA = try cache.modules("\(baseA) shared", concerns: [pair.c1]) { missing in
            try Decomposer(model: modelA, config: .paper(for: one, seed: seed)).decompose(train: try LabeledData(da, split: "train"), concerns: missing).modules
        }[0]
        let moduleB = try cache.modules("\(baseB) shared", concerns: [pair.c2]) { missing in
            try Decomposer(model: modelB, config: .paper(for: many, seed: seed)).decompose(train: try LabeledData(db, split: "train"), concerns: missing).modules
        }[0]
        let (x, truth) = InterScoring.examples(one: try LabeledData(da, split: "test"), a: pair.c1,
                                               many: try LabeledData(db, split: "test"), manyTask: many, b: pair.c2)
        let composed = try InterScoring.compose(one: moduleA, many: moduleB, x: x, manyTask: many)
        let task = try InterScoring.twoConcernDataset(one: da, a: pair.c1, many: db, manyTask: many, b: pair.c2)
        let trained = try setup.zoo.derivedModel(task, like: baseA, tag: "shared-\(many.rawValue)-pair\(pair.c1)_\(pair.c2)")
        let predicted = try trained.predict([trained.inputs[0].name: x]).prediction.argmaxLastAxis()
        func acc(_ p: [Int]) -> Double { Double(zip(p, truth).filter { $0 == $1 }.count) / Double(max(truth.count, 1)) }
        return ReuseRow(kind: "inter", task: "\(one.rawValue)+\(many.rawValue)", cell: cell.rawValue, layers: layers, c1: pair.c1, c2: pair.c2,
                        composed: acc(composed), trained: acc(predicted), scored: truth.count)
    }

    /// Inter-type pairs (a of the one-output model, b of the many-output model) with test
    /// examples on both sides: all, or `count` evenly spread.
    public func interPairs(_ one: Task, _ many: Task, count: Int?) throws -> [ReusePair] {
        let (da, db) = try shared(one, many)
        let ta = try LabeledData(da, split: "test"), tb = try LabeledData(db, split: "test")
        let steps = DecisionStep.steps(tb, task: many)
        let presentB = Set((0..<tb.count).map { tb.label($0, step: steps[$0]) }).subtracting([0])
        let presentA = Set(ta.labels)
        var all: [ReusePair] = []
        for a in 0..<da.numClasses where presentA.contains(a) { for b in 1..<db.numClasses where presentB.contains(b) { all.append(ReusePair(a, b)) } }
        guard let k = count, k < all.count else { return all }
        return (0..<k).map { all[$0 * all.count / k] }
    }
}

/// One pair of Table III: intra-type (`task`, its two classes), translation (`.encoderDecoder`,
/// two target languages) or inter-type (`task` the one-output type, `partner` the many-output one).
public struct ReuseItem: Sendable {
    public var task: Task
    public var partner: Task?
    public var cell: CellKind
    public var pair: ReusePair
    public init(task: Task, partner: Task? = nil, cell: CellKind, pair: ReusePair) {
        self.task = task; self.partner = partner; self.cell = cell; self.pair = pair
    }
}

extension ReuseStudy {
    /// The I/O labels of Table III's rows ("encoder-decoder" spelled out there).
    public static func ioLabel(_ t: Task) -> String { t == .encoderDecoder ? "encoder-decoder" : PaperModels.ioLabel(t) }
}
