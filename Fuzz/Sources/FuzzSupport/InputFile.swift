import Foundation

/// The file a target hands its reader: one per process in `$TMPDIR`, rewritten for every
/// input (libFuzzer runs one input at a time) and removed when the process exits.
public final class InputFile: @unchecked Sendable {
    public let path: String

    public init(suffix: String) {
        let dir = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        path = "\(dir)/kit-fuzz-\(getpid())-\(suffix)"
        InputFile.created.append(path)
        if InputFile.created.count == 1 { atexit { for p in InputFile.created { unlink(p) } } }
    }

    nonisolated(unsafe) private static var created: [String] = []

    /// Replaces the file's contents with `size` bytes at `data`. A harness that cannot write
    /// its input file has nothing to test: it says so and exits (not a finding).
    public func write(_ data: UnsafePointer<UInt8>, _ size: Int) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { InputFile.fail("open \(path)") }
        defer { close(fd) }
        var done = 0
        while done < size {
            let n = Glibc.write(fd, data + done, size - done)
            guard n > 0 else { InputFile.fail("write \(path)") }
            done += n
        }
    }

    private static func fail(_ what: String) -> Never {
        FileHandle.standardError.write(Data("fuzz harness: \(what): \(String(cString: strerror(errno)))\n".utf8))
        exit(2)
    }
}
