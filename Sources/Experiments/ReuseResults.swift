import Foundation

/// Table III of the paper (data-manifests/paper-results.json, section `table3`): the mean and
/// median δ of every reuse cell, as printed, with its citation. The only reuse numbers entered
/// by hand; reports show them as the paper's, never as ours.
public struct PaperTable3: Decodable, Sendable {
    public typealias Cite = PaperResults.Cite
    /// One cell of Table III: (kind, I/O type, RNN variant).
    public struct Summary: Decodable, Sendable {
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
        public var cite: Cite?

        public var mean: Double? { paper_mean_pct.flatMap { Double($0) } }
        public var median: Double? { paper_median_pct.flatMap { Double($0) } }
        /// "Table III, Intra / M:1, LSTM".
        public var citation: String {
            "Table III (\(cite?.paper_row ?? paper_row), \(cite?.paper_column ?? cell))"
        }
    }
    public struct TextNumber: Decodable, Sendable {
        public var id: String
        public var value: Double?
    }
    public struct Section: Decodable, Sendable {
        public var summary: [Summary]
        public var text_numbers: [TextNumber]
    }
    private struct File: Decodable { var table3: Section; var headlines: [PaperResults.Headline] }

    public var section: Section
    public var headlines: [PaperResults.Headline]

    public init(json: Data) throws {
        let f = try JSONDecoder().decode(File.self, from: json)
        section = f.table3; headlines = f.headlines
    }

    /// Loads `./data-manifests/paper-results.json`, else the one of the checkout this binary was built from.
    public static func load() throws -> PaperTable3 {
        try PaperTable3(json: try PaperResults.fileData())
    }

    /// The paper's cell for a kind, I/O type (`Task.rawValue`, or two joined by "+") and
    /// variant (`vanilla`, `lstm`, `gru`).
    public func summary(kind: String, io: String, cell: String) -> Summary? {
        section.summary.first { $0.kind == kind && $0.io == io && $0.cell == cell }
    }

    /// A number the paper's text states (e.g. `rq2_intra_overall_mean`) or a headline (`intro_reuse_accuracy_change`).
    public func number(_ id: String) -> Double? {
        section.text_numbers.first { $0.id == id }?.value ?? headlines.first { $0.id == id }?.value
    }
}
