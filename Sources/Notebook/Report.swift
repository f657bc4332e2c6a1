import Foundation

/// A chapter's report: Markdown blocks in reading order, with one provenance block (the only
/// place run-dependent values such as timings may appear) right after the title.
public struct Report: Sendable {
    public var title: String
    public var firstLine: String
    public var provenance: Provenance
    private var blocks: [String] = []

    /// `firstLine` states the data the run used (real or synthetic) — the first thing a reader sees.
    public init(title: String, firstLine: String, provenance: Provenance) {
        self.title = title; self.firstLine = firstLine; self.provenance = provenance
    }

    public mutating func heading(_ text: String, level: Int = 2) { blocks.append(String(repeating: "#", count: level) + " " + text) }
    public mutating func paragraph(_ text: String) { blocks.append(text) }
    public mutating func bullets(_ items: [String]) { blocks.append(items.map { "- " + $0 }.joined(separator: "\n")) }
    public mutating func table(_ t: MarkdownTable, caption: String? = nil) {
        blocks.append((caption.map { "*\($0)*\n\n" } ?? "") + t.render())
    }
    public mutating func code(_ text: String, language: String = "") { blocks.append("```\(language)\n\(text)\n```") }

    public func render() -> String {
        (["# " + title, firstLine, provenance.render()] + blocks).joined(separator: "\n\n") + "\n"
    }

    /// Writes the report atomically (temporary sibling, then rename).
    public func write(to path: String) throws { try writeTextAtomically(render(), to: path) }
}

/// Writes `text` through a temporary sibling renamed into place, so a reader never sees a
/// half-written file and a failure leaves the previous version intact.
public func writeTextAtomically(_ text: String, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
    do {
        try Data(text.utf8).write(to: tmp)
        if rename(tmp.path, path) != 0 { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
    } catch {
        try? FileManager.default.removeItem(at: tmp)
        throw error
    }
}
