import Decomposition
import DecompositionInputs
import Metrics
import RNNKit

// MARK: - RQ3 replacement: swapping one module for another, and voting across I/O types
//
// Intra-type replacement keeps the module set of the worst RNN-k and swaps one class's module
// for the same class's module of the best RNN-k; both read the same inputs, so the library's
// `ComposedModel` composes them. Inter-type replacement swaps a module of a one-output model
// (1:1, M:1) for a module of a many-output model (1:N, M:N) or the reverse; such modules give
// one score per sample or one per (sample, step), so `MixedComposition` below defines how they
// vote together. Shapes: N samples, T input steps, S output steps.

/// Picks the models a replacement experiment uses.
public enum ReplaceSelection {
    /// Indices of the worst and the best of `scores` (e.g. test accuracy of RNN-1…4): the
    /// worst is the lowest score (on ties the later, i.e. deeper, model); the best the highest
    /// (on ties the earlier). With one score both are 0.
    public static func worstAndBest(_ scores: [Double]) -> (worst: Int, best: Int) {
        precondition(!scores.isEmpty, "no models to choose from")
        var worst = 0, best = 0
        for i in scores.indices {
            if scores[i] <= scores[worst] { worst = i }
            if scores[i] > scores[best] { best = i }
        }
        return (worst, best)
    }
}

/// Errors of the replacement helpers (messages say what to change).
public enum ReplaceError: Error, CustomStringConvertible {
    case noModule(concern: Int)
    case shapeMismatch(String)
    public var description: String {
        switch self {
        case let .noModule(c): return "the recipient has no module for class \(c) to replace"
        case let .shapeMismatch(s): return s
        }
    }
}

extension Array where Element == Module {
    /// These modules with the module of `concern` replaced by `donor` (same position, so the
    /// first-wins tie rule of voting is unchanged).
    public func replacing(concern: Int, with donor: Module) throws -> [Module] {
        guard let i = firstIndex(where: { $0.concern == concern }) else { throw ReplaceError.noModule(concern: concern) }
        var out = self
        out[i] = donor
        return out
    }
}

/// Fits token ids `[N, T]` to a model reading `steps` tokens the way the data sets were
/// padded (Keras `pad_sequences(padding: "pre", truncating: "post")`): each row's tokens
/// (its non-zero ids, in order) keep their first `steps`, with zeros in front.
/// `steps == nil` (any length) or `== T`: unchanged.
public func fitTokens(_ x: Tensor, steps: Int?) -> Tensor {
    let n = x.shape[0], t = x.shape[1]
    guard let s = steps, s != t else { return x }
    return padRows((0..<n).map { i in x.data[(i * t)..<((i + 1) * t)].filter { $0 != 0 } }, steps: s)
}

/// Rows of token ids, truncated "post" and padded "pre" to `steps`.
func padRows(_ rows: [[Float]], steps s: Int) -> Tensor {
    var data = [Float](repeating: 0, count: rows.count * s)
    for (i, r) in rows.enumerated() {
        let kept = r.prefix(s)
        for (j, v) in kept.enumerated() { data[i * s + s - kept.count + j] = v }
    }
    return Tensor(shape: [rows.count, s], data: data)
}

/// A composition of modules that may come from models of different I/O types, for a problem
/// with `outputSteps` outputs per sample (1 = one-output). Each module votes for `label`; the
/// prediction is the label of the most confident module (the first on ties), per sample or
/// per (sample, step).
///
/// How a module's scores meet the problem's shape (ours; the paper does not say):
/// - every module reads the same token ids (one shared vocabulary), fitted to its input
///   length (pre-padding, post-truncation);
/// - a many-output module in a one-output problem scores a sample by its highest dominant
///   probability over the output steps ("the sample contains the concern somewhere");
/// - a one-output module in a many-output problem gives its one score to every step.
public struct MixedComposition: Sendable {
    public struct Voter: Sendable {
        public var module: Module
        public var label: Int
        public init(module: Module, label: Int) { self.module = module; self.label = label }
    }
    public var voters: [Voter]
    public var outputSteps: Int
    public var precision: Precision

    public init(voters: [Voter], outputSteps: Int, precision: Precision = .auto) throws {
        guard !voters.isEmpty else { throw ReplaceError.shapeMismatch("no modules to compose") }
        self.voters = voters; self.outputSteps = outputSteps; self.precision = precision
    }

    /// Each voter's scores `[N · S]`.
    public func scores(_ x: Tensor) throws -> [[Float]] {
        let n = x.shape[0], s = outputSteps
        return try voters.map { v in
            let steps = v.module.model.inputs[0].shape[1] ?? nil
            let input = fitTokens(x, steps: steps)
            let p = try v.module.dominantProbability(input, precision: precision)
            guard n > 0, p.count % n == 0 else { throw ReplaceError.shapeMismatch("module \(v.module.concern): \(p.count) scores for \(n) samples") }
            let own = p.count / n
            if own == s { return p }
            if s == 1 { return (0..<n).map { i in p[(i * own)..<((i + 1) * own)].max()! } }
            if own == 1 { return (0..<(n * s)).map { p[$0 / s] } }
            throw ReplaceError.shapeMismatch("module \(v.module.concern) has \(own) output steps, the problem \(s)")
        }
    }

    /// Predicted labels, `[N]` or row-major `[N, S]`.
    public func predict(_ x: Tensor) throws -> [Int] {
        Voting.winners(try scores(x), labels: voters.map(\.label))
    }

    /// Accuracy on `data` (many-output: positions whose true label is the padding label are skipped).
    public func accuracy(on data: LabeledData) throws -> Double {
        try replaceAccuracy(predict(data.x), data)
    }

}

