/// Everything that can go wrong while finding, verifying and reading data. Each case names the
/// file so a user can act on it.
public enum CorporaError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A manifest file was not found under any search root.
    case fileMissing(file: String, expectedSHA256: String, searched: [String])
    /// The file was found but its bytes are not the ones the manifest describes.
    case checksumMismatch(file: String, path: String, expected: String, actual: String)
    /// A JSON document does not parse, or an item lacks what the recipe needs.
    case malformedJSON(file: String, line: Int, detail: String)
    /// A CSV record does not parse or holds an unexpected value. `line` is where the record starts.
    case malformedCSV(file: String, line: Int, detail: String)
    /// Any other text file with bad content (a Brown token without a tag, unaligned corpora, …).
    case malformedText(file: String, line: Int, detail: String)
    /// An archive is unreadable or lacks an entry.
    case archive(file: String, detail: String)
    /// No such data set.
    case unknownDataset(name: String, known: [String])
    /// No `<name>.json` in the manifest directories, or it does not decode.
    case manifest(name: String, detail: String)
    /// A dataset .h5 lacks something or holds inconsistent shapes.
    case invalidDatasetFile(path: String, detail: String)

    public var description: String {
        switch self {
        case let .fileMissing(file, expected, searched):
            return "data file \(file) not found (expected sha256 \(expected)); searched: \(searched.joined(separator: ", ")). "
                + "Set DATA_DIR or run `make data`."
        case let .checksumMismatch(file, path, expected, actual):
            return "data file \(file) at \(path) has sha256 \(actual), but the manifest expects \(expected): the file is altered or a different version"
        case let .malformedJSON(file, line, detail): return "\(file):\(line): malformed JSON: \(detail)"
        case let .malformedCSV(file, line, detail): return "\(file):\(line): malformed CSV: \(detail)"
        case let .malformedText(file, line, detail): return "\(file):\(line): \(detail)"
        case let .archive(file, detail): return "archive \(file): \(detail)"
        case let .unknownDataset(name, known): return "unknown data set '\(name)'; known: \(known.joined(separator: ", "))"
        case let .manifest(name, detail): return "manifest \(name): \(detail)"
        case let .invalidDatasetFile(path, detail): return "dataset file \(path): \(detail)"
        }
    }
}
