import Foundation

/// One lock per key (a file being made, a model's modules), so that parallel work in one
/// process makes each thing once: whoever comes second waits for the first and then finds it.
/// Work on different keys does not wait.
public final class KeyedLocks: @unchecked Sendable {
    private var locks: [String: NSLock] = [:]
    private let lock = NSLock()
    public init() {}

    public func withLock<T>(_ key: String, _ body: () throws -> T) rethrows -> T {
        let l = lock.withLock { () -> NSLock in
            if let l = locks[key] { return l }
            let l = NSLock()
            locks[key] = l
            return l
        }
        l.lock(); defer { l.unlock() }
        return try body()
    }
}
