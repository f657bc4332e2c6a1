/// The positive and negative examples of one concern (class `concern`, at output step
/// `step` for many-output models), as indices into the training data.
public struct ConcernSamples: Sendable, Equatable {
    public var concern: Int
    public var step: Int?
    public var positives: [Int]
    public var negatives: [Int]
}

/// Sampling (ALGORITHMS.md §2 "Sampling"). Seeded: the same seed, concern and step always
/// give the same samples.
enum Sampler {
    static func samples(_ data: LabeledData, concern c: Int, step: Int?, config: DecompositionConfig) throws -> ConcernSamples {
        let t = step ?? 0
        let M = config.samplesPerClass
        let others = (0..<data.numClasses).filter { $0 != c }
        let perOther = Int((Double(M) / Double(max(others.count, 1))).rounded(.up))
        let withLabel = { (k: Int) in (0..<data.count).filter { data.label($0, step: t) == k } }
        let candidates = withLabel(c)
        guard !candidates.isEmpty else { throw DecompositionError.emptyClass(c) }
        switch config.sampling {
        case .firstInStorageOrder:
            // The authors: the first M of the class, the first ⌈M/(K−1)⌉ of any other class.
            let negatives = (0..<data.count).lazy.filter { data.label($0, step: t) != c }.prefix(perOther)
            return ConcernSamples(concern: c, step: step, positives: Array(candidates.prefix(M)), negatives: Array(negatives))
        case .seededPerClass:
            var rng = SplitMix64(seed: config.seed ^ (UInt64(c + 1) &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(t + 1) &* 0xBF58_476D_1CE4_E5B9))
            let positives = choose(M, from: candidates, &rng)
            let negatives = others.flatMap { choose(perOther, from: withLabel($0), &rng) }
            return ConcernSamples(concern: c, step: step, positives: positives, negatives: negatives)
        }
    }

    /// `n` distinct elements (all when fewer), in ascending order, by a partial Fisher–Yates shuffle.
    static func choose(_ n: Int, from pool: [Int], _ rng: inout SplitMix64) -> [Int] {
        guard n < pool.count else { return pool }
        var p = pool
        for i in 0..<n { p.swapAt(i, i + Int(rng.next() % UInt64(p.count - i))) }
        return p[..<n].sorted()
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): small, fast, and the same on every platform.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
