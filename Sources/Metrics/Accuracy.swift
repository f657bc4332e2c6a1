// Accuracy of the monolithic model (MMA) and of the composed modules (CMA), ALGORITHMS.md §3.
//
// Labels are class ids `0..<K`. One-output models give one label per input ([N]);
// many-output models (1:N, M:N) give one label per input and time step ([N][T]).

// MARK: - One output per input

/// The fraction of inputs whose predicted label equals the true label, in 0…1
/// (scikit-learn's `accuracy_score`).
///
/// - Throws: `MetricsError.countMismatch` when the arrays differ in length,
///   `MetricsError.empty` when both are empty.
public func accuracy(predicted: [Int], truth: [Int]) throws -> Double {
    let metric = "accuracy"
    guard predicted.count == truth.count else {
        throw MetricsError.countMismatch(metric: metric, what: "predicted", expected: truth.count,
                                         found: predicted.count)
    }
    guard !truth.isEmpty else { throw MetricsError.empty(metric: metric, detail: "no labels") }
    var correct = 0
    for i in truth.indices where predicted[i] == truth[i] { correct += 1 }
    return Double(correct) / Double(truth.count)
}

// MARK: - Many outputs per input

/// Which positions of a label sequence a many-output accuracy leaves out.
public enum PaddingRule: Sendable, Equatable {
    /// Count every position, padding included. This is what the authors' published
    /// many-output evaluators did (`getMonolithicModelAccuracyAnyToMany(…, skipDummyLabel=False)`
    /// and the flattened `accuracy_score` of the composed prediction).
    case countAll
    /// Leave out the positions whose **true** label is this padding label (the authors' padding
    /// is class 0). This is the kit's rule for MMA/CMA of many-output models (ALGORITHMS.md §2,
    /// composition: "skipping the padding label in the ground truth").
    case skipTrueLabel(Int)
    /// Leave out the positions whose **predicted** label is this label. This is what the
    /// authors' helper does when called with `skipDummyLabel=True` (it tests the argmax of the
    /// prediction, not the ground truth). Offered only to reproduce that helper.
    case skipPredictedLabel(Int)

    /// Whether the position with this prediction and truth is counted.
    @inlinable
    public func counts(predicted: Int, truth: Int) -> Bool {
        switch self {
        case .countAll: return true
        case let .skipTrueLabel(label): return truth != label
        case let .skipPredictedLabel(label): return predicted != label
        }
    }
}

/// Many-output accuracy: over `[N][T]` label sequences, the fraction of counted positions
/// whose predicted label equals the true label, in 0…1.
///
/// **Skipping rule:** a position `(i, t)` is left out — neither correct nor wrong — when
/// `truth[i][t] == paddingLabel`. The prediction at that position does not matter, and a
/// prediction of `paddingLabel` at a position whose true label is a real class counts as wrong.
/// The result is a micro-average: correct counted positions over all counted positions of all
/// sequences (not a mean of per-sequence accuracies). Pass `paddingLabel: 0` for the authors'
/// data sets. Sequences may have different lengths, but `predicted[i]` and `truth[i]` must
/// have the same length.
///
/// - Throws: `MetricsError.countMismatch` when the outer or an inner length differs,
///   `MetricsError.empty` when no position is counted (everything is padding, or no input).
public func accuracy(predicted: [[Int]], truth: [[Int]], paddingLabel: Int) throws -> Double {
    try accuracy(predicted: predicted, truth: truth, skipping: .skipTrueLabel(paddingLabel))
}

/// Many-output accuracy with an explicit rule for which positions to leave out; see
/// `PaddingRule`. `accuracy(predicted:truth:paddingLabel:)` is `.skipTrueLabel(paddingLabel)`.
///
/// - Throws: `MetricsError.countMismatch` when the outer or an inner length differs,
///   `MetricsError.empty` when no position is counted.
public func accuracy(predicted: [[Int]], truth: [[Int]], skipping rule: PaddingRule) throws -> Double {
    let tally = try tallySequences(predicted: predicted, truth: truth, rule: rule, metric: "accuracy") { _, _ in }
    guard tally.counted > 0 else {
        throw MetricsError.empty(metric: "accuracy",
                                 detail: "no position left after \(rule) over \(truth.count) sequence(s)")
    }
    return Double(tally.correct) / Double(tally.counted)
}

