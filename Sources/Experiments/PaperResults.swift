import Foundation

/// The paper's reported numbers (data-manifests/paper-results.json): the only numbers entered
/// by hand, always shown as the paper's, each with its table and row. The one decoder of that
/// file: Table II (`table2`), Table III (`table3`, reuse), Table IV (`table4`, replacement),
/// Table V (`table5`) and the headline numbers.
public struct PaperResults: Decodable, Sendable {
    public struct Side: Decodable, Sendable {
        public var cma: Double?
        public var ji: Double?
        public var paper_delta_pct: String?
        public var paper_delta_bleu_pct: [String: String]?
    }
    /// Where a number stands in the paper or the authors' CSVs; every table's entries use it
    /// (each section fills the fields it has).
    public struct Cite: Decodable, Sendable {
        public var table: String?
        public var page: Int?
        public var csv: String?
        public var row: String?
        public var paper_row: String?
        public var paper_column: String?
    }
    /// One model of Table II.
    public struct Table2Entry: Decodable, Sendable {
        public var cell: String
        public var io: String
        public var dataset: String
        public var depth: Int
        public var gates: String
        public var mma: Double?
        public var rolled: Side?
        public var unrolled: Side?
        public var bleu_monolithic: [String: Double]?
        public var bleu_rolled: [String: Double]?
        public var bleu_unrolled: [String: Double]?
        public var cite: Cite

        /// "Table II, <csv> row <row>" for a report's footnote.
        public var citation: String { "Table II (\(cite.csv ?? "paper"), row \(cite.row ?? cite.paper_column ?? "?"))" }
    }
    public struct Headline: Decodable, Sendable {
        public var id: String
        public var value: Double?
        public var unit: String?
    }

    /// One row of Table V (average BLEU in percent, LSTM models).
    public struct Table5Entry: Decodable, Sendable {
        public var problem: Int
        public var scenario: String
        public var tma_bleu_pct: Double?
        public var ma1_bleu_pct: Double?
        public var ma2_bleu_pct: Double?
        public var cite: Cite
        public var citation: String { "Table \(cite.table ?? "V"), row \"\(cite.paper_row ?? scenario)\"" }
    }
    public struct Table5: Decodable, Sendable { public var paper: [Table5Entry] }

    /// The model an inferred Table IV baseline was read from (the authors' RQ1 CSV).
    public struct Baseline: Decodable, Sendable {
        public var model: String
        public var mma: Double
        public var csv: String
    }
    /// One (kind, I/O type, cell) entry of Table III or IV: the printed mean and median δ.
    public struct CellSummary: Decodable, Sendable {
        /// `vanilla`, `lstm` or `gru`.
        public var cell: String
        /// `intra` or `inter`.
        public var kind: String
        /// `one_to_one`, …, `encoder_decoder`, or `one_to_one+one_to_many` for inter-type rows.
        public var io: String
        public var paper_row: String
        public var paper_mean_pct: String?
        public var paper_median_pct: String?
        public var csv: String?
        public var csv_rows: Int?
        /// Table IV: the baseline the printed δ was reproduced with.
        public var baseline_inferred: Baseline?
        public var paper_vs_csv: String?
        public var note: String?
        public var cite: Cite?

        public var mean: Double? { paper_mean_pct.flatMap(Self.number) }
        public var median: Double? { paper_median_pct.flatMap(Self.number) }
        private static func number(_ text: String) -> Double? { Double(text.replacingOccurrences(of: "+", with: "")) }

        /// "Table III (Intra / M:1, LSTM)"; Table IV's with its page: "Table IV, Intra / 1:1, LSTM (p. 10)".
        public var citation: String {
            let (row, column) = (cite?.paper_row ?? paper_row, cite?.paper_column ?? cell)
            if cite?.table == "IV" { return "Table IV, \(row), \(column)\(cite?.page.map { " (p. \($0))" } ?? "")" }
            return "Table \(cite?.table ?? "III") (\(row), \(column))"
        }
    }
    /// Table III or IV: its cells and the numbers the paper's text states about it.
    public struct CellTable: Decodable, Sendable {
        public var summary: [CellSummary]
        public var text_numbers: [Headline]
    }

    public var table2: [Table2Entry]
    /// Table III (reuse).
    public var table3: CellTable
    /// Table IV (replacement).
    public var table4: CellTable
    public var table5: Table5?
    public var table2_headlines: [Headline]
    public var headlines: [Headline]

    /// Loads the file from `./data-manifests`, else from the checkout this binary was built from.
    public static func load() throws -> PaperResults {
        try JSONDecoder().decode(PaperResults.self, from: try fileData())
    }

    /// The bytes of `data-manifests/paper-results.json`: from the current directory, else from
    /// the checkout this binary was built from. Every reader of the file (Tables II–V) uses it.
    public static func fileData() throws -> Data {
        let candidates = ["data-manifests/paper-results.json",
                          URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                              .deletingLastPathComponent().appendingPathComponent("data-manifests/paper-results.json").path]
        guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: candidates[0]])
        }
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    /// The Table II entry for a model, if the paper has one.
    public func table2(cell: String, io: String, depth: Int, gates: String = "hidden") -> Table2Entry? {
        table2.first { $0.cell == cell && $0.io == io && $0.depth == depth && $0.gates == gates }
    }

    public func headline(_ id: String) -> Double? { (table2_headlines + headlines).first { $0.id == id }?.value }

    /// Table III's (`table: 3`) or IV's (`table: 4`) cell: `kind` "intra"/"inter"; `io` a
    /// `Task.rawValue` or two joined by "+"; `cell` "vanilla", "lstm" or "gru".
    public func cell(table: Int, kind: String, io: String, cell: String) -> CellSummary? {
        (table == 3 ? table3 : table4).summary.first { $0.kind == kind && $0.io == io && $0.cell == cell }
    }

    /// A number the paper's text states about Table III or IV (e.g. `rq2_intra_overall_mean`),
    /// else a headline (`intro_reuse_accuracy_change`).
    public func number(_ id: String) -> Double? {
        (table3.text_numbers + table4.text_numbers).first { $0.id == id }?.value ?? headline(id)
    }
}
