import Corpora
import Decomposition
import Zoo

/// What chapter 4 (RQ2, Table III) reuses in each profile. The paper reuses modules of RNN-4
/// (four stacked recurrent layers). The quick profile runs RNN-1 and a few evenly spread pairs
/// so that it finishes in minutes on two cores; the paper profile runs RNN-4 and every pair.
public struct ReusePlan: Sendable {
    public let profile: Profile
    public let tasks: [Task] = [.oneToOne, .manyToOne, .oneToMany, .manyToMany]
    public let depth: Int
    public let cells: [CellKind]
    /// Pairs per I/O type and cell, evenly spread (nil: all).
    public let pairsPerType: Int?
    /// Inter-type reuse: the quick profile runs the Vanilla cell only, one pair per family and cell.
    public let interCells: [CellKind]
    public let interPairs: Int?

    public init(_ profile: Profile) {
        self.profile = profile
        depth = profile == .paper ? 4 : 1
        cells = profile == .smoke ? [.rnn] : [.rnn, .lstm, .gru]
        pairsPerType = profile == .smoke ? 1 : profile == .quick ? 2 : nil
        interCells = profile == .quick ? [.rnn] : cells
        interPairs = profile == .paper ? nil : 1
    }

    /// The provenance's configuration lines.
    public func configuration(_ setup: ExperimentSetup) -> [String] {
        let cellName = PaperModels.paperCell
        return [
            "models: RNN-\(depth) (\(depth) stacked recurrent layers), cells \(cells.map { cellName($0) }.joined(separator: ", "))"
                + (depth == 4 ? "" : " — the paper uses RNN-4; RNN-1 keeps the quick profile within minutes"),
            "pairs per I/O type and cell: " + (pairsPerType.map { "\($0), evenly spread over all pairs (ReusePairs.spread)" } ?? "all"),
            "decomposition one-output: " + DecompositionConfig.paper(for: .oneToOne).summary,
            "decomposition many-output: " + DecompositionConfig.paper(for: .manyToMany).summary,
            "inter-type reuse: cells \(interCells.map { cellName($0) }.joined(separator: ", ")), "
                + (interPairs.map { "\($0) pair(s) per type pair and cell" } ?? "all pairs with test examples") + ", shared vocabulary built by the chapter (SharedVocabulary)",
            "seeds: \(setup.seedsCaption) (\(setup.seeds.map(String.init).joined(separator: ", "))) for every pair",
            "translation reuse: rolled decoder modules, greedy decoding, BLEU-4" + (ProfileCut.of(setup.datasetName(.encoderDecoder), profile: profile) == nil ? "" : " (Tatoeba as the profile cuts it: ProfileCut)"),
        ]
    }

    /// Every pair the plan reuses, with the names its tables give classes and languages.
    public func items(_ study: ReuseStudy) throws -> ReuseItems {
        var items = ReuseItems()
        for task in tasks {
            let classes = try study.classes(task)
            items.labelNames[task] = classes.names
            let pairs = ReusePairs.spread(classes.concerns, count: pairsPerType)
            for cell in cells { items.intra += pairs.map { ReuseItem(task: task, cell: cell, pair: $0) } }
        }
        let setup = study.setup
        items.languages = try setup.zoo.dataset(for: setup.model(.encoderDecoder, cell: .rnn, layers: depth)).translation?.targetLanguages ?? []
        items.translation = cells.flatMap { cell in
            ReusePairs.spread(Array(items.languages.indices), count: pairsPerType).map { ReuseItem(task: .encoderDecoder, cell: cell, pair: $0) }
        }
        for (one, many) in PaperModels.interTypeFamilies {
            let pairs = try study.interPairs(one, many, count: interPairs)
            for cell in interCells { items.inter += pairs.map { ReuseItem(task: one, partner: many, cell: cell, pair: $0) } }
        }
        return items
    }
}

/// Chapter 4's pairs: intra-type, translation and inter-type, and the names of their classes.
public struct ReuseItems: Sendable {
    public var intra: [ReuseItem] = []
    public var translation: [ReuseItem] = []
    public var inter: [ReuseItem] = []
    var labelNames: [Task: [String]] = [:]
    var languages: [String] = []

    /// "c name" for a class, the language for a translation pair's index, else the id.
    public func className(_ task: Task, _ c: Int) -> String {
        let names = labelNames[task] ?? []
        if task == .encoderDecoder { return c < languages.count ? languages[c] : "\(c)" }
        return c < names.count ? "\(c) \(names[c])" : "\(c)"
    }
}

extension ReuseItem {
    /// The item in the record's "not yet run" list.
    public func label(depth: Int) -> String {
        "\(task.rawValue)\(partner.map { " + \($0.rawValue)" } ?? "") \(cell.rawValue)\(depth), pair \(pair.c1)–\(pair.c2)"
    }
}
