import RNNKit

// MARK: - Concern identification (ALGORITHMS.md §2): per-unit scores
//
// Per node a score on the positives and on the negatives; a node whose positives score
// below its negatives does not serve the concern. Logistic layers (tanh, and LSTM/GRU
// hidden states) score by the central tendency of |v|; perGate sigmoid gates by their
// active rate; ReLU layers by the rate of v > 0.

enum Identification {
    /// Mean of |v| after the MAD outlier rule on |v|: keep |v| where | |v| − median | / MAD < cutoff
    /// (all when MAD = 0).
    static func centralTendency(_ values: [Double], cutoff: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let a = values.map(abs)
        let med = median(a)
        let d = a.map { abs($0 - med) }
        let mad = median(d)
        if mad == 0 { return a.reduce(0, +) / Double(a.count) }
        var sum = 0.0, n = 0
        for (v, dv) in zip(a, d) where dv / mad < cutoff { sum += v; n += 1 }
        return n == 0 ? 0 : sum / Double(n)
    }

    /// Median as NumPy computes it (mean of the two middle values for an even count), by
    /// selection in linear time rather than a full sort.
    static func median(_ v: [Double]) -> Double {
        var a = v
        let n = a.count
        let upper = select(&a, n / 2)
        if n % 2 == 1 { return upper }
        // The lower middle is the largest value left of the upper middle after selection.
        var lower = a[0]
        for i in 1..<(n / 2) where a[i] > lower { lower = a[i] }
        return (lower + upper) / 2
    }

    /// Hoare's quickselect: moves the k-th smallest value to index k (smaller ones before it).
    static func select(_ a: inout [Double], _ k: Int) -> Double {
        var lo = 0, hi = a.count - 1
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            // Median of three as pivot: deterministic and robust on sorted input.
            let pivot = Swift.max(Swift.min(a[lo], a[mid]), Swift.min(Swift.max(a[lo], a[mid]), a[hi]))
            var i = lo, j = hi
            while i <= j {
                while a[i] < pivot { i += 1 }
                while a[j] > pivot { j -= 1 }
                if i <= j { a.swapAt(i, j); i += 1; j -= 1 }
            }
            if k <= j { hi = j } else if k >= i { lo = i } else { break }
        }
        return a[k]
    }

    static func rate(_ values: [Double], _ active: (Double) -> Bool) -> Double {
        values.isEmpty ? 0 : Double(values.filter(active).count) / Double(values.count)
    }

    /// Per gate block (one in hiddenState mode), each unit's score difference d and, for ReLU
    /// layers, its active rates on positives and negatives. The expensive part of identification
    /// (medians over every observation), and independent of the removal cap.
    struct Scores: Sendable {
        var d: [[Double]], pRate: [[Double]], nRate: [[Double]]
        var perGate: Bool, relu: Bool
    }

    static func scores(_ layer: Recurrent, _ obs: LayerObservations, steps: [Int]?, config: DecompositionConfig) -> Scores {
        let H = layer.units
        let perGate = config.gates == .perGate && layer.gateCount > 1
        let blocks = perGate ? layer.gateCount : 1
        let relu = layer.activation == .relu && layer.gateCount == 1
        var out = Scores(d: [], pRate: [], nRate: [], perGate: perGate, relu: relu)
        for g in 0..<blocks {
            let sigmoidGate = perGate && isSigmoidGate(layer.cell, g)
            var d = [Double](repeating: 0, count: H)
            var pRate = d, nRate = d
            for j in 0..<H {
                let n = (config.gates == .perGate ? g * H : 0) + j
                let p = obs.population(n, positive: true, steps: steps), q = obs.population(n, positive: false, steps: steps)
                if relu {
                    pRate[j] = rate(p) { $0 > 0 }; nRate[j] = rate(q) { $0 > 0 }
                    d[j] = pRate[j] - nRate[j]
                } else if sigmoidGate {
                    d[j] = rate(p) { abs($0) >= config.gateActiveThreshold } - rate(q) { abs($0) >= config.gateActiveThreshold }
                } else {
                    d[j] = centralTendency(p, cutoff: config.madCutoff) - centralTendency(q, cutoff: config.madCutoff)
                }
            }
            out.d.append(d); out.pRate.append(pRate); out.nRate.append(nRate)
        }
        return out
    }

    /// A layer's scores per weight copy (`Mode.copySteps`: one rolled, one per step unrolled);
    /// nil for an unrolled copy whose step was never observed (a class absent at that step):
    /// it loses nothing.
    static func copyScores(_ layer: Recurrent, _ obs: LayerObservations, steps: Int, config: DecompositionConfig) -> [Scores?] {
        config.mode.copySteps(steps).map { copy in
            copy.map { $0.allSatisfy(obs.steps.contains) } ?? true ? scores(layer, obs, steps: copy, config: config) : nil
        }
    }

    /// LSTM i, f, o and GRU z, r are sigmoid gates; LSTM c~ and GRU h~ are tanh (the cell says).
    static func isSigmoidGate(_ cell: Recurrent.Cell, _ g: Int) -> Bool { cell.isSigmoidGate(g) }
}
