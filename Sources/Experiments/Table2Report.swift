import Corpora
import Decomposition
import Metrics
import Notebook

// RQ1 (Table II) as chapter 3 reports it: the units' results of every variant, read as
// intervals over seeds, beside the paper's row; the tables and the δ chart built from them.

extension Array where Element == RQ1Result {
    /// The per-seed values of `pick` at `cap` as an interval; nil unless every seed has one.
    public func interval(cap: Double, _ pick: (CapResult) -> Double?) -> SeedInterval? {
        let xs = compactMap { $0.caps.first { $0.cap == cap }.flatMap(pick) }
        return xs.count == count ? try? SeedInterval(xs) : nil
    }
}

extension RQ1Variant {
    /// One seed's result in a few words, for the record's "not yet run" list while the
    /// variant's other seeds wait: the model's and the modules' scores, δ and JI at cap 0.2
    /// and at the authors' cap.
    public func measuredSummary(_ r: RQ1Result) -> String {
        func at(_ cap: Double) -> CapResult? { r.caps.first { $0.cap == cap } }
        func caps(_ pick: (CapResult) -> String) -> String {
            [RQ1Caps.paper, authorsCap.cap].compactMap { c in at(c).map { "\(pick($0)) (cap \(Format.fixed(c, 2)))" } }.joined(separator: ", ")
        }
        guard let p = at(RQ1Caps.paper) else { return "no result at cap 0.2" }
        let scores = model.task == .encoderDecoder
            ? "BLEU-4 model \(Format.perLanguage(p.bleuMonolithic ?? [:])); modules \(Format.perLanguage(p.bleuComposed ?? [:]))"
            : "MMA \(p.mma.map { Format.fixed($0, 4) } ?? "–"), CMA \(p.cma.map { Format.fixed($0, 4) } ?? "–")"
        return "\(scores) (cap 0.20); δ \(caps { Format.signedPoints($0.delta) }); JI \(caps { Format.fixed($0.jaccard, 3) })"
    }
}

/// Chapter 3's measurements: each variant with its results in seed order.
public struct Table2Report {
    public typealias Rows = [(RQ1Variant, [RQ1Result])]
    public var rows: Rows
    let setup: ExperimentSetup
    let paper: PaperResults

    public init(rows: Rows, setup: ExperimentSetup, paper: PaperResults) {
        self.rows = rows; self.setup = setup; self.paper = paper
    }

    /// The paper's Table II side of a variant (hidden state only: the paper has no per-gate rows).
    func paperSide(_ v: RQ1Variant) -> PaperResults.Side? {
        guard v.gates == .hiddenState, let e = paper.table2(cell: PaperModels.paperCell(v.model.cell), io: v.model.task.rawValue, depth: v.model.layers) else { return nil }
        return v.mode == .rolled ? e.rolled : e.unrolled
    }
    /// The paper's rolled many-output values measure their evaluator's artifact, not the method.
    func paperIsArtifact(_ v: RQ1Variant) -> Bool { v.mode == .rolled && v.isManyOutput }

    /// The rows of one I/O type.
    public func rows(_ task: Task) -> Rows { rows.filter { $0.0.model.task == task } }
    /// Rolled many-output rows (hidden state): where the authors' evaluator artifact applies.
    public var rolledManyOutput: Rows { rows.filter { $0.0.mode == .rolled && $0.0.isManyOutput && $0.0.gates == .hiddenState } }
    /// Many-output rows (hidden state): scored again with padding positions counted.
    public var manyOutput: Rows { rows.filter { $0.0.isManyOutput && $0.0.gates == .hiddenState } }
    var hidden: Rows { rows.filter { $0.0.gates == .hiddenState } }
    /// Hidden-state classification rows (translation has BLEU, not accuracy).
    var accuracy: Rows { hidden.filter { $0.0.model.task != .encoderDecoder } }

