// Why do some of the kit's own rolled many-output compositions collapse?
//
// A small experiment on the rolled 1:N and M:N models of depth 1: the same monitoring,
// identified at caps 0 (channeling only), 0.05 and 0.2. For each cap: the composed accuracy
// with the kit's vote (each module scores σ(z_c − z_ns), ALGORITHMS.md) and with the vote it
// used before (the padding slot kept in each module's 3-way softmax), and, for the latter,
// which module wins where and how confident each module is on its own positions. And for the model: how often it
// predicts padding at a position whose true label is not padding — the positions the vote,
// which has no padding module, can never get wrong that way.

import Corpora
import Decomposition
import Foundation
import RNNKit
import Zoo

public struct ProbeCap: Codable, Sendable {
    public var cap: Double
    /// CMA when each module scores with its padding slot kept (p_c of the 3-way softmax): the
    /// kit's vote before it followed ALGORITHMS.md; the statistics below are of this vote.
    public var cmaWithPaddingSlot: Double
    /// CMA with the kit's vote, σ(z_c − z_ns) (`Module.dominantProbability`).
    public var cma: Double
    /// The concern that wins the most counted positions, and its share of them.
    public var topConcern: Int
    public var topShare: Double
    /// Counted positions whose true label is `topConcern`, as a share.
    public var topTrueShare: Double
    /// Mean over modules of the mean dominant score on the module's own true positions.
    public var ownScore: Double
    public var removedUnits: Int
}

public struct ProbeResult: Codable, Sendable {
    public var mma: Double
    /// Share of counted (non-padding) positions where the model predicts padding.
    public var paddingPredicted: Double
    /// The model's accuracy when its argmax leaves out the padding class.
    public var mmaWithoutPadding: Double
    public var caps: [ProbeCap]
}

public enum CollapseProbe {
    public static let caps = [0.0, 0.05, 0.2]

    /// A unit result written before the probe moved into the variant's unit.
    public struct Missing: Error, CustomStringConvertible {
        public var model: String
        public init(model: String) { self.model = model }
        public var description: String { "the collapse probe of \(model) is missing from its unit result (delete the chapter's results folder and rerun)" }
    }

    /// The variants probed: rolled, hidden state, many-output, depth 1. Chapter 3's own unit for
    /// such a variant computes the probe from the modules it identified (its caps include these).
    public static func applies(_ m: ZooModel, mode: DecompositionConfig.Mode, gates: DecompositionConfig.GateStrategy) -> Bool {
        (m.task == .oneToMany || m.task == .manyToMany) && m.layers == 1 && mode == .rolled && gates == .hiddenState
    }

    public static func models(_ all: [ZooModel]) -> [ZooModel] { all.filter { applies($0, mode: .rolled, gates: .hiddenState) } }

    /// `atCaps[i]`: the modules identified at `caps[i]` from one monitoring of `model`.
    public static func run(model: Model, test: LabeledData, atCaps: [[Module]]) throws -> ProbeResult {
        let padding = test.paddingLabel ?? 0
        let counted = test.labels.indices.filter { test.labels[$0] != padding }
        let probs = try model.predict([model.inputs[0].name: test.x]).prediction
        let K = test.numClasses
        var correct = 0, predictedPadding = 0, correctWithoutPadding = 0
        for i in counted {
            let row = probs.data[(i * K)..<((i + 1) * K)]
            let best = row.indices.max { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) }! - i * K
            if best == test.labels[i] { correct += 1 }
            if best == padding { predictedPadding += 1 }
            let real = row.indices.filter { $0 - i * K != padding }.max { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) }! - i * K
            if real == test.labels[i] { correctWithoutPadding += 1 }
        }
        let n = Double(counted.count)
        let results = try zip(caps, atCaps).map { cap, modules -> ProbeCap in
            // Per module, per position: its 3-slot probabilities [padding, non-dominant, dominant].
            let scores = try modules.map { try $0.model.predict([$0.model.inputs[0].name: test.x]).prediction.data }
            func vote(_ score: (Int, Int) -> Float) -> [Int] {
                Voting.winners(labels: modules.map(\.concern), positions: counted, score: score)
            }
            let full = vote { mi, i in scores[mi][i * 3 + 2] }
            let noPad = vote { mi, i in Module.binaryScore(nonDominant: scores[mi][i * 3 + 1], dominant: scores[mi][i * 3 + 2]) }
            let truth = counted.map { test.labels[$0] }
            var wins: [Int: Int] = [:]
            for c in full { wins[c, default: 0] += 1 }
            let top = wins.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }!
            let own = modules.enumerated().compactMap { mi, mod -> Double? in
                let mine = counted.filter { test.labels[$0] == mod.concern }
                return mine.isEmpty ? nil : mine.reduce(0.0) { $0 + Double(scores[mi][$1 * 3 + 2]) } / Double(mine.count)
            }
            let removed = modules.reduce(0) { $0 + $1.removedUnitCount }
            return ProbeCap(cap: cap, cmaWithPaddingSlot: Double(zip(full, truth).filter { $0 == $1 }.count) / n,
                            cma: Double(zip(noPad, truth).filter { $0 == $1 }.count) / n,
                            topConcern: top.key, topShare: Double(top.value) / n,
                            topTrueShare: Double(truth.filter { $0 == top.key }.count) / n,
                            ownScore: own.reduce(0, +) / Double(max(own.count, 1)), removedUnits: removed)
        }
        return ProbeResult(mma: Double(correct) / n, paddingPredicted: Double(predictedPadding) / n,
                           mmaWithoutPadding: Double(correctWithoutPadding) / n, caps: results)
    }
}
