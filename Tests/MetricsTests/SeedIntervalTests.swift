import Testing
@testable import Metrics
import TestSupport

struct SeedIntervalTests {
    /// By hand: values 1, 2, 6 → mean 3, s = √7, h = t_{0.975,2}·√7/√3 (t from scipy.stats.t.ppf).
    @Test func threeSeedsByHand() throws {
        let i = try SeedInterval([1, 2, 6])
        #expect(i.mean == 3)
        let expected = 4.302652729749462 * 7.0.squareRoot() / 3.0.squareRoot()
        #expect(abs(i.halfWidth! - expected) < Tolerance.float64Arithmetic)
        #expect(i.contains(3 + expected - 1e-9) && !i.contains(3 + expected + 1e-9))
    }

    @Test func oneSeedHasNoInterval() throws {
        let i = try SeedInterval([0.5])
        #expect(i.halfWidth == nil && !i.contains(0.5))
    }

    /// Beyond the table: scipy.stats.t.ppf(0.975, 40) = 2.021075390306273, (…, 100) = 1.9839715185235518.
    @Test func quantilesBeyondTheTable() {
        #expect(abs(SeedInterval.t975(degreesOfFreedom: 40) - 2.021075390306273) < Tolerance.tQuantileApproximation)
        #expect(abs(SeedInterval.t975(degreesOfFreedom: 100) - 1.9839715185235518) < Tolerance.tQuantileApproximation)
        #expect(SeedInterval.t975(degreesOfFreedom: 31) < SeedInterval.t975(degreesOfFreedom: 30))
    }

    @Test func emptyIsAnError() {
        #expect(throws: MetricsError.self) { try SeedInterval([]) }
    }
}
