import Foundation

/// A one-line progress display on standard error, shown only when it is a terminal.
public final class Progress: @unchecked Sendable {
    private let total: Int
    private let label: String
    private var done = 0
    private let lock = NSLock()
    private let enabled = isatty(STDERR_FILENO) != 0

    public init(_ label: String, total: Int) { self.label = label; self.total = total }

    public func advance(_ note: String = "") {
        lock.lock(); defer { lock.unlock() }
        done += 1
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(label) \(done)/\(total) \(note)".utf8))
        if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
