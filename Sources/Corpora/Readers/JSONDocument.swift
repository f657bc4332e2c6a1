import Foundation

/// Parses JSON with Foundation, but reports errors as `file:line`: a syntax error's byte offset
/// (Foundation says "around character N") becomes a line number, and `elementLines` gives the
/// line on which each element of a top-level array starts, for errors about one item.
enum JSONDocument {
    static func parse(_ data: Data, file: String) throws -> Any {
        do {
            return try JSONSerialization.jsonObject(with: data)
        } catch {
            let message = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            var line = 0
            if let range = message.range(of: #"character (\d+)"#, options: .regularExpression),
               let offset = Int(message[range].dropFirst("character ".count)) {
                line = 1 + data.prefix(min(offset, data.count)).reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            }
            throw CorporaError.malformedJSON(file: file, line: line, detail: message)
        }
    }

    /// 1-based line of each top-level array element's first byte (strings and nesting respected).
    static func elementLines(_ data: Data) -> [Int] {
        var lines: [Int] = []
        var line = 1, depth = 0
        var inString = false, escaped = false, expectElement = false
        for b in data {
            if b == 0x0A { line += 1 }
            if inString {
                if escaped { escaped = false } else if b == 0x5C { escaped = true } else if b == 0x22 { inString = false }
                continue
            }
            let isSpace = b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09
            if depth == 1, expectElement, !isSpace, b != 0x5D { lines.append(line); expectElement = false }
            switch b {
            case 0x22: inString = true
            case 0x5B, 0x7B:
                depth += 1
                if depth == 1 { expectElement = true }
            case 0x5D, 0x7D: depth -= 1
            case 0x2C where depth == 1: expectElement = true
            default: break
            }
        }
        return lines
    }
}

extension JSONDocument {
    /// Keys of the top-level object in document order (Foundation's dictionaries lose it; the
    /// Clinc labels are the key order of domains.json).
    static func objectKeys(_ data: Data) -> [String] {
        var keys: [String] = []
        var depth = 0, inString = false, escaped = false, expectKey = false
        var current: [UInt8] = []
        for b in data {
            if inString {
                if escaped { escaped = false; current.append(b) }
                else if b == 0x5C { escaped = true }
                else if b == 0x22 {
                    inString = false
                    if expectKey { keys.append(String(decoding: current, as: UTF8.self)); expectKey = false }
                } else { current.append(b) }
                continue
            }
            switch b {
            case 0x22: inString = true; current = []
            case 0x7B, 0x5B:
                depth += 1
                if depth == 1 && b == 0x7B { expectKey = true }
            case 0x7D, 0x5D: depth -= 1
            case 0x2C where depth == 1: expectKey = true
            default: break
            }
        }
        return keys
    }
}
