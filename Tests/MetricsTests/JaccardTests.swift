import Foundation
import KitRandom
import Testing
import Metrics

// Jaccard indices. Random cases are regenerated with the SplitMix64 stream of
// Tests/Generators/gen_jaccard_stats.py; their expected values are that script's `repr` output
// (Python 3.11.7, standard library only, the authors' formula
// `len(set(a) & set(b)) / (len(a) + len(b) - i)`; it reproduces every literal here).

@Suite struct JaccardTests {
    // MARK: The authors' definition

    @Test func authorsDefinitionByHand() throws {
        // set(A) = {1, 2, 3}, set(B) = {2, 3, 4}: i = 2; |A| = 4 (1 repeated), |B| = 3 → 2 / (4 + 3 − 2).
        #expect(try authorsJaccard(model: [1, 1, 2, 3] as [Float], module: [2, 3, 4]) == 2.0 / 5.0)
        // Identical lists without duplicates: i = n, JI = n / n = 1.
        #expect(try authorsJaccard(model: [0.5, -1.25, 3] as [Float], module: [0.5, -1.25, 3]) == 1)
        // Identical lists WITH duplicates stay below 1 — list lengths, set intersection:
        // i = 2, 3 + 3 − 2 = 4.
        #expect(try authorsJaccard(model: [7, 7, 8] as [Float], module: [7, 7, 8]) == 0.5)
        // Disjoint.
        #expect(try authorsJaccard(model: [1, 2] as [Float], module: [3]) == 0)
        // One side empty: 0 / (n + 0 − 0).
        #expect(try authorsJaccard(model: [1, 2] as [Float], module: []) == 0)
    }

    @Test func negativeZeroEqualsZeroAndNaNNeverMatches() throws {
        // −0.0 == 0.0 for Python floats: i = 1 ({0}), 2 + 2 − 1 = 3.
        #expect(try authorsJaccard(model: [-0.0, 5] as [Float], module: [0.0, 6]) == 1.0 / 3.0)
        #expect(try authorsJaccard(model: [-0.0, 0.0] as [Float], module: [-0.0]) == 1.0 / 2.0)
        // NaN objects never compare equal in Python: i = 1 ({1}), 2 + 2 − 1 = 3.
        #expect(try authorsJaccard(model: [.nan, 1] as [Float], module: [.nan, 1]) == 1.0 / 3.0)
        // Double overload, same rules.
        #expect(try authorsJaccard(model: [-0.0, 5, .nan] as [Double], module: [0.0, 6]) == 1.0 / 4.0)
    }

