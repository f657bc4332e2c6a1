import Corpora
import Decomposition
import DecompositionInputs
import Foundation

/// DIR/manifest.json, written last by `decompose`: it marks a complete modules folder (the
/// only kind of folder `decompose --out` replaces without `--force`) and lets `evaluate`
/// refuse a folder whose modules were deleted, duplicated, truncated or brought in from
/// another decomposition.
struct ModulesManifest: Codable, Equatable {
    static let formatName = "rnn-decompose modules"
    static let fileName = "manifest.json"

    struct Entry: Codable, Equatable { var file: String; var bytes: Int; var sha256: String }
    struct ModuleEntry: Codable, Equatable { var concern: Int; var label: String; var classIDs: [Int]; var file: Entry }

    var format = formatName
    var version = 1
    var sourceModelSHA256: String
    var config: DecompositionConfig
    var modules: [ModuleEntry]
    /// The other files of the folder (activations.h5, summary.json).
    var files: [Entry]

    static func entry(_ dir: String, _ name: String) throws -> Entry {
        let data = try readFile(dir + "/" + name)
        return Entry(file: name, bytes: data.count, sha256: SHA256.hex(data))
    }

    func write(to dir: String) throws {
        let e = JSONEncoder(); e.outputFormatting = [.sortedKeys, .prettyPrinted]
        try (try e.encode(self) + Data("\n".utf8)).write(to: URL(fileURLWithPath: dir + "/" + Self.fileName))
    }

    /// Whether `dir` is a modules folder the kit wrote (what `decompose --out` may replace).
    static func isModulesFolder(_ dir: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: dir + "/" + fileName),
              let m = try? JSONDecoder().decode(ModulesManifest.self, from: data) else { return false }
        return m.format == formatName
    }

    /// Reads and checks the manifest of `dir` against the files there and against the model
    /// (sha256); returns the module files in manifest order.
    static func verifiedModuleFiles(in dir: String, modelSHA256: String) throws -> (ModulesManifest, [String]) {
        func fail(_ why: String) -> DecompositionError { .invalidModulesFolder(path: dir, reason: why) }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else { throw fail("no such folder") }
        guard let data = FileManager.default.contents(atPath: dir + "/" + fileName) else {
            throw fail("no \(fileName): not a complete modules folder written by `decompose` (run decompose again)")
        }
        guard let m = try? JSONDecoder().decode(ModulesManifest.self, from: data), m.format == formatName else {
            throw fail("\(fileName) is not a modules manifest of this kit")
        }
        guard m.version == 1 else { throw fail("\(fileName) has version \(m.version), this kit reads version 1") }
        guard m.sourceModelSHA256 == modelSHA256 else {
            throw DecompositionError.moduleMismatch("\(dir) was decomposed from a model with sha256 \(m.sourceModelSHA256.prefix(12))…, not this one (\(modelSHA256.prefix(12))…)")
        }
        guard !m.modules.isEmpty else { throw fail("\(fileName) lists no modules") }
        let concerns = m.modules.map(\.concern)
        guard Set(concerns).count == concerns.count else { throw fail("\(fileName) lists a class twice") }
        for e in m.modules.map(\.file) + m.files {
            guard !e.file.contains("/"), e.file != "..", e.file != "." else { throw fail("\(fileName) names a file outside the folder: \(e.file)") }
            let path = dir + "/" + e.file
            guard FileManager.default.fileExists(atPath: path) else { throw fail("\(e.file) is listed in \(fileName) but missing") }
            let data = try readFile(path)
            guard data.count == e.bytes, SHA256.hex(data) == e.sha256 else {
                throw fail("\(e.file) differs from \(fileName) (\(data.count) bytes, \(e.bytes) recorded; sha256 \(SHA256.hex(data).prefix(12))…, \(e.sha256.prefix(12))… recorded)")
            }
        }
        let listed = Set(m.modules.map(\.file.file))
        let present = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        if let extra = present.sorted().first(where: { $0.hasPrefix("module_") && $0.hasSuffix(".h5") && !listed.contains($0) }) {
            throw fail("\(extra) is not listed in \(fileName) (a module from elsewhere?)")
        }
        return (m, m.modules.map { dir + "/" + $0.file.file })
    }

    /// Loads the modules and checks each against its manifest entry.
    static func loadModules(in dir: String, modelSHA256: String) throws -> [Module] {
        let (manifest, paths) = try verifiedModuleFiles(in: dir, modelSHA256: modelSHA256)
        return try zip(manifest.modules, paths).map { entry, path in
            let m = try Module.load(from: path)
            guard m.concern == entry.concern, m.classIDs == entry.classIDs, m.sourceModelSHA256 == modelSHA256 else {
                throw DecompositionError.invalidModuleFile(path: path, reason: "holds class \(m.concern) with slots \(m.classIDs), \(fileName) records class \(entry.concern) with \(entry.classIDs)")
            }
            return m
        }
    }
}

/// A file's bytes, with a one-line error naming it.
func readFile(_ path: String) throws -> Data {
    guard let d = FileManager.default.contents(atPath: path) else {
        throw KitFilesReadError(path: path)
    }
    return d
}

struct KitFilesReadError: Error, CustomStringConvertible {
    var path: String
    var description: String {
        FileManager.default.fileExists(atPath: path) ? "cannot read \(path): permission denied or not a file" : "cannot read \(path): no such file"
    }
}
