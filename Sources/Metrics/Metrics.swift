// Metrics — the numbers the paper reports (ALGORITHMS.md §3).
//
// Every function here is pure, takes plain Swift arrays and never prints. The files:
//   Accuracy.swift           one-output and many-output accuracy, confusion matrix
//   CorpusBLEU.swift         corpus BLEU, bit-for-bit NLTK 3.8.1 `corpus_bleu`
//   Jaccard.swift            the authors' Jaccard index and our structural variant
//   SummaryStatistics.swift  mean, median, min, max, standard deviations
//   ExactSum.swift           correctly rounded summation (Python's `math.fsum`)
//
// Call sites that also have a local named `accuracy` or `mean` qualify with the module:
// `Metrics.accuracy(predicted:truth:)`.

/// Bad input to a metric. Each case names the metric and what to fix.
public enum MetricsError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The metric needs at least one value (or position, or sentence) and got none.
    case empty(metric: String, detail: String)
    /// Two inputs that must be parallel have different lengths.
    case countMismatch(metric: String, what: String, expected: Int, found: Int)
    /// A parameter is outside the range the metric accepts.
    case invalidArgument(metric: String, detail: String)
    /// A NaN where the metric needs an ordered value (median, min, max, …).
    case nanInInput(metric: String, index: Int)
    /// A class label outside `0..<classCount`.
    case labelOutOfRange(metric: String, label: Int, classCount: Int)

    public var description: String {
        switch self {
        case let .empty(metric, detail):
            return "\(metric): no input to measure (\(detail))"
        case let .countMismatch(metric, what, expected, found):
            return "\(metric): \(what) has \(found) element(s), expected \(expected)"
        case let .invalidArgument(metric, detail):
            return "\(metric): \(detail)"
        case let .nanInInput(metric, index):
            return "\(metric): value at index \(index) is NaN; remove or replace NaNs first"
        case let .labelOutOfRange(metric, label, classCount):
            return "\(metric): label \(label) is outside 0..<\(classCount)"
        }
    }
}
