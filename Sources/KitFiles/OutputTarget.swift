import CFileOps
import Foundation

/// One output of a command (a file or a folder), written so that nothing is ever lost:
///
/// - before any computation: the path is not an input and holds no input; whatever is there
///   is something the command may replace (its own earlier output, or anything with `force`);
///   the folder is writable (the temporary is created now); a lock keeps a second writer out;
///   temporaries of killed processes are removed.
/// - the caller writes into `temporary`; `commit()` swaps it into place atomically
///   (renameat2 RENAME_EXCHANGE, else rename aside, rename, remove), then removes the old copy.
/// - dropping the target uncommitted (an error, a signal) removes the temporary.
public final class OutputTarget {
    public enum Kind: Sendable { case file, folder }

    /// The output path, as given.
    public let path: String
    public let kind: Kind
    /// Where to write: a file (`.name.tmp-PID-N`, created empty) or a folder (`name.tmp-PID`).
    public let temporary: String
    private let lockPath: String
    private var lockFD: Int32 = -1
    private var committed = false

    /// `isReplaceable(path)` says whether what exists at `path` is this command's own kind of
    /// output (replaced without `force`). An empty folder is always replaceable.
    public init(path: String, kind: Kind, inputs: [String], force: Bool, isReplaceable: (String) -> Bool) throws {
        guard !path.isEmpty else { throw FileError.notWritable(path: "\"\"", cause: "empty path") }
        var p = path
        while p.count > 1, p.hasSuffix("/") { p.removeLast() }
        self.path = p
        self.kind = kind
        let url = URL(fileURLWithPath: p)
        let dir = url.deletingLastPathComponent().path, name = url.lastPathComponent
        guard name != ".", name != "..", name != "/" else { throw FileError.notWritable(path: path, cause: "not a file or folder name") }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw FileError.notWritable(path: p, cause: "folder \(dir) does not exist")
        }
        try Self.refuseInputs(p, inputs)
        lockPath = dir + "/.\(name).lock"
        temporary = kind == .folder ? p + ".tmp-\(TemporaryFiles.ownerPID)" : TemporaryFiles.sibling(of: p)
        try acquireLock()
        TemporaryFiles.removeStale(near: p)
        var st = stat()
        if lstat(p, &st) == 0, !force, !Self.isEmptyFolder(p), !isReplaceable(p) {
            release()
            throw FileError.outputExists(path: p, found: Self.describe(p, st))
        }
        // Creating the temporary now proves the folder writable before hours of work.
        TemporaryFiles.register(temporary)
        let made = kind == .folder ? mkdir(temporary, 0o777) : open(temporary, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o666)
        if made < 0 {
            let cause = FileError.errnoText()
            TemporaryFiles.unregister(temporary)
            release()
            throw FileError.notWritable(path: p, cause: cause)
        }
        if kind == .file { close(made) }
    }

    deinit { release() }

    /// Puts `temporary` in place of `path` and removes what was there.
    public func commit() throws {
        precondition(!committed, "OutputTarget committed twice")
        var st = stat()
        if lstat(path, &st) != 0 {
            guard rename(temporary, path) == 0 else { throw FileError.system(call: "rename", path: path, cause: FileError.errnoText()) }
        } else if kit_exchange(temporary, path) == 0 {
            // `temporary` now names the old copy; it stays registered until removed.
            TemporaryFiles.removeTree(temporary)
        } else if kind == .file, (st.st_mode & S_IFMT) != S_IFDIR {
            guard rename(temporary, path) == 0 else { throw FileError.system(call: "rename", path: path, cause: FileError.errnoText()) }
        } else {
            // No exchange on this file system: set the old copy aside (restored by the next
            // run if we die before the second rename), put the new one in place, remove the old.
            let aside = path + ".old-\(TemporaryFiles.ownerPID)"
            guard rename(path, aside) == 0 else { throw FileError.system(call: "rename", path: path, cause: FileError.errnoText()) }
            guard rename(temporary, path) == 0 else {
                let cause = FileError.errnoText()
                _ = rename(aside, path)
                throw FileError.system(call: "rename", path: path, cause: cause)
            }
            TemporaryFiles.removeTree(aside)
        }
        committed = true
        TemporaryFiles.unregister(temporary)
        release()
    }

    /// Removes the temporary when not committed, and the lock.
    private func release() {
        if !committed {
            TemporaryFiles.removeTree(temporary)
            TemporaryFiles.unregister(temporary)
        }
        guard lockFD >= 0 else { return }
        // Unlink while still holding the lock: a waiter that opened this inode re-checks the
        // path after locking and starts over on the new file.
        unlink(lockPath)
        TemporaryFiles.unregister(lockPath)
        close(lockFD)
        lockFD = -1
    }

    /// An exclusive flock on `.name.lock` beside the output; fails at once when held.
    private func acquireLock() throws {
        TemporaryFiles.register(lockPath)
        for _ in 0..<100 {
            let fd = open(lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o666)
            guard fd >= 0 else {
                let cause = FileError.errnoText()
                TemporaryFiles.unregister(lockPath)
                throw FileError.notWritable(path: path, cause: cause)
            }
            if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                var buf = [UInt8](repeating: 0, count: 32)
                let n = read(fd, &buf, 31)
                close(fd)
                TemporaryFiles.unregister(lockPath)
                let holder = n > 0 ? "pid \(String(decoding: buf[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))" : "unknown pid"
                throw FileError.busy(path: path, holder: holder)
            }
            // The previous holder may have unlinked the file between our open and our lock.
            var a = stat(), b = stat()
            if fstat(fd, &a) == 0, stat(lockPath, &b) == 0, a.st_ino == b.st_ino, a.st_dev == b.st_dev {
                _ = ftruncate(fd, 0)
                let pid = "\(TemporaryFiles.ownerPID)\n"
                _ = pid.withCString { write(fd, $0, strlen($0)) }
                lockFD = fd
                return
            }
            close(fd)
        }
        TemporaryFiles.unregister(lockPath)
        throw FileError.busy(path: path, holder: "lock file keeps changing")
    }

    /// Refuses an output that is an input or (as a folder to be replaced) contains one.
    static func refuseInputs(_ output: String, _ inputs: [String]) throws {
        var o = stat()
        let outputExists = stat(output, &o) == 0
        let outputReal = realPath(output)
        for input in inputs {
            var i = stat()
            if outputExists, stat(input, &i) == 0, i.st_dev == o.st_dev, i.st_ino == o.st_ino {
                throw FileError.outputIsInput(output: output, input: input)
            }
            if let outputReal, let inputReal = realPath(input), inputReal.hasPrefix(outputReal + "/") {
                throw FileError.outputHoldsInput(output: output, input: input)
            }
        }
    }

    static func realPath(_ p: String) -> String? {
        guard let r = realpath(p, nil) else { return nil }
        defer { free(r) }
        return String(cString: r)
    }

    static func isEmptyFolder(_ p: String) -> Bool {
        (try? FileManager.default.contentsOfDirectory(atPath: p))?.isEmpty ?? false
    }

    static func describe(_ p: String, _ st: stat) -> String {
        switch st.st_mode & S_IFMT {
        case S_IFDIR:
            let n = (try? FileManager.default.contentsOfDirectory(atPath: p).count) ?? 0
            return "a folder of \(n) entr\(n == 1 ? "y" : "ies")"
        case S_IFREG: return "a file of \(st.st_size) bytes"
        case S_IFLNK: return "a symbolic link"
        default: return "a special file"
        }
    }
}