    /// Table II for one I/O type: measured δ and JI at both caps beside the paper's, with verdicts.
    public func table(_ task: Task) -> MarkdownTable {
        let translation = task == .encoderDecoder
        var t = MarkdownTable(["model", "variant", translation ? "BLEU model" : "MMA", translation ? "BLEU modules" : "CMA",
                               "δ (cap 0.2)", "JI (cap 0.2)", "kept", "authors' cap", "δ (authors' cap)", "JI (authors' cap)",
                               "paper δ", "paper JI", "verdict δ", "verdict JI"],
                              alignments: [.left, .left, .right, .right, .right, .right, .right, .right, .right, .right, .right, .right, .left, .left])
        for (v, r) in rows(task) {
            let side = paperSide(v), ac = v.authorsCap.cap
            let mma = translation ? Self.perLanguage(r, \.bleuMonolithic) : r.interval(cap: RQ1Caps.paper, \.mma)?.fixed(4) ?? "–"
            let cma = translation ? Self.perLanguage(r, \.bleuComposed) : r.interval(cap: RQ1Caps.paper, \.cma)?.fixed(4) ?? "–"
            let d02 = r.interval(cap: RQ1Caps.paper) { $0.delta }, dA = r.interval(cap: ac) { $0.delta }
            let j02 = r.interval(cap: RQ1Caps.paper) { $0.jaccard }, jA = r.interval(cap: ac) { $0.jaccard }
            let paperDelta = side?.paper_delta_pct.flatMap(Double.init)
            var verdictDelta = "–", verdictJI = "–"
            if let p = paperDelta, let dA {
                verdictDelta = paperIsArtifact(v) ? "paper value is their evaluator's artifact (below)"
                    : v.isManyOutput ? "the paper counts padding: judged below"
                    : Verdict.change(dA, paper: p).rawValue
            }
            if let p = side?.ji, let jA { verdictJI = Verdict.level(jA, paper: p).rawValue }
            if let why = setup.notJudged(task) { (verdictDelta, verdictJI) = (why, "–") }
            let paperDeltaText = side?.paper_delta_pct.map { $0 + (paperIsArtifact(v) ? " (artifact)" : "") }
                ?? side?.paper_delta_bleu_pct.map { $0.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") }
            t.add([PaperModels.name(v.model), v.label, mma, cma, d02?.points() ?? "–", j02?.fixed(3) ?? "–",
                   r.interval(cap: RQ1Caps.paper, \.structural)?.fixed(3) ?? "–", Format.fixed(ac, 2),
                   dA?.points() ?? "–", jA?.fixed(3) ?? "–", paperDeltaText ?? "–", side?.ji.map { Format.fixed($0, 4) } ?? "–",
                   verdictDelta, verdictJI])
        }
        return t
    }

    /// Translation at cap 0.2 by the paper's measure (1-gram BLEU, tags counted), beside the kit's.
    public var taggedBLEUTable: MarkdownTable {
        var b = MarkdownTable(["model", "variant", "BLEU-1 with tags, model", "BLEU-1 with tags, modules"], alignments: [.left, .left, .left, .left])
        for (v, r) in rows(.encoderDecoder) {
            b.add([PaperModels.name(v.model), v.label, Self.perLanguage(r, \.bleuMonolithicPaper), Self.perLanguage(r, \.bleuComposedPaper)])
        }
        return b
    }

    /// "lang interval, …" at cap 0.2, over the languages any seed scored.
    static func perLanguage(_ r: [RQ1Result], _ pick: (CapResult) -> [String: Double]?) -> String {
        let langs = Set(r.flatMap { res -> [String] in Array((res.caps.first { $0.cap == RQ1Caps.paper }.flatMap(pick) ?? [:]).keys) }).sorted()
        return langs.map { l in "\(l) " + (r.interval(cap: RQ1Caps.paper) { pick($0)?[l] }?.fixed(3) ?? "–") }.joined(separator: ", ")
    }

    /// Rolled many-output rows: the real modules' vote beside the authors' zeroed-weight one.
    public var artifactTable: MarkdownTable {
        var a = MarkdownTable(["model", "MMA", "CMA method", "CMA artifact", "δ method (authors' cap)", "δ artifact (authors' cap)", "paper δ", "verdict (artifact, padding counted, vs paper)"],
                              alignments: [.left, .right, .right, .right, .right, .right, .right, .left])
        for (v, r) in rolledManyOutput {
            let ac = v.authorsCap.cap
            let art = r.interval(cap: ac) { $0.artifactDelta }, artCounted = r.interval(cap: ac) { $0.artifactDeltaWithPadding }
            let p = paperSide(v)?.paper_delta_pct.flatMap(Double.init)
            a.add(["\(PaperModels.ioLabel(v.model.task)) \(PaperModels.name(v.model))", r.interval(cap: ac, \.mma)?.fixed(4) ?? "–",
                   r.interval(cap: ac, \.cma)?.fixed(4) ?? "–", r.interval(cap: ac, \.artifactCMA)?.fixed(4) ?? "–",
                   r.interval(cap: ac) { $0.delta }?.points() ?? "–", art?.points() ?? "–", p.map { Format.signedPoints($0) } ?? "–",
                   setup.hasRealData(v.model.task) ? p.flatMap { pv in artCounted.map { Verdict.change($0, paper: pv).rawValue } } ?? "–" : "synthetic data: not judged"])
        }
        return a
    }

    /// Many-output rows scored as the authors' evaluators count: every position, the padding module voting.
    public var paddingCountedTable: MarkdownTable {
        var pc = MarkdownTable(["model", "variant", "MMA, padding counted", "CMA, padding counted", "δ padding counted", "δ padding skipped",
                                "artifact δ padding counted", "paper δ", "verdict (padding counted vs paper)"],
                               alignments: [.left, .left, .right, .right, .right, .right, .right, .right, .left])
        for (v, r) in manyOutput {
            let ac = v.authorsCap.cap
            let counted = r.interval(cap: ac) { $0.deltaWithPadding }, art = r.interval(cap: ac) { $0.artifactDeltaWithPadding }
            let p = paperSide(v)?.paper_delta_pct.flatMap(Double.init)
            let judged = paperIsArtifact(v) ? art : counted
            pc.add(["\(PaperModels.ioLabel(v.model.task)) \(PaperModels.name(v.model))", v.label,
                    r.interval(cap: ac, \.mmaWithPadding)?.fixed(4) ?? "–", r.interval(cap: ac, \.cmaWithPadding)?.fixed(4) ?? "–",
                    counted?.points() ?? "–", r.interval(cap: ac) { $0.delta }?.points() ?? "–", art?.points() ?? "–",
                    p.map { Format.signedPoints($0) + (paperIsArtifact(v) ? " (artifact)" : "") } ?? "–",
                    setup.hasRealData(v.model.task) ? p.flatMap { pv in judged.map { Verdict.change($0, paper: pv).rawValue } } ?? "–" : "synthetic data: not judged"])
        }
        return pc
    }

    /// δ per classification model at its authors' cap, the paper's value as the reference tick
    /// (none where the paper's value is their evaluator's artifact).
    public var deltaBars: [SVGChart.Bar] {
        accuracy.map { v, r -> SVGChart.Bar in
            SVGChart.Bar(label: "\(PaperModels.ioLabel(v.model.task)) \(PaperModels.name(v.model)) \(v.mode.rawValue)",
                         value: r.interval(cap: v.authorsCap.cap) { $0.delta }?.mean ?? .nan,
                         reference: paperIsArtifact(v) ? nil : paperSide(v)?.paper_delta_pct.flatMap { Double($0) })
        }
    }
}
