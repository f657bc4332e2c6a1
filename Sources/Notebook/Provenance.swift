import Foundation

/// Where a report's numbers came from. Rendered between fixed markers so that two runs can be
/// compared byte for byte after removing this block (it alone holds timings and the machine).
public struct Provenance: Sendable {
    public static let begin = "<!-- provenance:begin -->"
    public static let end = "<!-- provenance:end -->"

    public var command: String
    public var profile: String
    public var commit: String
    /// (name, sha256) of each data manifest or input file the chapter read.
    public var inputs: [(name: String, sha256: String)] = []
    public var configuration: [String] = []
    /// How the numbers were computed (the GEMM kernel), beside the machine line.
    public var numerics: String?
    public var started = Date()
    public var wallSeconds: Double?

    public init(command: String, profile: String, commit: String = Provenance.gitCommit()) {
        self.command = command; self.profile = profile; self.commit = commit
    }

    public func render() -> String {
        var lines = [Provenance.begin, "**Provenance**", "",
                     "- command: `\(command)`", "- profile: \(profile)", "- commit: \(commit)",
                     "- machine: \(Provenance.machine())"]
        if let numerics { lines.append("- numerics: \(numerics)") }
        if let w = wallSeconds { lines.append(String(format: "- wall time: %.1f s", w)) }
        lines += configuration.map { "- \($0)" }
        lines += inputs.map { "- input `\($0.name)` sha256 \($0.sha256)" }
        lines.append(Provenance.end)
        return lines.joined(separator: "\n")
    }

    /// `git rev-parse --short HEAD` (with `-dirty` when tracked files other than the generated
    /// reports have changes: a run rewrites `reports/`, which says nothing about the code), or "unknown".
    public static func gitCommit() -> String {
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
    }

    /// Cores, memory and OS, as one line.
    public static func machine() -> String {
        let p = ProcessInfo.processInfo
        return "\(p.activeProcessorCount) cores, \(p.physicalMemory >> 30) GiB, \(p.operatingSystemVersionString)"
    }

    /// `text` with the provenance block removed (for determinism checks).
    public static func strip(_ text: String) -> String {
        guard let a = text.range(of: begin), let b = text.range(of: end) else { return text }
        return text.replacingCharacters(in: a.lowerBound..<b.upperBound, with: "")
    }
}
