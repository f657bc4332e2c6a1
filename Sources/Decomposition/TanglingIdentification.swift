import RNNKit

// MARK: - Tangling identification (ALGORITHMS.md §2): which units a concern loses
//
// From concern identification's scores, the units that serve the other concerns more than
// this one are removed, in ascending order of d = positive − negative score, up to the cap
// (maxRemoveFraction of a block); the authors' scripts used their own rule (`authorsRule`).

extension Identification {
    /// Units to remove from one layer for one concern, given the pooled observations of
    /// `steps` (nil = all observed). Units index hidden units (hiddenState) or gate units (perGate).
    static func removals(_ layer: Recurrent, _ obs: LayerObservations, steps: [Int]?, config: DecompositionConfig) -> [Int] {
        removals(layer, scores(layer, obs, steps: steps, config: config), config: config)
    }

    /// The same from precomputed scores: the removal rule and cap of `config`.
    static func removals(_ layer: Recurrent, _ s: Scores, config: DecompositionConfig) -> [Int] {
        let H = layer.units
        var removed: [Int] = []
        for (g, d) in s.d.enumerated() {
            let (pRate, nRate) = (s.pRate[g], s.nRate[g])
            let chosen: [Int]
            if s.relu && config.reluRule == .paper {
                // CI_relu: never active on positives; TI_relu: restore those active on negatives.
                let candidates = (0..<H).filter { pRate[$0] == 0 && nRate[$0] == 0 }
                chosen = Array(candidates.prefix(cap(H, config)))
            } else if s.relu {
                chosen = byAscending(d, H, config) { $0 <= -0.5 }
            } else if config.removalRule == .authors {
                chosen = authorsRule(d, H)
            } else {
                chosen = byAscending(d, H, config) { $0 < 0 }
            }
            removed += chosen.map { (s.perGate ? g * H : 0) + $0 }
        }
        return removed.sorted()
    }

    /// Per weight copy (`copyScores`), the removals at `config`'s cap; none for a copy without scores.
    static func removals(_ layer: Recurrent, copies: [Scores?], config: DecompositionConfig) -> [[Int]] {
        copies.map { $0.map { removals(layer, $0, config: config) } ?? [] }
    }

    /// The most units a block may lose: removal continues while removed/H < maxRemoveFraction.
    static func cap(_ H: Int, _ config: DecompositionConfig) -> Int {
        var n = 0
        while Double(n) / Double(H) < config.maxRemoveFraction && n < H { n += 1 }
        return n
    }

    /// Visit units by ascending d (stable); remove while `qualifies(d)` and under the cap.
    static func byAscending(_ d: [Double], _ H: Int, _ config: DecompositionConfig, _ qualifies: (Double) -> Bool) -> [Int] {
        let order = d.indices.sorted { d[$0] < d[$1] || (d[$0] == d[$1] && $0 < $1) }
        var out: [Int] = []
        let limit = cap(H, config)
        for n in order where out.count < limit {
            guard qualifies(d[n]) else { break }
            out.append(n)
        }
        return out
    }

    /// The authors' script (ALGORITHMS.md §2b item 5): remove d < 0; once 5 % are removed, only
    /// units other than the first visited with first/d < 1.1.
    static func authorsRule(_ d: [Double], _ H: Int) -> [Int] {
        let order = d.indices.sorted { d[$0] < d[$1] || (d[$0] == d[$1] && $0 < $1) }
        guard let firstIndex = order.first else { return [] }
        let first = d[firstIndex]
        var removed: [Int] = []
        for (k, n) in order.enumerated() {
            var remove = d[n] < 0
            if Double(removed.count) / Double(H) >= 0.05 { remove = k > 0 && d[n] < 0 && first / d[n] < 1.1 }
            if remove { removed.append(n) }
        }
        return removed
    }
}
