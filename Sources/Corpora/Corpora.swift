@_exported import KitRandom

/// Data set manifests, loaders, the Keras-compatible text pipeline and the synthetic tasks.
///
/// `Corpora.load(name:profile:locator:)` is the one entry point: a real data set by manifest
/// name (files verified against their sha256 first), a variant as `name/variant`
/// (`tatoeba_estonian/s2`), or one of `SyntheticTasks.names`.
public enum Corpora {
    /// The real data sets, each with `data-manifests/<name>.json`.
    public static let realNames = ["math_qa", "clinc_oos", "brown", "wiki_toxicity", "tatoeba", "tatoeba_ukrainian", "tatoeba_estonian"]

    /// Every loadable name.
    public static var names: [String] { realNames + SyntheticTasks.names }

    /// The paper's data set for each I/O shape.
    public static let paperDataset: [Task: String] = [
        .oneToOne: "math_qa", .manyToOne: "clinc_oos", .oneToMany: "wiki_toxicity",
        .manyToMany: "brown", .encoderDecoder: "tatoeba",
    ]

    public static func load(name: String, profile: Profile, locator: DataLocator) throws -> Dataset {
        if let task = SyntheticTasks.names.firstIndex(of: name).map({ Task.allCases[$0] }) {
            return SyntheticTasks.make(task, profile: profile)
        }
        let parts = name.split(separator: "/", maxSplits: 1).map(String.init)
        guard let base = parts.first, realNames.contains(base) else { throw CorporaError.unknownDataset(name: name, known: names) }
        if parts.count > 1, !TranslationLoader.bases.contains(base) { throw CorporaError.unknownDataset(name: name, known: names) }
        let ctx = LoadContext(manifest: try locator.manifests.manifest(named: base), locator: locator)
        let full: Dataset
        switch base {
        case "math_qa": full = try MathQALoader.load(ctx)
        case "clinc_oos": full = try ClincLoader.load(ctx)
        case "brown": full = try BrownLoader.load(ctx)
        case "wiki_toxicity": full = try WikiToxicityLoader.load(ctx)
        default: full = try TranslationLoader.load(ctx, variant: parts.count > 1 ? parts[1] : nil)
        }
        if let cut = ProfileCut.of(name, profile: profile) { return cut.apply(full, profile: profile) }
        return full.subsampled(for: profile)
    }

    /// The data set the kit uses for `task`: the paper's when its files are present (they are
    /// still verified: an altered file is an error, not a reason to fall back), otherwise the
    /// synthetic task.
    public static func defaultDataset(for task: Task, profile: Profile, locator: DataLocator) throws -> Dataset {
        let name = paperDataset[task]!
        if let manifest = try? locator.manifests.manifest(named: name), locator.isPresent(manifest) {
            return try load(name: name, profile: profile, locator: locator)
        }
        return SyntheticTasks.make(task, profile: profile)
    }

    /// For a translation data set (`name` or `name/variant`): how many test pairs of a split
    /// shuffled with `evaluatorSeed` (the authors' evaluators use 89) are training pairs of the
    /// kit's split (the recipe's seed, 19, as the authors' decomposers use).
    public static func evaluatorSplitOverlap(name: String, evaluatorSeed: UInt64 = 89, locator: DataLocator) throws -> (testPairs: Int, inTraining: Int) {
        let parts = name.split(separator: "/", maxSplits: 1).map(String.init)
        guard let base = parts.first, TranslationLoader.bases.contains(base) else { throw CorporaError.unknownDataset(name: name, known: Array(TranslationLoader.bases).sorted()) }
        let ctx = LoadContext(manifest: try locator.manifests.manifest(named: base), locator: locator)
        return try TranslationLoader.evaluatorSplitOverlap(ctx, variant: parts.count > 1 ? parts[1] : nil, evaluatorSeed: evaluatorSeed)
    }

    public static func manifest(named name: String, locator: DataLocator) throws -> Manifest {
        guard realNames.contains(name) else { throw CorporaError.unknownDataset(name: name, known: realNames) }
        return try locator.manifests.manifest(named: name)
    }

    /// One line of `data list` that needs no loading: what the manifest says and whether the
    /// files are present (not yet hashed; `DataLocator.verify` does that).
    public struct CatalogEntry: Equatable, Sendable {
        public var name: String
        public var title: String
        public var task: Task
        public var license: String
        public var sources: [String]
        public var bytes: Int
        /// Manifest files not found under any root.
        public var missingFiles: [String]
        public var isPresent: Bool { missingFiles.isEmpty }
    }

    /// The real data sets' manifests and presence; a manifest that cannot be read is an error.
    public static func catalog(locator: DataLocator) throws -> [CatalogEntry] {
        try realNames.map { name in
            let m = try locator.manifests.manifest(named: name)
            return CatalogEntry(name: name, title: m.title, task: m.task, license: m.license.name, sources: m.sources.map(\.url),
                                bytes: m.files.reduce(0) { $0 + $1.bytes },
                                missingFiles: m.files.filter { (try? locator.locate($0)) == nil }.map(\.path))
        }
    }
}