/// Scores `[rows · steps]` of the rows `rows` of a row-major `[N, steps]` score array.
public func gatherRows(_ scores: [Float], rows: [Int], steps: Int) -> [Float] {
    rows.flatMap { scores[($0 * steps)..<(($0 + 1) * steps)] }
}

extension InterReplaceProblem {
    /// Every sample an inter problem can draw on: the recipient's test samples (rows
    /// 0..<R), then all the donor's, encoded as in the problems (rows R..<R+D). Scoring every
    /// module once on the pool and gathering rows gives the same scores as scoring each problem.
    public static func pool(recipient: LabeledData, donor: LabeledData) -> Tensor {
        concat(recipient.x, fitTokens(donor.x, steps: recipient.x.shape[1]))
    }

    /// The pool rows of `oneOutput(recipient:replaced:donor:donorClass:)`'s samples, in order.
    public static func oneOutputRows(recipient: LabeledData, replaced: Int, donor: LabeledData, donorClass: Int) -> [Int] {
        let keep = (0..<recipient.count).filter { recipient.label($0) != replaced }
        let carriers = (0..<donor.count).filter { i in (0..<donor.outputSteps).contains { donor.label(i, step: $0) == donorClass } }
        return keep + carriers.prefix(recipient.count - keep.count).map { recipient.count + $0 }
    }

    /// The pool rows of `manyOutput(recipient:replaced:donor:donorClass:)`'s samples, in order.
    public static func manyOutputRows(recipient: LabeledData, replaced: Int, donor: LabeledData, donorClass: Int) -> [Int] {
        let carriers = (0..<recipient.count).filter { i in (0..<recipient.outputSteps).contains { recipient.label(i, step: $0) == replaced } }.count
        return Array(0..<recipient.count) + (0..<donor.count).filter { donor.label($0) == donorClass }.prefix(carriers).map { recipient.count + $0 }
    }

}

/// Accuracy of predictions `[N]` or `[N, S]` against `data`'s labels, skipping padding.
public func replaceAccuracy(_ predicted: [Int], _ data: LabeledData) throws -> Double {
    guard data.isManyOutput, let pad = data.paddingLabel else { return try Metrics.accuracy(predicted: predicted, truth: data.labels) }
    let s = data.outputSteps
    func rows(_ v: [Int]) -> [[Int]] { (0..<(v.count / s)).map { Array(v[($0 * s)..<(($0 + 1) * s)]) } }
    return try Metrics.accuracy(predicted: rows(predicted), truth: rows(data.labels), paddingLabel: pad)
}

/// The test problems of inter-type replacement. The recipient's class `replaced` leaves the
/// problem; the donor's class `donorClass` joins it as the new label `recipient.numClasses`.
public enum InterReplaceProblem {
    /// One-output recipient (1:1, M:1), many-output donor (1:N, M:N). Samples: the recipient's
    /// test samples of every other class, then the first donor test samples that carry
    /// `donorClass` at some step — as many as the recipient had of `replaced` (or all there are)
    /// — labelled with the new label. Donor inputs (same vocabulary) are fitted to the
    /// recipient's length.
    public static func oneOutput(recipient: LabeledData, replaced: Int, donor: LabeledData, donorClass: Int) throws -> LabeledData {
        let keep = (0..<recipient.count).filter { recipient.label($0) != replaced }
        let wanted = recipient.count - keep.count
        let carriers = (0..<donor.count).filter { i in (0..<donor.outputSteps).contains { donor.label(i, step: $0) == donorClass } }
        let donorRows = Array(carriers.prefix(wanted))
        let x = concat(recipient.inputs(keep), fitTokens(donor.inputs(donorRows), steps: recipient.x.shape[1]))
        let labels = keep.map { recipient.label($0) } + donorRows.map { _ in recipient.numClasses }
        return try LabeledData(x: x, labels: labels, numClasses: recipient.numClasses + 1)
    }

    /// Many-output recipient (1:N, M:N), one-output donor (1:1, M:1). Samples: every recipient
    /// test sample, with the positions labelled `replaced` turned into padding (not scored),
    /// then the first donor test samples of `donorClass` — as many as recipient samples carried
    /// `replaced` (or all there are) — labelled with the new label at their last output step
    /// and padding elsewhere (a one-output sample has one label; pre-padded sequences end in it).
    public static func manyOutput(recipient: LabeledData, replaced: Int, donor: LabeledData, donorClass: Int) throws -> LabeledData {
        guard let pad = recipient.paddingLabel else { throw ReplaceError.shapeMismatch("a many-output recipient needs a padding label") }
        let s = recipient.outputSteps
        let labels = recipient.labels.map { $0 == replaced ? pad : $0 }
        let carriers = (0..<recipient.count).filter { i in (0..<s).contains { recipient.label(i, step: $0) == replaced } }.count
        let donorRows = Array((0..<donor.count).filter { donor.label($0) == donorClass }.prefix(carriers))
        let extra = donorRows.flatMap { _ in [Int](repeating: pad, count: s - 1) + [recipient.numClasses] }
        let x = concat(recipient.x, fitTokens(donor.inputs(donorRows), steps: recipient.x.shape[1]))
        return try LabeledData(x: x, labels: labels + extra, outputSteps: s, numClasses: recipient.numClasses + 1, paddingLabel: pad)
    }

    static func concat(_ a: Tensor, _ b: Tensor) -> Tensor {
        Tensor(shape: [a.shape[0] + b.shape[0]] + a.shape.dropFirst(), data: a.data + b.data)
    }
}
