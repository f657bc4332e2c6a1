import Foundation

/// The paper's reported numbers (data-manifests/paper-results.json): the only numbers entered
/// by hand, always shown as the paper's, each with its table and row.
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

    public var table2: [Table2Entry]
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
}
