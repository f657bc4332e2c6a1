import Foundation

/// Every temporary file and folder the process has created and not yet renamed into place,
/// so that a signal handler can remove them (`removeAll`) and the next run can recognise
/// those of a killed process by their names (`removeStale`).
///
/// Names: `<dir>/.<name>.tmp-<pid>-<n>` (files), `<dir>/<name>.tmp-<pid>` (folders) and
/// `<dir>/<name>.old-<pid>` (a replaced folder on its way out).
public enum TemporaryFiles {
    private static let lock = NSCondition()
    nonisolated(unsafe) private static var paths = Set<String>()
    nonisolated(unsafe) private static var closed = false
    nonisolated(unsafe) private static var counter = 0
    nonisolated(unsafe) private static var observer: (([String]) -> Void)?

    /// The process id temporary names and locks carry: this process's, or, in a worker the
    /// CLI started (its crash guard), the CLI's, which is the process users see and signal.
    /// Set once at start-up, before any temporary exists.
    nonisolated(unsafe) public static var ownerPID: pid_t = getpid()

    /// Calls `observe` with every registered path after each change (lock held; it must not
    /// register anything): the CLI mirrors the list to the process that started it, which
    /// removes them if this process is killed by a signal it cannot catch.
    public static func observe(_ observe: @escaping ([String]) -> Void) {
        lock.lock(); defer { lock.unlock() }
        observer = observe
        observe(paths.sorted())
    }

    /// Records `path` before it is created. Once `removeAll` has started (the process is
    /// being interrupted) this blocks for good, so no new temporary appears behind the cleanup.
    public static func register(_ path: String) {
        lock.lock(); defer { lock.unlock() }
        while closed { lock.wait() }
        paths.insert(path)
        observer?(paths.sorted())
    }

    /// Forgets `path` (renamed into place or removed).
    public static func unregister(_ path: String) {
        lock.lock(); defer { lock.unlock() }
        if paths.remove(path) != nil { observer?(paths.sorted()) }
    }

    /// A number unique within the process, for temporary names.
    public static func nextNumber() -> Int {
        lock.lock(); defer { lock.unlock() }
        counter += 1
        return counter
    }

    /// `dir/.name.tmp-PID-N`: beside `path` (so the rename is atomic), hidden, unique per call.
    public static func sibling(of path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(ownerPID)-\(nextNumber())").path
    }

    /// Removes every registered path (recursively) and refuses new registrations: for
    /// SIGINT/SIGTERM, just before the process dies. Paths stay recorded, so a second call a
    /// moment later also removes what a running write created after the first.
    public static func removeAll() {
        lock.lock()
        closed = true
        let all = paths
        lock.unlock()
        for p in all { removeTree(p) }
    }

    /// Removes `path` whatever it is (file, folder, dangling link), ignoring a missing path.
    public static func removeTree(_ path: String) {
        var st = stat()
        guard lstat(path, &st) == 0 else { return }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            try? FileManager.default.removeItem(atPath: path)
        } else {
            unlink(path)
        }
    }

    /// Removes temporaries of `target` left by processes that no longer run (after SIGKILL or
    /// a power cut). A folder set aside while being replaced (`name.old-PID`) is put back when
    /// the target is missing, since it is then the only copy.
    @discardableResult
    public static func removeStale(near target: String) -> [String] {
        let url = URL(fileURLWithPath: target)
        let dir = url.deletingLastPathComponent().path, name = url.lastPathComponent
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [] }
        var removed: [String] = []
        for e in entries {
            guard let (kind, pid) = parse(e, name: name), pid != ownerPID, !isAlive(pid) else { continue }
            let p = dir + "/" + e
            if kind == "old", !FileManager.default.fileExists(atPath: target) {
                if rename(p, target) == 0 { continue }
            }
            removeTree(p)
            removed.append(p)
        }
        return removed
    }

    /// Removes `registered` (the list a worker had registered when it died of a signal) as far
    /// as they are this process's temporaries by name (`ownerPID`), so a torn or foreign entry
    /// is never removed: temporaries and locks go, a folder set aside while being replaced is
    /// put back when its target is missing.
    public static func removeLeftovers(of registered: [String]) {
        for p in registered {
            let url = URL(fileURLWithPath: p)
            let dir = url.deletingLastPathComponent().path, entry = url.lastPathComponent
            if entry.hasPrefix("."), entry.hasSuffix(".lock"), entry.count > 6 {
                // A lock is ours when it names our pid (OutputTarget writes it there).
                if let text = try? String(contentsOfFile: p, encoding: .utf8),
                   text.trimmingCharacters(in: .whitespacesAndNewlines) == "\(ownerPID)" { unlink(p) }
                continue
            }
            let name: String
            if entry.hasPrefix("."), let r = entry.range(of: ".tmp-\(ownerPID)-") {
                name = String(entry[entry.index(after: entry.startIndex)..<r.lowerBound])
            } else if let r = entry.range(of: ".tmp-\(ownerPID)", options: .backwards), r.upperBound == entry.endIndex {
                name = String(entry[..<r.lowerBound])
            } else if let r = entry.range(of: ".old-\(ownerPID)", options: .backwards), r.upperBound == entry.endIndex {
                name = String(entry[..<r.lowerBound])
            } else { continue }
            guard !name.isEmpty, let (kind, pid) = parse(entry, name: name), pid == ownerPID else { continue }
            let target = dir + "/" + name
            if kind == "old", !FileManager.default.fileExists(atPath: target), rename(p, target) == 0 { continue }
            removeTree(p)
        }
    }

    /// ("tmp" | "old", pid) when `entry` is one of the kit's temporary names for `name`.
    static func parse(_ entry: String, name: String) -> (String, pid_t)? {
        for (prefix, kind) in [(".\(name).tmp-", "tmp"), ("\(name).tmp-", "tmp"), ("\(name).old-", "old")] where entry.hasPrefix(prefix) {
            let rest = entry.dropFirst(prefix.count)
            let digits = rest.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
            guard let first = digits.first, let pid = pid_t(first), pid > 0,
                  digits.count == 1 || (digits.count == 2 && Int(digits[1]) != nil) else { continue }
            return (kind, pid)
        }
        return nil
    }

    /// Whether a process with this id exists (EPERM: it exists but belongs to someone else).
    static func isAlive(_ pid: pid_t) -> Bool { kill(pid, 0) == 0 || errno == EPERM }
}
