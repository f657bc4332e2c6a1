import Foundation

/// Seeds a target writes at start-up (from `LLVMFuzzerInitialize`) into the folder named by
/// `KIT_FUZZ_SEEDS`, which `make fuzz` sets to the target's corpus: files the kit itself
/// writes, so they follow the writer as it changes and nothing binary is committed.
public enum Seeds {
    public static let folderVariable = "KIT_FUZZ_SEEDS"

    /// The folder, when seeding was asked for.
    public static var folder: String? { ProcessInfo.processInfo.environment[folderVariable] }

    /// Writes `name` → bytes into the folder (when set), keeping files already there.
    public static func write(_ files: [(name: String, bytes: [UInt8])]) {
        guard let folder else { return }
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, bytes) in files {
            let path = folder + "/" + name
            if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: Data(bytes)) }
        }
    }

    /// Writes files made by `make` (which gets a scratch folder to write into): for seeds
    /// that only exist as files the kit writes (HDF5).
    public static func writeFiles(_ make: (String) throws -> [String]) {
        guard folder != nil else { return }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("kit-fuzz-seeds-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        do {
            let names = try make(scratch)
            write(names.map { ($0, [UInt8](FileManager.default.contents(atPath: scratch + "/" + $0) ?? Data())) })
        } catch {
            FileHandle.standardError.write(Data("fuzz harness: could not write seeds: \(error)\n".utf8))
            exit(2)
        }
    }
}
