import Foundation

/// Facts about this run that a report's provenance block records: the code's commit and the
/// machine. Read here, in the executables' runtime, so the report library stays pure; each once
/// per process (on first use), so every result of one process names the same commit.
enum RunFacts {
    /// `git rev-parse --short HEAD` (with `-dirty` when tracked files other than the generated
    /// reports have changes: a run rewrites `reports/`, which says nothing about the code), or "unknown".
    static let commit: String = {
        func git(_ args: [String]) -> String? {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["git"] + args
            let out = Pipe()
            p.standardOutput = out; p.standardError = FileHandle.nullDevice
            guard (try? p.run()) != nil else { return nil }
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return p.terminationStatus == 0 ? String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : nil
        }
        guard let head = git(["rev-parse", "--short", "HEAD"]) else { return "unknown" }
        let dirty = !(git(["status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)reports"]) ?? "").isEmpty
        return head + (dirty ? "-dirty" : "")
    }()

    /// Cores, memory and OS, as one line.
    static let machine: String = {
        let p = ProcessInfo.processInfo
        return "\(p.activeProcessorCount) cores, \(p.physicalMemory >> 30) GiB, \(p.operatingSystemVersionString)"
    }()
}
