import Foundation

/// Finds a manifest's files under a list of roots and verifies their sha256.
///
/// The standard roots, in order: the caller's explicit roots, `$DATA_DIR` (default `data/`
/// relative to the current directory), then `$SHARED_DIR/data` (default `../shared/data`
/// relative to the current directory).
public struct DataLocator: Sendable {
    public var roots: [URL]
    public var manifests: ManifestStore

    public init(roots: [URL], manifests: ManifestStore = .packaged) {
        self.roots = roots
        self.manifests = manifests
    }

    /// `environment` is the process's, read by the executable and passed down (libraries
    /// never read it themselves).
    public static func standard(extraRoots: [URL] = [],
                                environment: [String: String],
                                currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) -> DataLocator {
        let dataDir = environment["DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "data"
        let dataRoot = dataDir.hasPrefix("/") ? URL(fileURLWithPath: dataDir) : currentDirectory.appendingPathComponent(dataDir)
        let sharedDir = environment["SHARED_DIR"].flatMap { $0.isEmpty ? nil : $0 }
        let shared = sharedDir.map { ($0.hasPrefix("/") ? URL(fileURLWithPath: $0) : currentDirectory.appendingPathComponent($0)).appendingPathComponent("data") }
            ?? currentDirectory.deletingLastPathComponent().appendingPathComponent("shared/data")
        return DataLocator(roots: extraRoots + [dataRoot.standardizedFileURL, shared.standardizedFileURL],
                           manifests: .standard(environment: environment, currentDirectory: currentDirectory))
    }

    /// The first root holding `file` (existence only).
    public func locate(_ file: Manifest.File) throws -> URL {
        for root in roots {
            let url = root.appendingPathComponent(file.path)
            if FileManager.default.fileExists(atPath: url.path) { return url }
        }
        throw CorporaError.fileMissing(file: file.path, expectedSHA256: file.sha256, searched: roots.map(\.path))
    }

    /// The file's bytes, after checking their sha256 against the manifest.
    public func read(_ file: Manifest.File) throws -> Data {
        let url = try locate(file)
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw CorporaError.fileMissing(file: file.path, expectedSHA256: file.sha256, searched: [url.path + " (unreadable: \(error.localizedDescription))"])
        }
        let actual = SHA256.hex(data)
        guard actual == file.sha256.lowercased() else {
            throw CorporaError.checksumMismatch(file: file.path, path: url.path, expected: file.sha256, actual: actual)
        }
        return data
    }

    /// Verifies every file of `manifest`; throws the first problem.
    public func verify(_ manifest: Manifest) throws {
        for f in manifest.files { _ = try read(f) }
    }

    /// Whether every file of the manifest is present (without hashing): the quick check used to
    /// choose between real and synthetic data. Loading still verifies the checksums.
    public func isPresent(_ manifest: Manifest) -> Bool {
        manifest.files.allSatisfy { (try? locate($0)) != nil }
    }
}
