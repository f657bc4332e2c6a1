// Summary statistics of a list of results (per-model accuracy deltas, per-module JI, …).
//
// Empty input is an error (`MetricsError.empty`), never NaN; so is a NaN anywhere in the
// input (`MetricsError.nanInInput`), because min, max and median have no meaning with it.
// Infinities are accepted and propagate as IEEE arithmetic says.

/// Count, mean, median, extremes and standard deviations of a list of numbers.
public struct SummaryStatistics: Sendable, Equatable {
    public let count: Int
    /// Arithmetic mean: the correctly rounded sum (`exactSum`) divided by the count.
    public let mean: Double
    /// Middle value; for an even count the mean of the two middle values,
    /// `(lo + hi) / 2`, as Python's `statistics.median` and NumPy's `median`.
    public let median: Double
    public let minimum: Double
    public let maximum: Double
    /// √(Σ(x − mean)² / n) — NumPy `std(x)`, Python `statistics.pstdev`.
    public let populationStandardDeviation: Double
    /// √(Σ(x − mean)² / (n − 1)) — NumPy `std(x, ddof=1)`, Python `statistics.stdev`;
    /// `nil` when there is only one value.
    public let sampleStandardDeviation: Double?

    /// - Throws: `MetricsError.empty` for no values, `MetricsError.nanInInput` for a NaN.
    public init(_ values: [Double]) throws {
        try Self.validate(values, metric: "summary statistics")
        let sorted = values.sorted()
        let n = values.count
        let mean = exactSum(values) / Double(n)
        let squares = exactSum(values.lazy.map { ($0 - mean) * ($0 - mean) })
        self.count = n
        self.mean = mean
        self.median = Self.median(ofSorted: sorted)
        self.minimum = sorted[0]
        self.maximum = sorted[n - 1]
        self.populationStandardDeviation = (squares / Double(n)).squareRoot()
        self.sampleStandardDeviation = n < 2 ? nil : (squares / Double(n - 1)).squareRoot()
    }

    static func validate(_ values: [Double], metric: String) throws {
        guard !values.isEmpty else { throw MetricsError.empty(metric: metric, detail: "no values") }
        if let i = values.firstIndex(where: \.isNaN) { throw MetricsError.nanInInput(metric: metric, index: i) }
    }

    static func median(ofSorted s: [Double]) -> Double {
        let n = s.count
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2
    }
}

/// The single statistics, for call sites that need one. Each throws `MetricsError.empty` for
/// no values and `MetricsError.nanInInput` for a NaN.
public enum Statistics {
    /// Arithmetic mean (correctly rounded sum / count).
    public static func mean(_ values: [Double]) throws -> Double {
        try SummaryStatistics.validate(values, metric: "mean")
        return exactSum(values) / Double(values.count)
    }

    /// Median; the mean of the two middle values for an even count.
    public static func median(_ values: [Double]) throws -> Double {
        try SummaryStatistics.validate(values, metric: "median")
        return SummaryStatistics.median(ofSorted: values.sorted())
    }

    public static func minimum(_ values: [Double]) throws -> Double {
        try SummaryStatistics.validate(values, metric: "minimum")
        return values.min()!
    }

    public static func maximum(_ values: [Double]) throws -> Double {
        try SummaryStatistics.validate(values, metric: "maximum")
        return values.max()!
    }

    /// Population standard deviation (divides by n).
    public static func populationStandardDeviation(_ values: [Double]) throws -> Double {
        try SummaryStatistics(values).populationStandardDeviation
    }

    /// Sample standard deviation (divides by n − 1).
    /// - Throws: also `MetricsError.invalidArgument` for fewer than two values.
    public static func sampleStandardDeviation(_ values: [Double]) throws -> Double {
        guard let s = try SummaryStatistics(values).sampleStandardDeviation else {
            throw MetricsError.invalidArgument(metric: "sample standard deviation",
                                               detail: "needs at least 2 values, got \(values.count)")
        }
        return s
    }
}
