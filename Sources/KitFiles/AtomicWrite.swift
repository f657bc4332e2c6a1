import Foundation

/// The kit's one way to write a file: into a registered hidden sibling (removed on error or
/// SIGINT/SIGTERM, recognised as stale after SIGKILL) renamed into place only when `body`
/// succeeded, so a reader never sees a half-written file and a failure keeps the old version.
/// `body` receives the temporary path and writes the whole file there.
public func writeAtomically<T>(to path: String, _ body: (String) throws -> T) throws -> T {
    // Temporaries a killed process left for this same file go first (they carry its pid).
    TemporaryFiles.removeStale(near: path)
    let tmp = TemporaryFiles.sibling(of: path)
    TemporaryFiles.register(tmp)
    defer { TemporaryFiles.unregister(tmp) }
    do {
        let result = try body(tmp)
        guard rename(tmp, path) == 0 else { throw FileError.system(call: "rename", path: path, cause: FileError.errnoText()) }
        return result
    } catch {
        TemporaryFiles.removeTree(tmp)
        throw error
    }
}

/// `text` as UTF-8 at `path`, atomically (`writeAtomically`), creating the folder (reports, results).
public func writeTextAtomically(_ text: String, to path: String) throws {
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try writeAtomically(to: path) { tmp in
        guard FileManager.default.createFile(atPath: tmp, contents: Data(text.utf8)) else {
            throw FileError.notWritable(path: path, cause: String(cString: strerror(errno)))
        }
    }
}
