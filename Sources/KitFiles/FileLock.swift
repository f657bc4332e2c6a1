import Foundation

/// Runs `body` holding an exclusive advisory lock (flock) on `lockPath`, waiting while another
/// process holds it: processes that want to make the same thing (a zoo model wanted by two
/// parallel jobs) make it once; the second finds it made. The lock file is created if missing
/// and left in place (removing it could let a third process lock a different inode); the lock
/// itself ends with the descriptor, also when the process dies.
public func withFileLock<T>(_ lockPath: String, _ body: () throws -> T) throws -> T {
    let dir = (lockPath as NSString).deletingLastPathComponent
    if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
    let fd = open(lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o666)
    guard fd >= 0 else { throw FileError.notWritable(path: lockPath, cause: FileError.errnoText()) }
    defer { close(fd) }
    while flock(fd, LOCK_EX) != 0 {
        guard errno == EINTR else { throw FileError.system(call: "flock", path: lockPath, cause: FileError.errnoText()) }
    }
    defer { flock(fd, LOCK_UN) }
    return try body()
}
