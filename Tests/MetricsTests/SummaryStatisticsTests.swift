import KitRandom
import Testing
import Metrics
import TestSupport

@Suite struct SummaryStatisticsTests {
    @Test func smallByHand() throws {
        // [4, 1, 3, 2]: mean 2.5, median (2 + 3) / 2 = 2.5, Σ(x − 2.5)² = 5,
        // population σ = √(5/4), sample s = √(5/3).
        let s = try SummaryStatistics([4, 1, 3, 2])
        #expect(s.count == 4)
        #expect(s.mean == 2.5)
        #expect(s.median == 2.5)
        #expect(s.minimum == 1 && s.maximum == 4)
        #expect(s.populationStandardDeviation == 1.118033988749895)
        #expect(s.sampleStandardDeviation == 1.2909944487358056)
    }

    @Test func medianOddAndEven() throws {
        #expect(try Statistics.median([5, 1, 3]) == 3)
        #expect(try Statistics.median([5, 1, 3, 10]) == 4)          // (3 + 5) / 2
        #expect(try Statistics.median([-0.5, 0.25]) == -0.125)
        #expect(try Statistics.median([7]) == 7)
    }

    @Test func singleValue() throws {
        let s = try SummaryStatistics([-3])
        #expect(s.mean == -3 && s.median == -3 && s.minimum == -3 && s.maximum == -3)
        #expect(s.populationStandardDeviation == 0)
        #expect(s.sampleStandardDeviation == nil)
        #expect(throws: MetricsError.invalidArgument(metric: "sample standard deviation",
                                                     detail: "needs at least 2 values, got 1")) {
            try Statistics.sampleStandardDeviation([-3])
        }
    }

    @Test func emptyAndNaNAreErrors() {
        #expect(throws: MetricsError.empty(metric: "summary statistics", detail: "no values")) {
            try SummaryStatistics([])
        }
        #expect(throws: MetricsError.empty(metric: "mean", detail: "no values")) { try Statistics.mean([]) }
        #expect(throws: MetricsError.empty(metric: "median", detail: "no values")) { try Statistics.median([]) }
        #expect(throws: MetricsError.nanInInput(metric: "maximum", index: 1)) { try Statistics.maximum([1, .nan]) }
        #expect(throws: MetricsError.nanInInput(metric: "summary statistics", index: 0)) {
            try SummaryStatistics([.nan])
        }
    }

    /// 101 and 100 values `next() / 2^64` from Tests/Generators/gen_jaccard_stats.py; expected
    /// values are Python `statistics.fmean / median / pstdev / stdev`, `min`, `max`.
    @Test(arguments: [
        (101, [0.5329395534542833, 0.4845892101363599, 0.006616448924059704, 0.9979866502429852,
               0.3081959468149364, 0.30973309324237]),
        (100, [0.5344245383491246, 0.4857474994708382, 0.006616448924059704, 0.9979866502429852,
               0.30937334380252934, 0.3109319095547312]),
    ])
    func matchesPythonStatistics(count: Int, expected: [Double]) throws {
        var rng = SplitMix64(seed: 99)
        for _ in 0..<1000 { _ = rng.next(); _ = rng.moduloBelow(81) }        // the fsum values come first
        let ys = (0..<101).map { _ in Double(rng.next()) / 18_446_744_073_709_551_616.0 }
        let values = Array(ys.prefix(count))
        let s = try SummaryStatistics(values)
        let got = [s.mean, s.median, s.minimum, s.maximum, s.populationStandardDeviation, s.sampleStandardDeviation!]
        let d = Difference(got, expected)
        // Python's pstdev/stdev work in exact fractions; our two-pass double sum may differ in the last bit.
        #expect(d.maxRelDiff <= Tolerance.float64SummationRelative, "\(d)")
        #expect(try Statistics.mean(values) == expected[0])                  // fmean is fsum / n too
        #expect(try Statistics.median(values) == expected[1])
        #expect(try Statistics.minimum(values) == expected[2])
        #expect(try Statistics.maximum(values) == expected[3])
        #expect(abs(try Statistics.populationStandardDeviation(values) - expected[4]) <= Tolerance.float64Summation)
        #expect(abs(try Statistics.sampleStandardDeviation(values) - expected[5]) <= Tolerance.float64Summation)
    }
}
