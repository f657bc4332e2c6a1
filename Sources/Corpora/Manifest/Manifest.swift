import Foundation

/// One data set's manifest (`data-manifests/<name>.json`): where the files come from, their
/// license, size and sha256, and the parameters of the paper's preprocessing recipe.
public struct Manifest: Codable, Equatable, Sendable {
    public struct Source: Codable, Equatable, Sendable {
        public var url: String
        public var description: String
    }

    public struct License: Codable, Equatable, Sendable {
        public var name: String
        public var url: String?
    }

    /// A file relative to a data root, e.g. `clinc_oos/clinc_oos.zip`.
    public struct File: Codable, Equatable, Sendable {
        public var path: String
        public var bytes: Int
        public var sha256: String
        public var role: String
    }

    public var name: String
    public var title: String
    public var task: Task
    public var sources: [Source]
    public var license: License
    public var citation: String
    public var files: [File]
    /// The recipe parameters; each loader decodes the part it needs.
    public var recipe: JSONValue
    public var notes: [String]

    public func file(_ path: String) throws -> File {
        guard let f = files.first(where: { $0.path == path }) else {
            throw CorporaError.manifest(name: name, detail: "lists no file \(path)")
        }
        return f
    }
}

/// Where manifests are read from: `$RNN_MANIFEST_DIR`, then `data-manifests/` in the current
/// directory, then the package's own `data-manifests/` (found from this source file's path,
/// so a binary built from the checkout works from any directory).
public struct ManifestStore: Sendable {
    public var directories: [URL]

    public init(directories: [URL]) { self.directories = directories }

    public static func standard(environment: [String: String],
                                currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) -> ManifestStore {
        var dirs: [URL] = []
        if let env = environment["RNN_MANIFEST_DIR"], !env.isEmpty { dirs.append(URL(fileURLWithPath: env)) }
        dirs.append(currentDirectory.appendingPathComponent("data-manifests"))
        dirs.append(packageRoot.appendingPathComponent("data-manifests"))
        return ManifestStore(directories: dirs)
    }

    /// The package's own `data-manifests/` only.
    public static var packaged: ManifestStore { ManifestStore(directories: [packageRoot.appendingPathComponent("data-manifests")]) }

    /// Three levels above Sources/Corpora/Manifest/Manifest.swift.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    public func manifest(named name: String) throws -> Manifest {
        for dir in directories {
            let url = dir.appendingPathComponent(name + ".json")
            guard let data = try? Data(contentsOf: url) else { continue }
            do {
                return try JSONDecoder().decode(Manifest.self, from: data)
            } catch {
                throw CorporaError.manifest(name: name, detail: "\(url.path) does not decode: \(error)")
            }
        }
        throw CorporaError.manifest(name: name, detail: "no \(name).json in \(directories.map(\.path).joined(separator: ", "))")
    }
}
