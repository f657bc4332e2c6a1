// Shared helpers of the Metrics tests: the deterministic generator the Python scripts that
// derived the expected values also use, and difference reporting.

import KitRandom

/// `rng.modulo_below(n)` of the generator scripts (Tests/Generators/splitmix.py): `next() % n`
/// (modulo, unlike the kit's rejection sampler).
extension SplitMix64 {
    mutating func moduloBelow(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// Worst absolute and relative difference of two equally long lists (relative to |expected|,
/// 0 where both are 0).
struct Difference: CustomStringConvertible {
    var maxAbsDiff = 0.0
    var maxRelDiff = 0.0
    var description: String { "maxAbsDiff \(maxAbsDiff), maxRelDiff \(maxRelDiff)" }

    init(_ got: [Double], _ expected: [Double]) {
        precondition(got.count == expected.count, "compare lists of equal length")
        for (g, e) in zip(got, expected) {
            let d = abs(g - e)
            maxAbsDiff = max(maxAbsDiff, d)
            if d > 0 { maxRelDiff = max(maxRelDiff, d / abs(e)) }
        }
    }
}