    @Test func bothEmptyIsAnError() {
        #expect(throws: MetricsError.empty(metric: "Jaccard index", detail: "both weight lists are empty")) {
            try authorsJaccard(model: [Float](), module: [])
        }
    }

    /// Same stream as `weights()` in gen_jaccard_stats.py: values k/32 (many duplicates, some −0.0), a
    /// module with 30 % zeroed (alternately ±0) and 5 % replaced.
    static func randomWeights(seed: UInt64, count: Int) -> (model: [Float], module: [Float], extra: [Float]) {
        var rng = SplitMix64(seed: seed)
        var model: [Float] = []
        for _ in 0..<count {
            let k = rng.moduloBelow(129) - 64
            var v = Float(k) / 32
            if k == 0 && rng.moduloBelow(2) == 0 { v = -0.0 }
            model.append(v)
        }
        var module: [Float] = []
        for v in model {
            let r = rng.moduloBelow(100)
            if r < 30 { module.append(r % 2 == 1 ? -0.0 : 0.0) }
            else if r < 35 { module.append(Float(rng.moduloBelow(257) - 128) / 64) }
            else { module.append(v) }
        }
        let extra = (0..<37).map { _ in Float(rng.moduloBelow(257) - 128) / 64 }
        return (model, module, extra)
    }

    /// Same stream as `fine()`: mostly distinct values, 20 % pruned.
    static func distinctWeights(seed: UInt64, count: Int) -> (model: [Float], module: [Float]) {
        var rng = SplitMix64(seed: seed)
        let model = (0..<count).map { _ in Float(rng.moduloBelow(1 << 20) - (1 << 19)) / Float(1 << 20) }
        let module = model.map { rng.moduloBelow(100) < 20 ? 0 : $0 }
        return (model, module)
    }

    @Test func randomWeightsMatchPython() throws {
        let (model, module, extra) = Self.randomWeights(seed: 7, count: 2000)
        let (fm, fmod) = Self.distinctWeights(seed: 11, count: 5000)
        let got = [
            try authorsJaccard(model: model, module: module),
            try authorsJaccard(model: model, module: module + extra),
            try authorsJaccard(model: model.map(Double.init), module: module.map(Double.init)),
            try authorsJaccard(model: fm, module: fmod),
            try authorsJaccard(model: fm.map(Double.init), module: fmod.map(Double.init)),
            try structuralJaccard(model: model, module: module),
            try structuralJaccard(model: fm, module: fmod),
        ]
        let expected = [0.03332472229398088, 0.03300921187308086, 0.03332472229398088,
                        0.6758840288252053, 0.6758840288252053, 0.7022132796780685, 0.8086]
        #expect(got == expected, "\(Difference(got, expected))")
        // Order does not matter.
        #expect(try authorsJaccard(model: model.reversed(), module: module.shuffled()) == expected[0])
    }

    @Test func preparedModelSetAgreesAndCountsDistinctValues() throws {
        let (model, module, extra) = Self.randomWeights(seed: 7, count: 2000)
        let prepared = WeightValueSet(model)
        #expect(prepared.count == 2000)
        #expect(prepared.distinctCount == 129)                 // script: len(set(model)) = 129
        #expect(WeightValueSet(module).distinctCount == 171)   // len(set(module)) = 171
        #expect(try prepared.authorsJaccard(with: WeightValueSet(module)) == 0.03332472229398088)
        #expect(try prepared.authorsJaccard(with: WeightValueSet(module + extra)) == 0.03300921187308086)
        // NaN is counted in the length but is no value of the set.
        let withNaN = WeightValueSet([1, .nan, -0.0, 0.0])
        #expect(withNaN.count == 4 && withNaN.distinctCount == 2)
    }

    /// ~1e6 values each: the sort-based set arithmetic agrees with a plain hash set. (Its speed
    /// is a benchmark's business, not a test's.)
    @Test func authorsJaccardOnAMillionWeights() throws {
        var rng = SplitMix64(seed: 3)
        let model = (0..<1_000_000).map { _ in Float(bitPattern: UInt32(truncatingIfNeeded: rng.next() >> 34) | 0x3C00_0000) }
        let module = model.map { rng.moduloBelow(10) < 2 ? Float(0) : $0 }
        let ji = try authorsJaccard(model: model, module: module)
        let a = Set(model.map { $0 == 0 ? 0 : $0 }), b = Set(module.map { $0 == 0 ? 0 : $0 })
        let common = Double(a.intersection(b).count)
        #expect(ji == common / (Double(model.count + module.count) - common))
        #expect(ji > 0.6 && ji < 0.7, "JI \(ji)")
    }

    // MARK: Our structural variant

    @Test func structuralByHand() throws {
        // edges: model {0, 1, 3}, module {1, 2, 3} → both {1, 3} = 2, either {0, 1, 2, 3} = 4.
        #expect(try structuralJaccard(model: [1, 2, 0, 4], module: [0, 5, 6, -7]) == 0.5)
        // A module that only zeroes: fraction of the model's edges retained, 3 of 4.
        #expect(try structuralJaccard(model: [1, 2, 3, 4, 0], module: [1, 0, 3, 4, 0]) == 0.75)
        // −0.0 is not an edge; NaN is.
        #expect(try structuralJaccard(model: [-0.0, 1, .nan], module: [0, 1, .nan]) == 1)
        #expect(try structuralJaccard(model: [-0.0, 1, .nan], module: [0, 1, 0]) == 0.5)
        // No edges anywhere: 1 by convention.
        #expect(try structuralJaccard(model: [0, -0.0], module: [0, 0]) == 1)
        #expect(try structuralJaccard(model: [], module: []) == 1)
    }

    @Test func structuralNeedsEqualLengths() {
        #expect(throws: MetricsError.countMismatch(metric: "structural Jaccard index", what: "module weights",
                                                   expected: 2, found: 1)) {
            try structuralJaccard(model: [1, 2], module: [1])
        }
    }
}
