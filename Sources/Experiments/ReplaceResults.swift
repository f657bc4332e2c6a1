import Foundation

/// The paper's Table IV (replacement) as `data-manifests/paper-results.json` records it: the
/// printed mean/median δ per (kind, I/O type, cell), each with its citation, and the authors'
/// per-row CSV data behind them. Only ever shown as the paper's numbers.
public struct ReplaceResults: Decodable, Sendable {
    public typealias Cite = PaperResults.Cite
    public struct Baseline: Decodable, Sendable {
        public var model: String
        public var mma: Double
        public var csv: String
    }
    /// One cell pair (mean, median) of Table IV.
    public struct Summary: Decodable, Sendable {
        public var cell: String
        public var kind: String
        public var io: String
        public var paper_row: String
        public var paper_mean_pct: String
        public var paper_median_pct: String
        public var csv: String?
        public var csv_rows: Int?
        public var baseline_inferred: Baseline?
        public var paper_vs_csv: String?
        public var note: String?
        public var cite: Cite

        public var mean: Double? { Double(paper_mean_pct.replacingOccurrences(of: "+", with: "")) }
        public var median: Double? { Double(paper_median_pct.replacingOccurrences(of: "+", with: "")) }
        /// "Table IV, Intra / 1:1, LSTM (p. 10)".
        public var citation: String {
            "Table \(cite.table ?? "IV"), \(cite.paper_row ?? paper_row), \(cite.paper_column ?? cell)\(cite.page.map { " (p. \($0))" } ?? "")"
        }
    }
    public struct TextNumber: Decodable, Sendable {
        public var id: String
        public var value: Double?
    }

    public var summary: [Summary]
    public var text_numbers: [TextNumber]

    private struct File: Decodable { var table4: ReplaceResults; var headlines: [PaperResults.Headline] }

    /// The paper's headline numbers (e.g. `intro_replace_accuracy_change`), read beside Table IV.
    public var headlines: [PaperResults.Headline] = []

    private enum CodingKeys: String, CodingKey { case summary, text_numbers }

    /// Loads Table IV from `data-manifests/paper-results.json` (as `PaperResults.load` finds it).
    public static func load() throws -> ReplaceResults {
        let file = try JSONDecoder().decode(File.self, from: try PaperResults.fileData())
        var r = file.table4
        r.headlines = file.headlines
        return r
    }

    /// Table IV's entry: `kind` "intra"/"inter"; `io` e.g. "many_to_one" or
    /// "many_to_one+many_to_many"; `cell` "lstm", "gru" or "vanilla".
    public func entry(kind: String, io: String, cell: String) -> Summary? {
        summary.first { $0.kind == kind && $0.io == io && $0.cell == cell }
    }

    public func text(_ id: String) -> Double? { text_numbers.first { $0.id == id }?.value }
    public func headline(_ id: String) -> Double? { headlines.first { $0.id == id }?.value }
}
