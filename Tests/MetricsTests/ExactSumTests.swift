import KitRandom
import Testing
import Metrics

// Expected values from Python 3.11 `math.fsum`, printed by Tests/Generators/gen_jaccard_stats.py.
@Suite struct ExactSumTests {
    @Test func classicExamples() {
        #expect(exactSum([1e-16, 1.0, 1e16]) == 1.0000000000000002e16)   // half-even fix-up
        #expect(exactSum(Array(repeating: 0.1, count: 10)) == 1.0)
        #expect(exactSum([1e100, 1.0, -1e100, 1e-100, 1e50, -1.0, -1e50]) == 1e-100)
        #expect(exactSum([Double]()) == 0)
        #expect(exactSum([0.1, 0.2, 0.3]) == 0.6)
        #expect(0.1 + 0.2 + 0.3 == 0.6000000000000001)   // what naive summation gives
    }

    /// 1000 values of magnitudes 2^-41…2^40, as in the generator script.
    @Test func matchesPythonFsumOnRandomValues() {
        var rng = SplitMix64(seed: 99)
        var xs: [Double] = []
        for _ in 0..<1000 {
            let u = Double(rng.next() >> 11) / 9_007_199_254_740_992.0 - 0.5
            let e = rng.moduloBelow(81) - 40
            xs.append(u * Double(sign: .plus, exponent: e, significand: 1))
        }
        #expect(exactSum(xs) == -811089640866.7307)
        #expect(xs.reduce(0, +) != -811089640866.7307)    // the naive sum is off in the last digits
    }

    @Test func nonFiniteInput() {
        #expect(exactSum([1.0, .infinity, 2.0]) == .infinity)
        #expect(exactSum([-.infinity, 1.0]) == -.infinity)
        #expect(exactSum([.infinity, -.infinity]).isNaN)
        #expect(exactSum([1.0, .nan]).isNaN)
        #expect(exactSum([Double.greatestFiniteMagnitude, Double.greatestFiniteMagnitude]) == .infinity)
    }
}
