import Corpora
import Decomposition

extension DecompositionConfig {
    /// The paper preset as RQ2 and RQ3 decompose: `mode`, the seed of the unit (it sets the
    /// sampling), and optionally fewer samples per class (the quick profile).
    public static func paper(mode: Mode, seed: UInt64 = DecompositionConfig.paper.seed, samplesPerClass: Int? = nil) -> DecompositionConfig {
        var c = DecompositionConfig.paper
        c.mode = mode
        c.seed = seed
        if let samplesPerClass { c.samplesPerClass = samplesPerClass }
        return c
    }

    /// The paper preset for a classification model: rolled for one-output models (1:1, M:1),
    /// unrolled for many-output ones (1:N, M:N), the paper's setting. (Table II's rolled
    /// many-output collapse is the authors' evaluator voting with zeroed weights, not the
    /// method: chapter 3 shows both.) Translation chooses its mode itself.
    public static func paper(for task: Task, seed: UInt64 = DecompositionConfig.paper.seed, samplesPerClass: Int? = nil) -> DecompositionConfig {
        paper(mode: task == .oneToMany || task == .manyToMany ? .unrolled : .rolled, seed: seed, samplesPerClass: samplesPerClass)
    }
}
