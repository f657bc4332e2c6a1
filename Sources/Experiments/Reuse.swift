import Corpora
import Decomposition
import DecompositionInputs
import Foundation
import KitFiles
import Metrics
import RNNKit
import Zoo

// MARK: - Pairs

/// Which pairs of classes a reuse experiment composes (RQ2, Table III).
public enum ReusePairs {
    /// Every unordered pair (c1 < c2 in the given order), lexicographic: (a,b), (a,c), …, (b,c), ….
    public static func all(_ classes: [Int]) -> [ReusePair] {
        var out: [ReusePair] = []
        for i in classes.indices { for j in classes.indices where j > i { out.append(ReusePair(classes[i], classes[j])) } }
        return out
    }

    /// `count` pairs spread evenly over `all(classes)` (the k-th pick is pair ⌊k·P/count⌋ of the
    /// P pairs), so a small run still meets every class region; nil or count ≥ P = all pairs.
    public static func spread(_ classes: [Int], count: Int?) -> [ReusePair] {
        let every = all(classes)
        guard let count, count < every.count else { return every }
        guard count > 0 else { return [] }
        return (0..<count).map { every[$0 * every.count / count] }
    }
}

/// Two concerns to compose; `c1` and `c2` are class ids of the source model.
public struct ReusePair: Hashable, Codable, Sendable, CustomStringConvertible {
    public var c1: Int
    public var c2: Int
    public init(_ c1: Int, _ c2: Int) { self.c1 = c1; self.c2 = c2 }
    public var classes: [Int] { [c1, c2] }
    public var description: String { "\(c1)–\(c2)" }
}

// MARK: - Scoring on the pair's examples

/// Accuracy on the examples of a pair: one-output — the test samples whose label is c1 or c2;
/// many-output — the (sample, step) positions whose true label is c1 or c2 (other labels,
/// padding included, are not scored), over the samples that have at least one such position.
public enum ReuseScoring {
    /// Indices of the samples that take part.
    public static func rows(_ data: LabeledData, _ pair: ReusePair) -> [Int] {
        (0..<data.count).filter { i in (0..<data.outputSteps).contains { pair.classes.contains(data.label(i, step: $0)) } }
    }

    /// Correct and scored positions: `predicted` and `truth` are row-major over the same
    /// samples (one per sample, or one per sample·step); only positions whose truth is in
    /// `pair` count.
    public static func score(predicted: [Int], truth: [Int], pair: ReusePair) -> (correct: Int, total: Int) {
        precondition(predicted.count == truth.count, "\(predicted.count) predictions for \(truth.count) labels")
        var correct = 0, total = 0
        for (p, t) in zip(predicted, truth) where t == pair.c1 || t == pair.c2 {
            total += 1
            if p == t { correct += 1 }
        }
        return (correct, total)
    }

    /// The composition of two modules on the pair's examples of `test`: every module sees the
    /// same input, the more confident in its own concern wins (ALGORITHMS.md §2).
    public static func composed(_ modules: [Module], test: LabeledData, pair: ReusePair) throws -> (correct: Int, total: Int) {
        let rows = rows(test, pair)
        guard !rows.isEmpty else { throw DecompositionError.emptyClass(pair.c1) }
        let predicted = try ComposedModel(modules: modules).predict(test.inputs(rows))
        return score(predicted: predicted, truth: truth(test, rows), pair: pair)
    }

    /// A model trained on the two classes only, on the same examples. Its output slot `k`
    /// stands for `slots[k]` (nil: a slot that is not a class of the pair, e.g. padding,
    /// never predicted): the prediction is the argmax over the pair's slots.
    public static func trained(_ model: Model, slots: [Int?], test: LabeledData, pair: ReusePair) throws -> (correct: Int, total: Int) {
        let rows = rows(test, pair)
        guard !rows.isEmpty else { throw DecompositionError.emptyClass(pair.c1) }
        let p = try model.predict([model.inputs[0].name: test.inputs(rows)]).prediction
        let k = slots.count
        guard p.count % k == 0 else { throw DecompositionError.dataMismatch("the trained model has \(p.shape.last ?? 0) outputs, expected \(k)") }
        let predicted = stride(from: 0, to: p.count, by: k).map { start -> Int in
            var best: Int? = nil
            for s in 0..<k where slots[s] != nil && (best == nil || p.data[start + s] > p.data[start + best!]) { best = s }
            return slots[best!]!
        }
        return score(predicted: predicted, truth: truth(test, rows), pair: pair)
    }

    static func truth(_ data: LabeledData, _ rows: [Int]) -> [Int] {
        rows.flatMap { i in (0..<data.outputSteps).map { data.label(i, step: $0) } }
    }
}

