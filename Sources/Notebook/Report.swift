import Foundation
import KitFiles

/// A chapter's report: Markdown blocks in reading order, with one provenance block (the only
/// place run-dependent values such as timings may appear) right after the title.
public struct Report: Sendable {
    public var title: String
    public var firstLine: String
    public var provenance: Provenance
    /// Set for a record merged from stored unit results: its `Coverage:` line opens the report,
    /// and the items still missing a unit close it.
    public var coverage: Coverage?
    private var blocks: [String] = []
    private var figures: [(name: String, svg: String)] = []
    /// File name stem of the report, used to name its figures (set by `write`).
    public var figurePrefix: String

    /// `firstLine` states the data the run used (real or synthetic) — the first thing a reader sees.
    /// `stem` is the report's file name without `.md` (figures are named after it).
    public init(title: String, firstLine: String, provenance: Provenance, stem: String) {
        self.title = title; self.firstLine = firstLine; self.provenance = provenance; self.figurePrefix = stem
    }

    public mutating func heading(_ text: String, level: Int = 2) { blocks.append(String(repeating: "#", count: level) + " " + text) }
    public mutating func paragraph(_ text: String) { blocks.append(text) }
    public mutating func bullets(_ items: [String]) { blocks.append(items.map { "- " + $0 }.joined(separator: "\n")) }
    public mutating func table(_ t: MarkdownTable, caption: String? = nil) {
        blocks.append((caption.map { "*\($0)*\n\n" } ?? "") + t.render())
    }
    public mutating func code(_ text: String, language: String = "") { blocks.append("```\(language)\n\(text)\n```") }

    /// An SVG figure written beside the report (`<report>-<name>.svg`) and linked from it.
    public mutating func figure(_ svg: String, name: String, caption: String) {
        figures.append((name, svg))
        blocks.append("![\(caption)](\(figurePrefix)-\(name).svg)\n\n*\(caption)*")
    }

    public func render() -> String {
        var parts = ["# " + title] + (coverage.map { [$0.line] + ($0.isComplete ? [] : [Coverage.partialNote]) } ?? []) + [firstLine, provenance.render()] + blocks
        if let c = coverage, !c.notYetRun.isEmpty {
            parts.append("## Not yet run")
            let shown = c.measured.contains { !$0.isEmpty }
            parts.append("These \(c.notYetRun.count) items have a unit missing from the record, so their rows are absent from the tables above; "
                         + "running the chapter's jobs (`make jobs`, README) and merging again fills them in."
                         + (shown ? " Under an item partly run, what each of its seeds in the record measured: single values, in no table, summary or verdict (an interval needs every seed)." : ""))
            parts.append(c.notYetRun.enumerated().map { i, item in
                (["- \(item)"] + (i < c.measured.count ? c.measured[i] : []).map { "  - \($0)" }).joined(separator: "\n")
            }.joined(separator: "\n"))
        }
        return parts.joined(separator: "\n\n") + "\n"
    }

    /// Writes the report `<directory>/<stem>.md` and its figures, each atomically.
    public func write(toDirectory directory: String) throws {
        let dir = URL(fileURLWithPath: directory)
        for (name, svg) in figures { try writeTextAtomically(svg, to: dir.appendingPathComponent("\(figurePrefix)-\(name).svg").path) }
        try writeTextAtomically(render(), to: dir.appendingPathComponent("\(figurePrefix).md").path)
    }
}
