import Corpora
import Decomposition
import DecompositionInputs
import Notebook
import RNNKit
import Zoo

/// Chapter 1's last section: the authors' M:1 models decomposed, next to their Table II rows.
/// The `authors` preset re-creates their pipeline (logistic gates, first-M sampling, last-step
/// observation, 5 % rule): its rolled numbers must equal their published rows. The `paper`
/// preset is the method as the paper states it, on the model as Keras runs it.
public enum AuthorsM1Decomposition {
    /// One decomposition of one file (a unit's result).
    public struct Row: Codable, Sendable { public var mma, cma, delta, ji: Double }
    public typealias Variant = (name: String, preset: DecompositionConfig.Preset, mode: DecompositionConfig.Mode)

    /// The smoke profile (tests) only checks the reproduction of the two rows it can reproduce.
    public static func files(_ m1Files: [String], smoke: Bool) -> [String] {
        smoke ? m1Files.filter { $0.hasPrefix("lstm_models") || $0.hasPrefix("gru_models") } : m1Files
    }
    public static func variants(smoke: Bool) -> [Variant] {
        smoke ? [("authors", .authors, .rolled)]
            : [("authors", .authors, .rolled), ("authors", .authors, .unrolled), ("paper", .paper, .rolled), ("paper", .paper, .unrolled)]
    }

    /// Decomposes `path` with one variant and scores the composition on `test`.
    public static func measure(path: String, _ v: Variant, train: LabeledData, test: LabeledData) throws -> Row {
        let model = try Model.loadKeras(path: path)
        var config = DecompositionConfig.preset(v.preset)
        config.mode = v.mode
        let r = try Decomposer(model: model, config: config).decompose(train: train)
        let e = try DecompositionEvaluation.evaluate(model: model, modules: r.modules, test: test, preset: v.preset)
        return Row(mma: e.mma, cma: e.cma, delta: e.delta, ji: e.jaccardMean)
    }

    /// Table II's key of an authors' file `<family>/many_to_one/model<k>.h5`: cell and depth.
    static func tableKey(_ file: String) -> (cell: String, depth: Int) {
        let parts = file.split(separator: "/")
        // The authors' model folders, by the cell Table II names.
        let cells: [String: CellKind] = ["lstm_models": .lstm, "gru_models": .gru, "relu_models": .relu, "vanilla_rnn_models": .rnn]
        return (cells[String(parts[0])].map(PaperModels.paperCell) ?? "?", Int(parts.last!.dropFirst(5).dropLast(3)) ?? 0)
    }

    /// A file's Table II entry (M:1, with a published MMA).
    static func entry(_ file: String, _ paper: PaperResults) -> PaperResults.Table2Entry? {
        let (cell, depth) = tableKey(file)
        return paper.table2(cell: cell, io: "many_to_one", depth: depth).flatMap { $0.mma == nil ? nil : $0 }
    }

    /// Every file's variants beside the paper's row; `rows` in file-then-variant order, nil not yet run.
    public static func table(files: [String], variants: [Variant], rows: [Row?], paper: PaperResults) -> MarkdownTable {
        var t = MarkdownTable(["model", "preset", "mode", "MMA", "CMA", "δ (points)", "JI", "paper MMA", "paper CMA", "paper δ", "paper JI", "source"],
                              alignments: [.left, .left, .left, .right, .right, .right, .right, .right, .right, .right, .right, .left])
        var k = 0
        for file in files {
            let entry = entry(file, paper)
            for (name, _, mode) in variants {
                defer { k += 1 }
                guard let r = rows[k] else { continue }   // not yet run (record)
                let side = mode == .rolled ? entry?.rolled : entry?.unrolled
                func f(_ v: Double?) -> String { v.map { Format.fixed($0, 4) } ?? "–" }
                t.add([file, name, mode.rawValue, f(r.mma), f(r.cma), Format.signedPoints(r.delta), f(r.ji),
                       f(entry?.mma), f(side?.cma), side?.paper_delta_pct ?? "–", f(side?.ji), entry?.citation ?? "not in the paper (no ReLU results published)"])
            }
        }
        return t
    }

    /// Which published rolled rows the `authors` preset reproduces exactly.
    public static func reproduction(files: [String], variants: [Variant], rows: [Row?], paper: PaperResults) -> String {
        let authorsRolled = zip(files.flatMap { f in variants.map { (f, $0) } }, rows).compactMap { k, r in r.map { (k, $0) } }
            .filter { $0.0.1.0 == "authors" && $0.0.1.2 == .rolled }
        let reproduced = authorsRolled.filter { pair, r in
            guard let e = entry(pair.0, paper), let cma = e.rolled?.cma, let mma = e.mma else { return false }
            return abs(r.mma - mma) < 5e-7 && abs(r.cma - cma) < 5e-7
        }
        return """
            Published rows reproduced exactly by the `authors` preset (MMA and CMA equal to 6 decimals): \
            \(reproduced.map { "`\($0.0.0)`" }.joined(separator: ", ")) — \(reproduced.count) of \(authorsRolled.filter { entry($0.0.0, paper) != nil }.count) \
            rolled rows with a Table II entry. Where the model's own accuracy (MMA) differs from the published MMA, the \
            published row was computed on another model than the file shipped, and no preset can reproduce it.
            """
    }
}