// MARK: - Two-class data of many-output tasks

extension Dataset {
    /// A many-output data set reduced to two classes (the zoo's `restricted(to:)` does not
    /// take sequence labels): samples without any position labelled c1 or c2 are dropped;
    /// c1 → 1, c2 → 2, every other label → 0 (the padding label, which takes no part in
    /// training loss or scoring). So the model learns the two classes and nothing else.
    public func twoClassSequences(_ pair: ReusePair) throws -> Dataset {
        guard task == .oneToMany || task == .manyToMany else {
            throw DecompositionError.dataMismatch("\(name) is \(task.rawValue): use the zoo's class subsets")
        }
        guard paddingLabel == 0, pair.c1 != 0, pair.c2 != 0, pair.c1 != pair.c2,
              (0..<numClasses).contains(pair.c1), (0..<numClasses).contains(pair.c2) else {
            throw DecompositionError.dataMismatch("pair \(pair) of \(name): classes are 1..<\(numClasses), 0 is padding")
        }
        func keep(_ s: Split) -> Split {
            let w = s.y.rowLength
            let rows = (0..<s.count).filter { i in s.y.values[(i * w)..<((i + 1) * w)].contains { $0 == Int32(pair.c1) || $0 == Int32(pair.c2) } }
            var sub = s.subset(rows)
            sub.y = Int32Tensor(shape: sub.y.shape, values: sub.y.values.map { $0 == Int32(pair.c1) ? 1 : $0 == Int32(pair.c2) ? 2 : 0 })
            return sub
        }
        var out = self
        out.train = keep(train); out.test = keep(test); out.validation = validation.map(keep)
        out.numClasses = 3
        out.labelNames = [labelNames.first ?? "<pad>"] + pair.classes.map { $0 < labelNames.count ? labelNames[$0] : "\($0)" }
        return out
    }
}

/// Models trained from scratch on two classes of a many-output task (the zoo cannot subset
/// sequence labels), with the zoo's recipe and architecture for the base model (`Zoo.derivedModel`).
public struct ReuseTrainer: Sendable {
    public var zoo: Zoo
    public init(zoo: Zoo) { self.zoo = zoo }

    public func model(base: ZooModel, pair: ReusePair) throws -> Model {
        try zoo.derivedModel(try zoo.dataset(for: base).twoClassSequences(pair), like: base, tag: "pair\(pair.c1)_\(pair.c2)", ignoreLabel: .some(0))
    }
}

// MARK: - Results

/// One reuse measurement (a work unit's result): a pair composed from modules against a
/// model trained from scratch on the pair. Accuracy as fractions; BLEU as fractions too.
public struct ReuseRow: Codable, Sendable, Equatable {
    /// `intra` (classes) or `translation` (target languages).
    public var kind: String
    public var task: String
    public var cell: String
    public var layers: Int
    public var c1: Int
    public var c2: Int
    public var composed: Double
    public var trained: Double
    /// Scored positions (accuracy) or test sentences (BLEU).
    public var scored: Int
    /// Composed − trained, in percentage points (BLEU points ×100 for translation).
    public var delta: Double { (composed - trained) * 100 }

    public init(kind: String, task: String, cell: String, layers: Int, c1: Int, c2: Int, composed: Double, trained: Double, scored: Int) {
        self.kind = kind; self.task = task; self.cell = cell; self.layers = layers; self.c1 = c1; self.c2 = c2
        self.composed = composed; self.trained = trained; self.scored = scored
    }
}

/// Modules computed once per process and concern: a pair unit decomposes only its two
/// concerns, and a concern's module does not depend on which others are decomposed (its
/// samples are seeded by the concern and step).
public final class ModuleCache: @unchecked Sendable {
    private var modules: [String: Module] = [:]
    /// One lock per model key: units of different models decompose in parallel, units of one
    /// model wait for each other's concerns instead of decomposing them twice.
    private let keyLocks = KeyedLocks()
    private let lock = NSLock()
    public init() {}

    public func modules(_ key: String, concerns: [Int], make: ([Int]) throws -> [Module]) throws -> [Module] {
        try keyLocks.withLock(key) {
            let missing = lock.withLock { concerns.filter { modules["\(key)#\($0)"] == nil } }
            if !missing.isEmpty {
                let made = try make(missing)
                lock.withLock { for m in made { modules["\(key)#\(m.concern)"] = m } }
            }
            return try lock.withLock {
                try concerns.map { c in
                    guard let m = modules["\(key)#\(c)"] else { throw DecompositionError.emptyClass(c) }
                    return m
                }
            }
        }
    }
}
