import Foundation

/// Every choice of the method (ALGORITHMS.md §2) in one value, printed with every result.
/// `paper` is the default: Keras-exact forward pass and the paper's rules. `authors`
/// reproduces the authors' published numbers (ALGORITHMS.md §2b).
public struct DecompositionConfig: Codable, Sendable, Equatable {
    public enum Preset: String, Codable, Sendable, CaseIterable { case paper, authors }
    /// Rolled modules share one set of recurrent weights across time steps; unrolled ones keep
    /// a copy per step, each identified from its own step's observations (ALGORITHMS.md §2).
    public enum Mode: String, Codable, Sendable, CaseIterable {
        case rolled, unrolled
        /// Weight copies a layer of `steps` time steps gets.
        public func copies(_ steps: Int) -> Int { self == .rolled ? 1 : steps }
        /// The observed steps each copy is identified from: rolled, one copy from all of them
        /// (nil); unrolled, copy t from step t alone.
        public func copySteps(_ steps: Int) -> [[Int]?] { self == .rolled ? [nil] : (0..<steps).map { [$0] } }
    }
    /// `hiddenState`: one value per unit (h_t); `perGate`: one per gate unit (G·H values).
    public enum GateStrategy: String, Codable, Sendable, CaseIterable { case hiddenState, perGate }
    /// Which steps a one-output rolled decomposition observes (many-output models always
    /// observe the output step being identified; unrolled decompositions observe every step,
    /// each for its own weight copy).
    public enum ObservedSteps: String, Codable, Sendable { case all, last }
    /// ReLU layers: `scripts` removes n when rate_pos − rate_neg ≤ −0.5 (what produced the
    /// authors' tables); `paper` removes nodes never active on positives unless active on
    /// negatives (CI_relu then TI_relu).
    public enum ReLURule: String, Codable, Sendable { case scripts, paper }
    /// How removals are capped: `fraction` stops at `maxRemoveFraction` of the layer (per gate
    /// block in perGate mode); `authors` is the authors' script rule (§2b item 5).
    public enum RemovalRule: String, Codable, Sendable { case fraction, authors }
    /// How negatives are drawn: `perClass` M/(K−1) from each other class, seeded (the paper);
    /// `firstOfOthers` the first ⌈M/(K−1)⌉ training examples of any other class (authors).
    public enum Sampling: String, Codable, Sendable { case seededPerClass, firstInStorageOrder }

    public var preset: Preset = .paper
    public var mode: Mode = .rolled
    public var gates: GateStrategy = .hiddenState
    public var maxRemoveFraction: Double = 0.2
    public var samplesPerClass: Int = 500
    public var seed: UInt64 = 1
    public var observedSteps: ObservedSteps = .all
    public var reluRule: ReLURule = .scripts
    public var removalRule: RemovalRule = .fraction
    public var sampling: Sampling = .seededPerClass
    /// Outlier rule of the central tendency: keep v where |v − median| / MAD < madCutoff.
    public var madCutoff: Double = 2
    /// perGate: a sigmoid gate unit is active when |v| ≥ this.
    public var gateActiveThreshold: Double = 0.5
    /// Evaluate rolled many-output modules as the authors' evaluators did, with zeroed
    /// embedding and recurrent weights (`AuthorsSemantics.evaluatorArtifact`). Off unless
    /// asked for; nil in files written before the switch existed.
    public var authorsEvaluatorArtifact: Bool? = nil
    public var usesAuthorsEvaluatorArtifact: Bool { authorsEvaluatorArtifact ?? false }

    public init() {}

    /// The paper's method with the Keras-exact forward pass (the default).
    public static let paper = DecompositionConfig()

    /// What the authors' published numbers were computed with (ALGORITHMS.md §2b): first-M
    /// sampling, the last step's hidden state, 5 % removal rule; the forward semantics
    /// (logistic gates, reset-after GRU candidate, float64) are applied by `AuthorsSemantics`.
    public static var authors: DecompositionConfig {
        var c = DecompositionConfig()
        c.preset = .authors
        c.maxRemoveFraction = 0.05
        c.observedSteps = .last
        c.removalRule = .authors
        c.sampling = .firstInStorageOrder
        return c
    }

    public static func preset(_ p: Preset) -> DecompositionConfig { p == .paper ? .paper : .authors }

    /// One line for reports and summaries.
    public var summary: String {
        "preset \(preset.rawValue), mode \(mode.rawValue), gates \(gates.rawValue), maxRemoveFraction \(maxRemoveFraction), "
            + "samples \(samplesPerClass) per class (\(sampling.rawValue), seed \(seed)), observed steps \(observedSteps.rawValue), "
            + "ReLU rule \(reluRule.rawValue), removal rule \(removalRule.rawValue), MAD cutoff \(madCutoff), gate active ≥ \(gateActiveThreshold)"
            + (usesAuthorsEvaluatorArtifact ? ", authors' evaluator artifact (rolled many-output modules voted with zeroed weights)" : "")
    }

    /// Stable JSON (sorted keys) for files.
    public func json() throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return String(decoding: try e.encode(self), as: UTF8.self)
    }
}
