import Foundation
import Testing

/// The layering rules of docs/ARCHITECTURE.md, checked on the sources themselves.
struct ArchitectureTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The executables' half: the only targets under Sources/ that may print or exit.
    static let executableSide: Set<String> = ["rnn-decompose", "ChapterRuntime"]

    static func swiftFiles(_ dir: URL) -> [URL] {
        (FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? [])
            .filter { $0.pathExtension == "swift" }
    }

    @Test("no library target prints or exits")
    func librariesNeverPrintOrExit() throws {
        let sources = Self.root.appendingPathComponent("Sources")
        let targets = try FileManager.default.contentsOfDirectory(atPath: sources.path).filter { !Self.executableSide.contains($0) }
        #expect(targets.count >= 10, "found \(targets)")
        var offenders: [String] = []
        let call = try Regex(#"(^|[^A-Za-z0-9_.])(print|exit|fatalError)\("#)
        for t in targets {
            for f in Self.swiftFiles(sources.appendingPathComponent(t)) {
                for (n, line) in try String(contentsOf: f, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let code = line.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
                    if code.contains(call) { offenders.append("\(t)/\(f.lastPathComponent):\(n + 1)") }
                }
            }
        }
        #expect(offenders.isEmpty, "\(offenders)")
    }

    @Test("the CLI does not depend on Experiments; only executables and tests use ChapterRuntime")
    func dependencies() throws {
        let manifest = try String(contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        // Each `.target(` / `.executableTarget(` / `.testTarget(` declaration up to the next one.
        let decls = manifest.components(separatedBy: "\n        .").filter { $0.contains("(name: \"") }
        func deps(_ name: String) -> String? { decls.first { $0.contains("(name: \"\(name)\"") } }
        let cli = try #require(deps("rnn-decompose"))
        #expect(!cli.contains("\"Experiments\""))
        for d in decls where d.hasPrefix("target(") && !d.contains("name: \"ChapterRuntime\"") {
            #expect(!d.contains("\"ChapterRuntime\""), "a library depends on ChapterRuntime: \(d.prefix(60))")
        }
    }
}
