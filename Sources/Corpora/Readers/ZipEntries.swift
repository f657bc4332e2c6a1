import Foundation
import ZIPFoundation

/// In-memory reading of a zip archive whose bytes were already verified.
struct ZipEntries {
    let archive: Archive
    let file: String

    init(data: Data, file: String) throws {
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw CorporaError.archive(file: file, detail: "not a readable zip archive (\(error))")
        }
        self.file = file
    }

    /// Paths of the file entries, in archive order.
    var paths: [String] { archive.compactMap { $0.type == .file ? $0.path : nil } }

    func data(_ path: String) throws -> Data {
        guard let entry = archive[path] else { throw CorporaError.archive(file: file, detail: "no entry \(path)") }
        var out = Data()
        out.reserveCapacity(Int(entry.uncompressedSize))
        do {
            _ = try archive.extract(entry, bufferSize: 1 << 16, skipCRC32: false) { out.append($0) }
        } catch {
            throw CorporaError.archive(file: file, detail: "cannot extract \(path): \(error)")
        }
        return out
    }

    func text(_ path: String) throws -> String {
        let d = try data(path)
        guard let s = String(data: d, encoding: .utf8) else {
            throw CorporaError.archive(file: file, detail: "entry \(path) is not UTF-8 text")
        }
        return s
    }
}
