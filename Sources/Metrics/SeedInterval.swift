// A quantity measured once per seed, summarised as mean ± the half-width of its 95 %
// confidence interval: Student's t over the seeds, t_{0.975, S−1} · s / √S with s the sample
// standard deviation. Verdicts on the paper are taken from this interval, never from one run.

/// Mean and 95 % Student-t confidence half-width of per-seed values (kept, in seed order).
public struct SeedInterval: Sendable, Equatable, Codable {
    public let values: [Double]
    public let mean: Double
    /// t_{0.975, S−1} · s / √S; nil with a single seed (no interval can be given).
    public let halfWidth: Double?

    public var count: Int { values.count }
    public var lower: Double { mean - (halfWidth ?? 0) }
    public var upper: Double { mean + (halfWidth ?? 0) }

    /// - Throws: `MetricsError.empty` for no values, `MetricsError.nanInInput` for a NaN.
    public init(_ values: [Double]) throws {
        let s = try SummaryStatistics(values)
        self.values = values
        mean = s.mean
        halfWidth = s.sampleStandardDeviation.map { SeedInterval.t975(degreesOfFreedom: values.count - 1) * $0 / Double(values.count).squareRoot() }
    }

    /// Whether `x` lies in [mean − h, mean + h] (false without an interval).
    public func contains(_ x: Double) -> Bool { halfWidth != nil && lower <= x && x <= upper }

    /// The 0.975 quantile of Student's t with `df` degrees of freedom: a table for 1…30
    /// (scipy.stats.t.ppf(0.975, df), SciPy 1.17), then the first terms of the Cornish–Fisher
    /// expansion around the normal quantile (error below 1e-4 for df > 30).
    public static func t975(degreesOfFreedom df: Int) -> Double {
        precondition(df >= 1, "Student's t needs at least one degree of freedom")
        if df <= table.count { return table[df - 1] }
        let z = 1.959963984540054, v = Double(df)
        let g1 = (z * z * z + z) / 4, g2 = (5 * pow5(z) + 16 * z * z * z + 3 * z) / 96
        return z + g1 / v + g2 / (v * v)
    }

    private static func pow5(_ x: Double) -> Double { x * x * x * x * x }

    private static let table: [Double] = [
        12.706204736174694, 4.302652729749462, 3.1824463052837078, 2.7764451051977934, 2.5705818356363146,
        2.4469118511449786, 2.364624251592784, 2.306004135204166, 2.262157162798205, 2.228138851986274,
        2.200985160091639, 2.1788128296672284, 2.1603686564627913, 2.144786687917804, 2.131449545559776,
        2.1199052992212546, 2.1098155778333156, 2.1009220402410382, 2.0930240544083087, 2.085963447265864,
        2.0796138447276795, 2.0738730679040254, 2.0686576104190486, 2.0638985616280245, 2.0595385527532972,
        2.0555294386428735, 2.0518305164802846, 2.0484071417952454, 2.045229642132703, 2.0422724563012378,
    ]
}
