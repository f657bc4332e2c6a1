import Corpora
import Foundation
import KitFiles
import HDF5Kit
import RNNKit

/// What the zoo records beside each trained model (the `zoo_metadata` JSON attribute of its file).
public struct ZooMetadata: Codable, Equatable, Sendable {
    public var key: String
    public var model: ZooModel
    public var profile: Profile
    public var recipe: Recipe
    public var architecture: Architecture
    /// Checksum of the data the model was trained on (see `Zoo.datasetChecksum`).
    public var datasetChecksum: String
    public var trainExamples: Int
    public var testExamples: Int
    /// Names of the model's output classes (after any class subset).
    public var labelNames: [String]
    public var epochs: [EpochReport]
    public var test: Evaluation

    public var finalLoss: Double { epochs.last?.loss ?? .nan }
    public var trainSeconds: Double { epochs.reduce(0) { $0 + $1.seconds } }
    public var testAccuracy: Double { test.accuracy }
}

/// A zoo model and its record.
public struct ZooEntry: Sendable {
    public var model: Model
    public var metadata: ZooMetadata
    public var path: String
    /// Whether this call trained it (false: it came from the cache).
    public var trained: Bool
}

/// The model zoo: every model of the paper by name (`ZooModel`), trained on demand into a
/// cache `<root>/<profile>/<key>.h5` (Keras HDF5 plus the metadata attribute), so chapters
/// never train the same model twice. The key hashes the model's name, the recipe, the profile
/// and the data's checksums: change any of them and the model is trained afresh.
public struct Zoo: Sendable {
    /// Bumped when the training code changes what a recipe produces.
    public static let cacheVersion = 2   // 2: the kit's own GEMM (one order of arithmetic) replaced OpenBLAS

    public var profile: Profile
    /// `<root>/<profile>`.
    public var directory: URL
    public var locator: DataLocator

