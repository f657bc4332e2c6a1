// Shared helpers of the Metrics tests: the deterministic generator the Python scripts that
// derived the expected values also use, and difference reporting.

/// SplitMix64 (Steele, Lea, Flood 2014), bit-identical to the `SplitMix64` class of the
/// generator scripts quoted in the test files.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Python `rng.below(n)` = `next() % n`.
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
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
