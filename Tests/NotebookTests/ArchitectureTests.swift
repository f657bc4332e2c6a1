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

    /// Lines of code (not blank, not comments) of `text`.
    static func codeLines(_ text: String) -> [Substring] {
        text.split(separator: "\n").filter { let t = $0.drop { $0 == " " }; return !t.isEmpty && !t.hasPrefix("//") }
    }

    @Test("the paper's names and per-task settings have one home (Experiments/PaperModels.swift, PaperConfigs.swift)")
    func sharedTablesAreNotRedefined() throws {
        // A cell-name or I/O-label table, or a per-task decomposition config, written out again.
        let copies = try Regex(#"\.rnn: "|"vanilla"|"1:1"|"M:1"|"M:N"|func config\(for|c\.mode = \("#)
        var offenders: [String] = []
        for dir in ["Sources", "chapters"] {
            for f in Self.swiftFiles(Self.root.appendingPathComponent(dir)) where f.lastPathComponent != "PaperModels.swift" {
                for line in Self.codeLines(try String(contentsOf: f, encoding: .utf8)) where line.contains(copies) {
                    offenders.append("\(f.lastPathComponent): \(line.trimmingCharacters(in: .whitespaces).prefix(80))")
                }
            }
        }
        #expect(offenders.isEmpty, "\(offenders)")
    }

    @Test("chapters read as the story: measurement lives in Experiments, so no chapter main.swift outgrows the ratchet")
    func chaptersStayShort() throws {
        // At most about 200 lines each.
        let limits: [String: Int] = [:]
        let mains = Self.swiftFiles(Self.root.appendingPathComponent("chapters")).filter { $0.lastPathComponent == "main.swift" }
        #expect(mains.count == 6, "every chapter's main.swift found")
        for f in mains {
            let chapter = f.deletingLastPathComponent().lastPathComponent
            let lines = try String(contentsOf: f, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).count
            #expect(lines <= limits[chapter, default: 200], "\(chapter)/main.swift has \(lines) lines")
        }
    }
}