    /// `root` defaults to `.zoo` in the current directory (executables pass `$ZOO_DIR`).
    public init(profile: Profile, root: URL? = nil, locator: DataLocator) {
        let base = root ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".zoo")
        self.profile = profile
        directory = base.appendingPathComponent(profile.rawValue)
        self.locator = locator
    }

    /// Parallel work units train a model once: one trains it, the others wanting it wait and
    /// read the file (written atomically; the check before the lock is only a shortcut).
    /// Threads of one process wait on a keyed lock, processes (`make jobs` under GNU parallel
    /// or Slurm) on a flock of `<zoo>/<profile>/.locks/<key>.lock`.
    private static let training = KeyedLocks()

    private func makeOnce<T>(_ path: String, _ read: () throws -> T, _ make: () throws -> T) throws -> T {
        if FileManager.default.fileExists(atPath: path) { return try read() }
        let lock = directory.appendingPathComponent(".locks").appendingPathComponent(URL(fileURLWithPath: path).lastPathComponent + ".lock").path
        return try Self.training.withLock(path) {
            try withFileLock(lock) {
                if FileManager.default.fileExists(atPath: path) { return try read() }
                return try make()
            }
        }
    }

    public func recipe(for m: ZooModel) -> Recipe { Recipe.standard(dataset: m.dataset, task: m.task, profile: profile) }

    /// The cached model, or a freshly trained one (then cached). `progress` sees each epoch.
    public func entry(_ m: ZooModel, progress: ((EpochReport) -> Void)? = nil) throws -> ZooEntry {
        let key = try self.key(for: m)
        let path = directory.appendingPathComponent(key + ".h5").path
        return try makeOnce(path, { try Self.read(path) }, { try trainEntry(m, key: key, path: path, progress: progress) })
    }

    private func trainEntry(_ m: ZooModel, key: String, path: String, progress: ((EpochReport) -> Void)?) throws -> ZooEntry {
        let data = try dataset(for: m)
        let recipe = recipe(for: m)
        let (out, arch) = try train(data, like: m, name: key, progress: progress)
        let test = try out.model.evaluate(data.test.trainingSet(task: data.task), ignoreLabel: recipe.evaluationIgnoreLabel)
        let metadata = ZooMetadata(key: key, model: m, profile: profile, recipe: recipe, architecture: arch,
                                   datasetChecksum: try datasetChecksum(m), trainExamples: data.train.count,
                                   testExamples: data.test.count, labelNames: data.labelNames, epochs: out.epochs, test: test)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let json = String(decoding: try Self.encoder.encode(metadata), as: UTF8.self)
        try out.model.saveKeras(path: path, extraAttributes: ["zoo_metadata": json])
        return ZooEntry(model: out.model, metadata: metadata, path: path, trained: true)
    }

    /// `m`'s architecture, recipe and seed trained on `data` (its own data set, or one derived
    /// from it); `ignoreLabel` overrides the recipe's training rule for padding targets.
    func train(_ data: Dataset, like m: ZooModel, name: String, ignoreLabel: Int?? = nil,
               progress: ((EpochReport) -> Void)? = nil) throws -> (TrainingOutcome, Architecture) {
        let recipe = recipe(for: m)
        var arch = Architecture.paper(for: data, cell: m.cell, layers: m.layers, units: recipe.units, embed: recipe.embed)
        arch.bidirectional = m.bidirectional
        var config = recipe.training
        config.seed = m.seed
        if let ignoreLabel { config.ignoreLabel = ignoreLabel }
        let initial = try arch.build(name: name).kerasInitialized(seed: m.seed)
        return (try Trainer.train(initial, on: data.train.trainingSet(task: data.task), configuration: config, progress: progress), arch)
    }

    /// A model like `base` (architecture, recipe, seed) trained on a data set derived from its
    /// own — one that Corpora cannot load by name (two classes of a sequence task, a shared
    /// vocabulary built by an experiment). Cached as `<zoo>/derived/<base key>-<tag>.h5`, so
    /// `tag` must name the derivation uniquely; written atomically.
    public func derivedModel(_ data: Dataset, like base: ZooModel, tag: String, ignoreLabel: Int?? = nil) throws -> Model {
        let key = try self.key(for: base) + "-" + tag
        let dir = directory.appendingPathComponent("derived")
        let path = dir.appendingPathComponent(key + ".h5").path
        return try makeOnce(path, { try Model.loadKeras(path: path) }) {
            let (out, _) = try train(data, like: base, name: key, ignoreLabel: ignoreLabel)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try out.model.saveKeras(path: path)
            return out.model
        }
    }

    /// The cached entry, if the model was trained before.
    public func cached(_ m: ZooModel) throws -> ZooEntry? {
        let path = directory.appendingPathComponent(try key(for: m) + ".h5").path
        return FileManager.default.fileExists(atPath: path) ? try Self.read(path) : nil
    }

    /// `<slug>-<hash>`: readable, and unique for the model, recipe, profile and data.
    public func key(for m: ZooModel) throws -> String {
        struct Keyed: Encodable { var version: Int; var model: ZooModel; var recipe: Recipe; var profile: Profile; var data: String }
        let keyed = Keyed(version: Self.cacheVersion, model: m, recipe: recipe(for: m), profile: profile, data: try datasetChecksum(m))
        let hash = SHA256.hex(try Self.encoder.encode(keyed)).prefix(16)
        let slug = [m.dataset.replacingOccurrences(of: "/", with: "_"), (m.bidirectional == true ? "bi" : "") + m.cell.rawValue + "\(m.layers)",
                    m.vocabulary == .combined ? "combined" : nil, m.classes.map { "c" + $0.map(String.init).joined(separator: "_") }]
            .compactMap { $0 }.joined(separator: "-")
        return "\(slug)-\(hash)"
    }

    /// The data a model trains on: loaded through Corpora (checksums verified), subsampled
    /// for the profile, restricted to the class subset.
    public func dataset(for m: ZooModel) throws -> Dataset {
        let data = try LoadedDatasets.shared.dataset(name: m.corporaName, profile: profile, locator: locator)
        guard data.task == m.task else { throw ZooError.taskMismatch(dataset: m.dataset, expected: m.task.rawValue, found: data.task.rawValue) }
        guard let classes = m.classes else { return data }
        return try data.restricted(to: classes)
    }

    /// Real data: the sha256 of every manifest file and the manifest's recipe; synthetic data:
    /// the sha256 of the generated arrays.
    public func datasetChecksum(_ m: ZooModel) throws -> String {
        let base = String(m.dataset.split(separator: "/").first ?? "")
        if Corpora.realNames.contains(base) {
            let manifest = try Corpora.manifest(named: base, locator: locator)
            // A profile's cut of the data set (ProfileCut) changes what trains; none: the key is as before.
            let parts = manifest.files.map { "\($0.path)=\($0.sha256)" } + [manifest.recipe.jsonString, m.corporaName]
                + (ProfileCut.of(m.corporaName, profile: profile).map { [$0.key] } ?? [])
            return SHA256.hex(Data(parts.joined(separator: "\n").utf8))
        }
        let data = try Corpora.load(name: m.corporaName, profile: profile, locator: locator)
        var h = SHA256()
        for s in [data.train, data.test] {
            for t in [s.x, s.y] + [s.xTarget, s.language].compactMap({ $0 }) {
                t.values.withUnsafeBytes { h.update($0) }
            }
        }
        return h.finalize().map { String(format: "%02x", $0) }.joined()
    }

    static func read(_ path: String) throws -> ZooEntry {
        let model = try Model.loadKeras(path: path)
        let file = try HDF5File(path: path)
        guard file.root.hasAttribute("zoo_metadata"),
              let meta = try? JSONDecoder().decode(ZooMetadata.self, from: Data(try file.root.stringAttribute("zoo_metadata").utf8)) else {
            throw ZooError.corruptCacheEntry(path: path, detail: "no readable zoo_metadata attribute")
        }
        return ZooEntry(model: model, metadata: meta, path: path, trained: false)
    }

    static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }
}

/// Data sets already loaded in this process (a chapter asks for the same one for every model,
/// seed and variant; loading verifies checksums and tokenizes, seconds each time). Keyed by
/// name, profile and where the files and manifests were looked for; files are verified the
/// first time, as Corpora does.
final class LoadedDatasets: @unchecked Sendable {
    static let shared = LoadedDatasets()
    private var loaded: [String: Dataset] = [:]
    private let lock = NSLock()

    func dataset(name: String, profile: Profile, locator: DataLocator) throws -> Dataset {
        let key = ([name, profile.rawValue] + locator.roots.map(\.path) + ["|"] + locator.manifests.directories.map(\.path)).joined(separator: "\n")
        lock.lock()
        if let d = loaded[key] { lock.unlock(); return d }
        lock.unlock()
        let d = try Corpora.load(name: name, profile: profile, locator: locator)
        lock.lock(); loaded[key] = d; lock.unlock()
        return d
    }
}
