import Foundation

/// Text files of one sentence per line, as `bleu` reads them. Line ends may be LF, CRLF or
/// CR (Swift treats "\r\n" as one character, so splitting a `String` on "\n" would merge
/// CRLF lines); a final line end is optional. Bytes are split before decoding, so invalid
/// UTF-8 is reported with its line.
public enum SentenceFile {
    public enum ReadError: Error, CustomStringConvertible, Equatable {
        case unreadable(path: String)
        case invalidUTF8(path: String, line: Int)
        public var description: String {
            switch self {
            case let .unreadable(path):
                return FileManager.default.fileExists(atPath: path) ? "cannot read \(path): not a readable file" : "cannot read \(path): no such file"
            case let .invalidUTF8(path, line): return "\(path) line \(line): not valid UTF-8 text"
            }
        }
    }

    public static func lines(path: String) throws -> [String] {
        var isDir: ObjCBool = false
        // Through a FileHandle, not FileManager.contents(atPath:) or Data(contentsOf:): those
        // leak a 4 KiB buffer for every empty file they read (swift-foundation's zero-size
        // path; found by make fuzz, fuzz-bleu).
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue,
              let handle = FileHandle(forReadingAtPath: path) else { throw ReadError.unreadable(path: path) }
        defer { try? handle.close() }
        let data: Data?
        do { data = try handle.readToEnd() } catch { throw ReadError.unreadable(path: path) }
        guard let data else { return [] }   // nil: nothing before the end
        return try lines(bytes: [UInt8](data), path: path)
    }

    public static func lines(bytes: [UInt8], path: String) throws -> [String] {
        var out: [String] = []
        var start = 0, i = 0
        func emit(_ end: Int) throws {
            guard let s = String(validating: bytes[start..<end], as: UTF8.self) else {
                throw ReadError.invalidUTF8(path: path, line: out.count + 1)
            }
            out.append(s)
        }
        while i < bytes.count {
            switch bytes[i] {
            case 0x0A:
                try emit(i); i += 1; start = i
            case 0x0D:
                try emit(i); i += (i + 1 < bytes.count && bytes[i + 1] == 0x0A) ? 2 : 1; start = i
            default:
                i += 1
            }
        }
        if start < bytes.count { try emit(bytes.count) }
        return out
    }
}
