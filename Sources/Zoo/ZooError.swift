/// Why the zoo cannot name, load or train a model.
public enum ZooError: Error, CustomStringConvertible, Equatable {
    case taskMismatch(dataset: String, expected: String, found: String)
    case invalidClassSubset(dataset: String, classes: [Int], detail: String)
    case unsupported(String)
    case corruptCacheEntry(path: String, detail: String)

    public var description: String {
        switch self {
        case let .taskMismatch(dataset, expected, found):
            return "data set \(dataset) is \(found), the model asks for \(expected)"
        case let .invalidClassSubset(dataset, classes, detail): return "class subset \(classes) of \(dataset): \(detail)"
        case let .unsupported(s): return s
        case let .corruptCacheEntry(path, detail): return "zoo cache entry \(path) is unusable (\(detail)); delete it to retrain"
        }
    }
}
