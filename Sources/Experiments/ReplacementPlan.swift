import Corpora
import Decomposition
import Zoo

/// What chapter 5 (RQ3, Table IV) replaces in each profile. smoke (tests): synthetic data, LSTM
/// only, RNN-1 and RNN-2. quick: real data, the three cells, RNN-1 and RNN-2 only (the
/// worst/best pick is among two), 100 samples per class for decomposition, 3 (class,
/// replacement class) pairs per inter direction, translation on Tatoeba as the profile cuts it
/// (ProfileCut: a subsample with a capped target vocabulary). paper: RNN-1…4, 500 samples per
/// class, every inter pair, translation.
public struct ReplacementPlan: Sendable {
    public let profile: Profile
    public let tasks: [Task] = [.oneToOne, .manyToOne, .oneToMany, .manyToMany]
    public let cells: [CellKind]
    public let depths: [Int]
    public let samplesPerClass: Int
    /// Inter-type replacement: one depth, some cells, and (below paper) some pairs per direction.
    public let interDepth: Int
    public let interPairs: Int?
    public let interCells: [CellKind]

    public init(_ profile: Profile) {
        let smoke = profile == .smoke, paper = profile == .paper
        self.profile = profile
        cells = smoke ? [.lstm] : [.rnn, .lstm, .gru]
        depths = paper ? [1, 2, 3, 4] : [1, 2]
        samplesPerClass = profile.pick(smoke: 40, quick: 100, paper: 500)
        interDepth = paper ? 4 : 1
        interPairs = paper ? nil : (smoke ? 2 : 3)
        interCells = smoke ? [.lstm] : (paper ? [.rnn, .lstm, .gru] : [.lstm])
    }

    /// What the profile cuts, in the report's words.
    public var profileNote: String {
        profile.pick(
            smoke: "Profile smoke: a self-check on tiny data (LSTM only, RNN-1 and RNN-2, 2 training epochs); its numbers say nothing about the paper.",
            quick: "Profile quick — what is cut to finish in minutes: the zoo's quick data (at most 4,000 training and 1,000 test examples per data set), RNN-1 and RNN-2 only (the paper picks the worst and best among RNN-1…4), \(samplesPerClass) samples per class for decomposition (paper: 500), inter-type replacement for LSTM-1 only with \(interPairs ?? 0) (class, replacement class) pairs per direction (paper: every pair, three cells), translation on the quick Tatoeba subsample with its capped target vocabulary (see its section). `--profile paper` runs everything.",
            paper: "Profile paper: full data, RNN-1…4, 500 samples per class, every inter-type pair for the three cells, translation.")
    }

    /// The provenance's configuration lines.
    public func configuration(_ setup: ExperimentSetup) -> [String] {
        [
            "decomposition: paper preset, hidden-state gates, maxRemoveFraction \(DecompositionConfig.paper.maxRemoveFraction), \(samplesPerClass) samples per class; rolled for 1:1 and M:1, unrolled for 1:N, M:N and the decoder",
            "intra: cells \(cells.map(\.rawValue).joined(separator: ", ")), depths RNN-\(depths.map(String.init).joined(separator: ",")); worst/best by the kit's measured monolithic test accuracy",
            "inter: cells \(interCells.map(\.rawValue).joined(separator: ", ")), RNN-\(interDepth) trained on the shared vocabulary of chapter 4 (SharedVocabulary); \(interPairs.map { "\($0) pairs per direction" } ?? "every (class, replacement class) pair")",
            "seeds: \(setup.seedsCaption) (\(setup.seeds.map(String.init).joined(separator: ", "))) for every unit; worst and best chosen per seed",
            "translation: cells \(cells.map(\.rawValue).joined(separator: ", ")), depths RNN-\(depths.map(String.init).joined(separator: ",")), worst/best by mean 4-gram BLEU"
                + (ProfileCut.of(setup.datasetName(.encoderDecoder), profile: profile) == nil ? "" : " (Tatoeba as the profile cuts it: ProfileCut)"),
        ]
    }

    /// Intra-type replacement of one I/O type and cell at one seed, among the zoo's RNN-`depths`.
    public func intra(_ setup: ExperimentSetup, task: Task, cell: CellKind, seed: UInt64) throws -> IntraReplacement.Result {
        let zooModels = depths.map { setup.model(task, cell: cell, layers: $0, seed: seed) }
        return try IntraReplacement.run(models: try zooModels.map { try setup.zoo.entry($0).model }, depths: depths,
                                        data: try setup.zoo.dataset(for: zooModels[0]),
                                        config: .paper(for: task, seed: seed, samplesPerClass: samplesPerClass))
    }

    /// Inter-type replacement both ways within a family, for one cell at one seed.
    public func inter(_ setup: ExperimentSetup, one: Task, many: Task, cell: CellKind, seed: UInt64) throws -> InterReplacement.Result {
        try InterReplacement.run(setup, one: one, many: many, cell: cell, layers: interDepth, seed: seed,
                                 pairs: interPairs, samplesPerClass: samplesPerClass)
    }

    /// Translation replacement for one cell at one seed, among the zoo's RNN-`depths`.
    public func translation(_ setup: ExperimentSetup, cell: CellKind, seed: UInt64) throws -> TranslationReplacement.Result {
        let zooModels = depths.map { setup.model(.encoderDecoder, cell: cell, layers: $0, seed: seed) }
        return try TranslationReplacement.run(models: try zooModels.map { try setup.zoo.entry($0).model }, depths: depths,
                                              data: try setup.zoo.dataset(for: zooModels[0]), seed: seed, samplesPerClass: samplesPerClass)
    }
}
