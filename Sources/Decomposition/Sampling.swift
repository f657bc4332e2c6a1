import RNNKit

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
            var rng = SeededRandom(seed: config.seed, salt: UInt64(c + 1) << 32 | UInt64(t + 1))
            let positives = choose(M, from: candidates, &rng)
            let negatives = others.flatMap { choose(perOther, from: withLabel($0), &rng) }
            return ConcernSamples(concern: c, step: step, positives: positives, negatives: negatives)
        }
    }

    /// `n` distinct elements (all when fewer), in ascending order, by a partial Fisher–Yates shuffle.
    static func choose(_ n: Int, from pool: [Int], _ rng: inout SeededRandom) -> [Int] {
        guard n < pool.count else { return pool }
        var p = pool
        for i in 0..<n { p.swapAt(i, i + rng.below(p.count - i)) }
        return p[..<n].sorted()
    }
}
