import Foundation

/// Where a report's numbers came from, as data. Rendered between fixed markers so that two runs can be
/// compared byte for byte after removing this block (it alone holds timings and the machine).
public struct Provenance: Sendable {
    public static let begin = "<!-- provenance:begin -->"
    public static let end = "<!-- provenance:end -->"

    public var command: String
    public var profile: String
    public var commit: String
    /// Cores, memory and OS, as one line.
    public var machine: String
    /// (name, sha256) of each data manifest or input file the chapter read.
    public var inputs: [(name: String, sha256: String)] = []
    public var configuration: [String] = []
    /// How the numbers were computed (the GEMM kernel), beside the machine line.
    public var numerics: String?
    public var started = Date()
    public var wallSeconds: Double?

    /// The runtime fills `commit` and `machine` (ChapterRuntime's RunFacts); the report library
    /// only renders what it is given.
    public init(command: String, profile: String, commit: String, machine: String) {
        self.command = command; self.profile = profile; self.commit = commit; self.machine = machine
    }

    public func render() -> String {
        var lines = [Provenance.begin, "**Provenance**", "",
                     "- command: `\(command)`", "- profile: \(profile)", "- commit: \(commit)",
                     "- machine: \(machine)"]
        if let numerics { lines.append("- numerics: \(numerics)") }
        if let w = wallSeconds { lines.append(String(format: "- wall time: %.1f s", w)) }
        lines += configuration.map { "- \($0)" }
        lines += inputs.map { "- input `\($0.name)` sha256 \($0.sha256)" }
        lines.append(Provenance.end)
        return lines.joined(separator: "\n")
    }

    /// `text` with the provenance block removed (for determinism checks).
    public static func strip(_ text: String) -> String {
        guard let a = text.range(of: begin), let b = text.range(of: end) else { return text }
        return text.replacingCharacters(in: a.lowerBound..<b.upperBound, with: "")
    }
}
