import Corpora
import Decomposition
import DecompositionInputs
import Foundation
import RNNKit
import Zoo

// MARK: - Inter-type reuse (RQ2, Table III "Inter")
//
// A module of a one-output model (1:1 or M:1) composed with a module of a many-output model
// (1:N or M:N). The two models must read the same inputs, so both are trained on a shared
// vocabulary. The kit's Corpora cannot load `<dataset>/combined` yet, so the shared vocabulary
// is built here from the two data sets' own vocabularies (index → word):
//
// - combined vocabulary = [""] + A's words in A's index order + B's words not in A, in B's order;
//   every token id is remapped through its word (an id without a word, e.g. a tokenizer's
//   out-of-vocabulary id, becomes 0);
// - both inputs are right-padded with 0 to the longer of the two input lengths; an M:N
//   data set's labels are right-padded with the padding label 0 alongside (they align with
//   the inputs).
//
// The composition of module a (one-output) and module b (many-output) on an input x: the
// one-output module's score is its dominant probability; the many-output module's is its
// dominant probability at the *decision step* s(x) — the last output step for 1:N, the
// position of the last non-zero input token for M:N (its tag aligns with that token). The
// higher score wins (the one-output module on ties). Test examples: A's test samples of
// class a (truth "a") and B's test samples whose label at s(x) is b (truth "b"). The
// comparison model is A's architecture trained from scratch on exactly that two-class,
// one-output task (A's samples of a → 0, B's samples of b at s(x) → 1), with A's recipe.

/// Token ids of two data sets on one shared vocabulary and one input length.
public enum SharedVocabulary {
    /// `a` and `b` remapped onto the combined vocabulary (see above).
    public static func merge(_ a: Dataset, _ b: Dataset) throws -> (Dataset, Dataset) {
        guard a.vocabulary.count > 1, b.vocabulary.count > 1 else {
            throw DecompositionError.dataMismatch("\(a.name) or \(b.name) has no vocabulary list to merge")
        }
        var words = a.vocabulary
        var index: [String: Int] = [:]
        for (i, w) in words.enumerated() where i > 0 && index[w] == nil { index[w] = i }
        for w in b.vocabulary.dropFirst() where index[w] == nil { index[w] = words.count; words.append(w) }
        let length = max(a.train.x.rowLength, b.train.x.rowLength)
        return (remap(a, words: words, index: index, length: length), remap(b, words: words, index: index, length: length))
    }

    static func remap(_ d: Dataset, words: [String], index: [String: Int], length: Int) -> Dataset {
        let table: [Int32] = d.vocabulary.enumerated().map { i, w in i == 0 ? 0 : Int32(index[w] ?? 0) }
        func ids(_ t: Int32Tensor) -> Int32Tensor {
            let w = t.rowLength
            var v = [Int32](repeating: 0, count: t.count * length)
            for i in 0..<t.count {
                for j in 0..<w {
                    let id = Int(t.values[i * w + j])
                    v[i * length + j] = id < table.count ? table[id] : 0
                }
            }
            return Int32Tensor(shape: [t.count, length], values: v)
        }
        func labels(_ t: Int32Tensor) -> Int32Tensor {
            guard d.task == .manyToMany, t.rowLength < length else { return t }
            let w = t.rowLength
            var v = [Int32](repeating: 0, count: t.count * length)
            for i in 0..<t.count { for j in 0..<w { v[i * length + j] = t.values[i * w + j] } }
            return Int32Tensor(shape: [t.count, length], values: v)
        }
        func split(_ s: Split) -> Split { Split(x: ids(s.x), y: labels(s.y)) }
        var out = d
        out.train = split(d.train); out.test = split(d.test); out.validation = d.validation.map(split)
        out.vocabulary = words
        out.vocabSize = words.count
        out.name = d.name + "/shared"
        return out
    }
}

/// The decision step s(x) of a many-output model's data (see above), per sample.
public enum DecisionStep {
    public static func steps(_ data: LabeledData, task: Task) -> [Int] {
        let s = data.outputSteps, w = data.x.count / max(data.count, 1)
        return (0..<data.count).map { i in
            guard task == .manyToMany else { return s - 1 }
            let row = data.x.data[(i * w)..<((i + 1) * w)]
            let last = row.lastIndex { $0 != 0 }.map { $0 - i * w } ?? (s - 1)
            return min(last, s - 1)
        }
    }
}

/// One-output × many-output composition and its test examples.
public enum InterScoring {
    /// Test examples of the pair (a of `one`, b of `many`): inputs stacked A then B, truth 0
    /// for A's (class a), 1 for B's (class b at the decision step).
    public static func examples(one: LabeledData, a: Int, many: LabeledData, manyTask: Task, b: Int) -> (x: Tensor, truth: [Int]) {
        let rowsA = (0..<one.count).filter { one.label($0) == a }
        let steps = DecisionStep.steps(many, task: manyTask)
        let rowsB = (0..<many.count).filter { many.label($0, step: steps[$0]) == b }
        let xa = one.inputs(rowsA), xb = many.inputs(rowsB)
        let x = Tensor(shape: [rowsA.count + rowsB.count] + Array(xa.shape.dropFirst()), data: xa.data + xb.data)
        return (x, Array(repeating: 0, count: rowsA.count) + Array(repeating: 1, count: rowsB.count))
    }

    /// 0 where the one-output module wins, 1 where the many-output module wins.
    public static func compose(one: Module, many: Module, x: Tensor, manyTask: Task) throws -> [Int] {
        let pa = try one.dominantProbability(x)
        let pb = try many.dominantProbability(x)
        let n = x.shape[0], s = pb.count / max(n, 1)
        let view = try LabeledData(x: x, labels: Array(repeating: 0, count: n * s), outputSteps: s, numClasses: 1)
        let steps = DecisionStep.steps(view, task: manyTask)
        return Voting.winners(labels: [0, 1], positions: 0..<n) { m, i in m == 0 ? pa[i] : pb[i * s + steps[i]] }
    }

    /// The two-class one-output training/test data: A's samples of a → 0, B's of b → 1.
    public static func twoConcernDataset(one: Dataset, a: Int, many: Dataset, manyTask: Task, b: Int) throws -> Dataset {
        func split(_ sa: Split, _ sb: Split) throws -> Split {
            let la = try LabeledData(x: Tensor(sa.x), labels: sa.y.values.map(Int.init), numClasses: one.numClasses)
            let lb = try LabeledData(x: Tensor(sb.x), labels: sb.y.values.map(Int.init), outputSteps: sb.y.rowLength, numClasses: many.numClasses)
            let (x, truth) = examples(one: la, a: a, many: lb, manyTask: manyTask, b: b)
            return Split(x: Int32Tensor(shape: x.shape, values: x.data.map { Int32($0) }), y: Int32Tensor(truth.map(Int32.init)))
        }
        var out = one
        out.train = try split(one.train, many.train); out.test = try split(one.test, many.test); out.validation = nil
        out.numClasses = 2
        out.labelNames = ["\(one.name):\(a)", "\(many.name):\(b)"]
        return out
    }
}

/// The models inter-type reuse and replacement need (`Zoo.derivedModel`).
extension ReuseTrainer {
    /// A model of `data` (already merged onto the shared vocabulary with `partner`) with
    /// `base`'s cell, depth, recipe and seed. Named by the partner, so chapters 4 and 5 share it.
    public func model(of data: Dataset, base: ZooModel, sharedWith partner: Dataset) throws -> Model {
        try zoo.derivedModel(data, like: base, tag: "shared-" + partner.name.replacingOccurrences(of: "/", with: "_"))
    }
}
