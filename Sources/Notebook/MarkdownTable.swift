/// A Markdown table whose columns are padded so the source reads as a table too; numeric
/// columns are right-aligned.
public struct MarkdownTable: Sendable {
    public enum Alignment: Sendable { case left, right }
    public var headers: [String]
    public var alignments: [Alignment]
    public var rows: [[String]] = []

    public init(_ headers: [String], alignments: [Alignment]? = nil) {
        self.headers = headers
        self.alignments = alignments ?? headers.map { _ in .left }
    }

    public mutating func add(_ row: [String]) {
        precondition(row.count == headers.count, "row has \(row.count) cells, table has \(headers.count) columns")
        rows.append(row)
    }

    public func render() -> String {
        let escaped = rows.map { $0.map { $0.replacingOccurrences(of: "|", with: "\\|") } }
        let widths = headers.indices.map { c in max(3, ([headers[c]] + escaped.map { $0[c] }).map(\.count).max()!) }
        func pad(_ s: String, _ c: Int) -> String {
            let fill = String(repeating: " ", count: widths[c] - s.count)
            return alignments[c] == .right ? fill + s : s + fill
        }
        func line(_ cells: [String]) -> String { "| " + cells.indices.map { pad(cells[$0], $0) }.joined(separator: " | ") + " |" }
        let rule = "|" + headers.indices.map { c in
            alignments[c] == .right ? " " + String(repeating: "-", count: widths[c] - 1) + ": " : " " + String(repeating: "-", count: widths[c]) + " "
        }.joined(separator: "|") + "|"
        return ([line(headers), rule] + escaped.map(line)).joined(separator: "\n")
    }
}
