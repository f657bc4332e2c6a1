import Foundation

/// SplitMix64 (Steele, Lea & Flood 2014): the kit's one seeded generator — weights, shuffles,
/// dropout, synthetic data, subsampling and splits all draw from it. Deterministic on every
/// platform, unlike `SystemRandomNumberGenerator`, and small enough to re-implement in the
/// Python scripts that derived test values.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }

    /// A generator for an independent stream `salt` derived from `seed` (e.g. one per layer).
    public init(seed: UInt64, salt: UInt64) {
        var mixer = SplitMix64(seed: seed ^ (salt &* 0xD1B5_4A32_D192_ED03))
        state = mixer.next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<n by rejection (no modulo bias, so results never depend on the stdlib's
    /// `random(in:)` algorithm).
    public mutating func below(_ n: Int) -> Int {
        precondition(n > 0)
        let bound = UInt64(n)
        let limit = UInt64.max - UInt64.max % bound
        while true {
            let v = next()
            if v < limit { return Int(v % bound) }
        }
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform in [low, high).
    public mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * unit() }

    /// Standard normal by Box–Muller (one value per call; the sine branch is discarded so the
    /// stream does not depend on call history).
    public mutating func normal() -> Double {
        let u1 = max(unit(), 0x1p-53), u2 = unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Fisher–Yates with `below`.
    public mutating func shuffle<T>(_ x: inout [T]) {
        guard x.count > 1 else { return }
        for i in stride(from: x.count - 1, to: 0, by: -1) { x.swapAt(i, below(i + 1)) }
    }
}
