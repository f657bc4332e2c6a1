import Testing
@testable import Decomposition
import RNNKit

/// The identification rules on hand-computed cases.
struct IdentificationTests {
    @Test("central tendency: mean of |v| after the MAD rule")
    func centralTendency() {
        // |v| = 1, 2, 3, 100: median 2.5, deviations 1.5, .5, .5, 97.5, MAD 1 → 100 is dropped.
        #expect(Identification.centralTendency([1, -2, 3, 100], cutoff: 2) == 2)
        // MAD 0 keeps everything: (5 + 5 + 5 + 9) / 4.
        #expect(Identification.centralTendency([5, 5, -5, 9], cutoff: 2) == 6)
        #expect(Identification.median([3, 1, 2, 10]) == 2.5)
        #expect(Identification.median([7]) == 7 && Identification.median([2, 2, 2, 1]) == 2)
        // Against a full sort on many sizes and ties.
        var g = SeededRandom(seed: 5)
        for n in 1...200 {
            let v = (0..<n).map { _ in Double(g.next() % 17) }
            let s = v.sorted()
            #expect(Identification.median(v) == (n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2))
        }
    }

    @Test("fraction rule: ascending d, only d < 0, at most maxRemoveFraction of the layer")
    func fractionRule() {
        var c = DecompositionConfig.paper
        let d = [-0.3, 0.1, -0.1, -0.2, 0.05]
        c.maxRemoveFraction = 0.2   // 0/5 < 0.2 → one removal allowed
        #expect(Identification.byAscending(d, 5, c) { $0 < 0 } == [0])
        c.maxRemoveFraction = 0.5   // 0, 1/5, 2/5 < 0.5 → three
        #expect(Identification.byAscending(d, 5, c) { $0 < 0 } == [0, 3, 2])
        c.maxRemoveFraction = 1
        #expect(Identification.byAscending(d, 5, c) { $0 < 0 } == [0, 3, 2], "never a unit with d ≥ 0")
        c.maxRemoveFraction = 0
        #expect(Identification.byAscending(d, 5, c) { $0 < 0 } == [])
    }

    @Test("the authors' rule: after 5 % only units within a factor 1.1 of the first")
    func authorsRule() {
        // H = 4: one removal reaches 25 % ≥ 5 %; then −0.5/−0.4 = 1.25 ≥ 1.1 keeps unit 1.
        #expect(Identification.authorsRule([-0.5, -0.4, -0.1, 0.2], 4) == [0])
        // −0.5/−0.48 = 1.04 < 1.1: removed too.
        #expect(Identification.authorsRule([-0.5, -0.48, 0.3], 3) == [0, 1])
        // Under 5 % (H = 100) every d < 0 is removed until the threshold is reached.
        var d = [Double](repeating: 0.1, count: 100)
        d[7] = -0.2; d[3] = -0.01; d[50] = -0.3
        #expect(Identification.authorsRule(d, 100) == [50, 7, 3])
    }

    @Test("gate kinds: LSTM i, f, o and GRU z, r are sigmoid gates")
    func gates() {
        #expect((0..<4).map { Identification.isSigmoidGate(.lstm, $0) } == [true, true, false, true])
        #expect((0..<3).map { Identification.isSigmoidGate(.gru(resetAfter: false), $0) } == [true, true, false])
    }

    /// Observations of one layer with given per-unit values (positives, negatives) at one step.
    func observations(_ pos: [[Float]], _ neg: [[Float]]) -> LayerObservations {
        LayerObservations(layer: "r", units: pos[0].count, steps: [0], positive: [pos.flatMap { $0 }], negative: [neg.flatMap { $0 }])
    }

    @Test("ReLU layers: scripts rule removes rate_pos − rate_neg ≤ −0.5; paper rule removes units dead on both")
    func reluRules() {
        let r = Recurrent(name: "r", cell: .simple, inputDim: 1, units: 3, activation: .relu)
        // unit 0: active on 0/2 positives, 2/2 negatives (−1 → removed by scripts);
        // unit 1: never active (dead: removed by the paper rule); unit 2: always active.
        let obs = observations([[0, 0, 1], [0, 0, 2]], [[3, 0, 1], [4, 0, 1]])
        var c = DecompositionConfig.paper
        c.maxRemoveFraction = 1
        #expect(Identification.removals(r, obs, steps: nil, config: c) == [0])
        c.reluRule = .paper
        #expect(Identification.removals(r, obs, steps: nil, config: c) == [1])
    }

    @Test("perGate: sigmoid gates by active rate, tanh blocks by central tendency, capped per block")
    func perGate() {
        let r = Recurrent(name: "r", cell: .gru(resetAfter: false), inputDim: 1, units: 2)
        // Units: z0 z1 r0 r1 h0 h1. z1 active on negatives only; r0 likewise; h1 weaker on positives.
        let pos: [[Float]] = [[0.9, 0.1, 0.1, 0.9, 0.5, 0.1], [0.9, 0.2, 0.2, 0.9, 0.5, 0.1]]
        let neg: [[Float]] = [[0.9, 0.8, 0.7, 0.9, 0.5, 0.6], [0.9, 0.9, 0.8, 0.9, 0.5, 0.6]]
        var c = DecompositionConfig.paper
        c.gates = .perGate
        c.maxRemoveFraction = 0.5   // one unit per block of 2
        #expect(Identification.removals(r, observations(pos, neg), steps: nil, config: c) == [1, 2, 5])
    }
}
