import Corpora
import Decomposition
import Metrics
import Notebook
import Zoo

// Chapter 3's Bidirectional section: a Bidirectional LSTM on the M:1 data set (Clinc)
// decomposed per direction (docs/METHOD.md "Directions") and composed again, beside the
// unidirectional LSTM of the same depth and units per direction, which Table II already
// decomposes. Same units (RQ1Variant.measure), seeds and caps; no paper value exists.

public enum BidirectionalRQ1 {
    /// The section's opening paragraph.
    public static let method = """
        No published decomposer handles Bidirectional layers; the kit's method (docs/METHOD.md "Directions") treats \
        each direction as a recurrent layer of its own: monitoring observes the forward and the backward direction's \
        hidden states, the backward one in the order it processes the steps (last input first); identification and \
        removal run per direction, and the output layer loses the rows of the removed units of either direction (merge \
        mode concat). Modules keep the Bidirectional wrapper, so rolled modules are ordinary Keras files; unrolled \
        modules keep one weight copy per processing step and direction. The Bidirectional LSTM-1 has the \
        unidirectional LSTM-1's units in each direction, the same recipe and seeds; its rows are the kit's own \
        (there is no paper value). The unidirectional rows are Table II's.
        """

    /// The unidirectional model the section compares with (one of Table II's).
    public static func unidirectional(_ setup: ExperimentSetup) -> ZooModel { setup.model(.manyToOne, cell: .lstm, layers: 1) }

    /// The same model with its LSTM wrapped in Bidirectional(merge_mode="concat").
    public static func bidirectional(_ setup: ExperimentSetup) -> ZooModel {
        var m = unidirectional(setup)
        m.bidirectional = true
        return m
    }

    /// Rolled and unrolled, hidden state: the variants of the section's own units.
    public static func plan(_ setup: ExperimentSetup) -> [RQ1Variant] {
        [.rolled, .unrolled].map { RQ1Variant(model: bidirectional(setup), mode: $0, gates: .hiddenState) }
    }

    /// The caps the table shows: the authors' (0.05 for this model) and the paper's 0.2.
    static func caps(_ v: RQ1Variant) -> [Double] { Array(Set([v.authorsCap.cap, RQ1Caps.paper])).sorted() }

    /// Per mode and cap, both models' MMA, CMA, δ and JI, then Bi − uni of δ and JI paired by
    /// seed (the same seed trains both models and draws both decompositions' samples).
    /// `uni`: Table II's rows (the unidirectional model's are picked out), `bi`: this section's.
    public static func table(uni: Table2Report.Rows, bi: Table2Report.Rows) -> MarkdownTable {
        var t = MarkdownTable(["model", "variant", "cap", "MMA", "CMA", "δ", "JI", "kept"],
                              alignments: [.left, .left, .right, .right, .right, .right, .right, .right])
        for (v, b) in bi {
            guard let u = uni.first(where: { $0.0.model.bidirectional == nil && $0.0.model.task == v.model.task && $0.0.model.cell == v.model.cell
                                         && $0.0.model.layers == v.model.layers && $0.0.mode == v.mode && $0.0.gates == v.gates })?.1 else { continue }
            for cap in caps(v) {
                for (name, r) in [(PaperModels.name(v.model), u), ("Bi" + PaperModels.name(v.model), b)] {
                    t.add([name, v.label, Format.fixed(cap, 2), r.interval(cap: cap, \.mma)?.fixed(4) ?? "–",
                           r.interval(cap: cap, \.cma)?.fixed(4) ?? "–", r.interval(cap: cap) { $0.delta }?.points() ?? "–",
                           r.interval(cap: cap, \.jaccard)?.fixed(3) ?? "–", r.interval(cap: cap, \.structural)?.fixed(3) ?? "–"])
                }
                // Accuracies in points, like δ; the Jaccard indices as differences of fractions.
                let paired = { (scale: Double, pick: (CapResult) -> Double?) -> SeedInterval? in
                    let d = zip(b, u).compactMap { bb, uu -> Double? in
                        guard let x = bb.caps.first(where: { $0.cap == cap }).flatMap(pick),
                              let y = uu.caps.first(where: { $0.cap == cap }).flatMap(pick) else { return nil }
                        return (x - y) * scale
                    }
                    return d.count == b.count && !d.isEmpty ? try? SeedInterval(d) : nil
                }
                t.add(["Bi − uni (paired by seed)", v.label, Format.fixed(cap, 2), paired(100, \.mma)?.points() ?? "–",
                       paired(100, \.cma)?.points() ?? "–", paired(1) { $0.delta }?.points() ?? "–",
                       paired(1, \.jaccard)?.points(3) ?? "–", paired(1, \.structural)?.points(3) ?? "–"])
            }
        }
        return t
    }
}