/// Walks parallel label sequences, calls `visit(predicted, truth)` on each counted position
/// and returns how many were counted and correct.
private func tallySequences(predicted: [[Int]], truth: [[Int]], rule: PaddingRule, metric: String,
                            visit: (Int, Int) throws -> Void) throws -> (counted: Int, correct: Int) {
    guard predicted.count == truth.count else {
        throw MetricsError.countMismatch(metric: metric, what: "predicted (sequences)",
                                         expected: truth.count, found: predicted.count)
    }
    var counted = 0
    var correct = 0
    for i in truth.indices {
        let p = predicted[i], t = truth[i]
        guard p.count == t.count else {
            throw MetricsError.countMismatch(metric: metric, what: "predicted[\(i)] (time steps)",
                                             expected: t.count, found: p.count)
        }
        for s in t.indices where rule.counts(predicted: p[s], truth: t[s]) {
            try visit(p[s], t[s])
            counted += 1
            if p[s] == t[s] { correct += 1 }
        }
    }
    return (counted, correct)
}

// MARK: - Per class

/// Counts of (true label, predicted label) pairs over `K` classes, with per-class accuracy.
///
/// `counts[t][p]` is the number of positions whose true label is `t` and predicted label `p`.
public struct ConfusionMatrix: Sendable, Equatable {
    /// K, the number of classes; labels are `0..<classCount`.
    public let classCount: Int
    /// `counts[truth][predicted]`, `[K][K]`.
    public private(set) var counts: [[Int]]

    /// An all-zero matrix over `classCount` classes.
    /// - Throws: `MetricsError.invalidArgument` when `classCount < 1`.
    public init(classCount: Int) throws {
        guard classCount >= 1 else {
            throw MetricsError.invalidArgument(metric: "confusion matrix",
                                               detail: "classCount must be at least 1, got \(classCount)")
        }
        self.classCount = classCount
        self.counts = Array(repeating: Array(repeating: 0, count: classCount), count: classCount)
    }

    /// The matrix of one-output predictions.
    /// - Throws: `MetricsError.countMismatch` for arrays of different lengths,
    ///   `MetricsError.labelOutOfRange` for a label outside `0..<classCount`.
    public init(predicted: [Int], truth: [Int], classCount: Int) throws {
        try self.init(classCount: classCount)
        guard predicted.count == truth.count else {
            throw MetricsError.countMismatch(metric: "confusion matrix", what: "predicted",
                                             expected: truth.count, found: predicted.count)
        }
        for i in truth.indices { try add(predicted: predicted[i], truth: truth[i]) }
    }

    /// The matrix of many-output predictions `[N][T]`, leaving out positions by `rule` (the
    /// same rule as `accuracy(predicted:truth:skipping:)`; skipped positions are not range-checked).
    /// - Throws: `MetricsError.countMismatch`, `MetricsError.labelOutOfRange`.
    public init(predicted: [[Int]], truth: [[Int]], classCount: Int, skipping rule: PaddingRule) throws {
        try self.init(classCount: classCount)
        var matrix = self
        _ = try tallySequences(predicted: predicted, truth: truth, rule: rule, metric: "confusion matrix") {
            try matrix.add(predicted: $0, truth: $1)
        }
        self = matrix
    }

    /// Adds one position.
    /// - Throws: `MetricsError.labelOutOfRange` for a label outside `0..<classCount`.
    public mutating func add(predicted: Int, truth: Int) throws {
        let valid = 0..<classCount
        guard valid.contains(truth) else {
            throw MetricsError.labelOutOfRange(metric: "confusion matrix", label: truth, classCount: classCount)
        }
        guard valid.contains(predicted) else {
            throw MetricsError.labelOutOfRange(metric: "confusion matrix", label: predicted, classCount: classCount)
        }
        counts[truth][predicted] += 1
    }

    /// Number of positions counted.
    public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }

    /// Number of positions predicted correctly (the trace).
    public var correct: Int { (0..<classCount).reduce(0) { $0 + counts[$1][$1] } }

    /// Overall accuracy `correct / total`; `nil` when nothing was counted.
    public var accuracy: Double? { total == 0 ? nil : Double(correct) / Double(total) }

    /// Number of positions whose true label is `label` (row sum); 0 for a label out of range.
    public func support(of label: Int) -> Int {
        guard (0..<classCount).contains(label) else { return 0 }
        return counts[label].reduce(0, +)
    }

    /// Per-class accuracy: for each class `c`, the fraction of positions with true label `c`
    /// predicted as `c` (the class's recall). `nil` for a class that never occurs in the truth.
    public var perClassAccuracy: [Double?] {
        (0..<classCount).map { c in
            let n = support(of: c)
            return n == 0 ? nil : Double(counts[c][c]) / Double(n)
        }
    }
}
