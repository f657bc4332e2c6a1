import Corpora
import Decomposition
import Zoo

// RQ1 (Table II): which variants of the zoo's models chapter 3 decomposes, and the id of
// each one's unit at a seed (the name of its result file, so it must not change).

extension RQ1Variant {
    /// The translation depths decomposed: every depth, but quick decodes greedily at depth 1 only.
    public static func translationDepths(_ models: [ZooModel], profile: Profile) -> [Int] {
        profile == .quick ? [1] : Array(Set(models.map(\.layers))).sorted()
    }

    /// Rolled always; unrolled where a model has several steps; per gate for LSTM and GRU
    /// (below the paper profile at depth 1 only), model by model.
    public static func plan(_ models: [ZooModel], profile: Profile) -> [RQ1Variant] {
        let translationDepths = translationDepths(models, profile: profile)
        var variants: [RQ1Variant] = []
        for m in models where m.task != .encoderDecoder || translationDepths.contains(m.layers) {
            let modes: [DecompositionConfig.Mode] = m.task == .oneToOne ? [.rolled] : [.rolled, .unrolled]
            let perGate = (m.cell == .lstm || m.cell == .gru) && (profile == .paper || m.layers == 1)
            for mode in modes {
                variants.append(RQ1Variant(model: m, mode: mode, gates: .hiddenState))
                if perGate { variants.append(RQ1Variant(model: m, mode: mode, gates: .perGate)) }
            }
        }
        return variants
    }

    /// The unit id of this variant at `seed`: the zoo key of its model, mode and gates.
    public func unitID(seed: UInt64, zoo: Zoo) -> String {
        var spec = model; spec.seed = seed
        return "\((try? zoo.key(for: spec)) ?? spec.description)-\(mode.rawValue)-\(gates.rawValue)-caps"
    }
}
