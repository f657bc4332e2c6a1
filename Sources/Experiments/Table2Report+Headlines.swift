import Corpora
import Decomposition
import Metrics
import Notebook

// RQ1's headline numbers and the removal-cap curve: at each seed the mean (median) over a set
// of variants, then the interval over seeds — the paper's statements are about such means.

extension Table2Report {
    /// At each seed, `pick` of every row at the cap `capOf` gives it (rows lacking it left out).
    func perSeed(_ rs: Rows, capOf: (RQ1Variant) -> Double, _ pick: (CapResult) -> Double?) -> [[Double]] {
        setup.seeds.indices.map { s in rs.compactMap { v, r in r[s].caps.first { $0.cap == capOf(v) }.flatMap(pick) } }
    }

    /// The interval over seeds of the per-seed mean (median); nil when a seed has no value.
    func headline(_ rs: Rows, capOf: (RQ1Variant) -> Double, median: Bool = false, _ pick: (CapResult) -> Double?) -> SeedInterval? {
        let xs = perSeed(rs, capOf: capOf, pick)
        guard xs.allSatisfy({ !$0.isEmpty }) else { return nil }
        return median ? try? SeedInterval.ofMedians(xs) : try? SeedInterval.ofMeans(xs)
    }

    /// One headline: a set of rows, the paper's statement it is compared with (`key`), and
    /// which δ it reads (the authors' evaluator artifact, padding positions counted).
    struct Line {
        var label: String; var rows: Rows; var key: String; var artifact = false; var paddingCounted = false
        var pick: (CapResult) -> Double? {
            switch (artifact, paddingCounted) {
            case (false, false): return { $0.delta }
            case (true, false): return { $0.artifactDelta }
            case (false, true): return { $0.deltaWithPadding }
            case (true, true): return { $0.artifactDeltaWithPadding }
            }
        }
    }

    var lines: [Line] {
        let oneOutput: Set<Task> = [.oneToOne, .manyToOne]
        let accuracy = self.accuracy, hidden = self.hidden
        return [
            Line(label: "rolled, accuracy δ", rows: accuracy.filter { $0.0.mode == .rolled }, key: "rq1_rolled_accuracy_change"),
            Line(label: "unrolled, accuracy δ", rows: accuracy.filter { $0.0.mode == .unrolled }, key: "rq1_unrolled_accuracy_change"),
            Line(label: "rolled, one-output models", rows: accuracy.filter { $0.0.mode == .rolled && oneOutput.contains($0.0.model.task) }, key: "rq1_rolled_one_output_change"),
            Line(label: "rolled, many-output models", rows: accuracy.filter { $0.0.mode == .rolled && !oneOutput.contains($0.0.model.task) }, key: "rq1_rolled_many_output_change"),
            Line(label: "rolled, many-output models, authors' evaluator artifact", rows: accuracy.filter { $0.0.mode == .rolled && !oneOutput.contains($0.0.model.task) },
                 key: "rq1_rolled_many_output_change", artifact: true),
            Line(label: "unrolled, one-output models", rows: accuracy.filter { $0.0.mode == .unrolled && oneOutput.contains($0.0.model.task) }, key: "rq1_unrolled_one_output_change"),
            Line(label: "rolled, many-output models, authors' evaluator artifact, padding counted",
                 rows: accuracy.filter { $0.0.mode == .rolled && !oneOutput.contains($0.0.model.task) }, key: "rq1_rolled_many_output_change",
                 artifact: true, paddingCounted: true),
            Line(label: "unrolled, many-output models", rows: accuracy.filter { $0.0.mode == .unrolled && !oneOutput.contains($0.0.model.task) }, key: "rq1_unrolled_many_output_change"),
            Line(label: "unrolled, many-output models, padding counted", rows: accuracy.filter { $0.0.mode == .unrolled && !oneOutput.contains($0.0.model.task) },
                 key: "rq1_unrolled_many_output_change", paddingCounted: true),
            Line(label: "rolled, BLEU δ", rows: hidden.filter { $0.0.mode == .rolled && $0.0.model.task == .encoderDecoder }, key: "rq1_rolled_bleu_change"),
            Line(label: "unrolled, BLEU δ", rows: hidden.filter { $0.0.mode == .unrolled && $0.0.model.task == .encoderDecoder }, key: "rq1_unrolled_bleu_change"),
        ]
    }

    /// The headline table (hidden state: δ lines, then JI rolled and unrolled) and one fidelity
    /// line per headline the paper states.
    public func headlines() -> (table: MarkdownTable, fidelity: [String]) {
        let paperCap: (RQ1Variant) -> Double = { _ in RQ1Caps.paper }, authorsCap: (RQ1Variant) -> Double = { $0.authorsCap.cap }
        var h = MarkdownTable(["measure (hidden state)", "models", "mean, cap 0.2", "mean, authors' caps", "median, authors' caps", "paper mean", "paper median", "verdict (mean, authors' caps)"],
                              alignments: [.left, .right, .right, .right, .right, .right, .right, .left])
        var fidelity: [String] = []
        let cut = setup.cutNotJudged(.encoderDecoder)
        for l in lines {
            let pick = l.pick
            guard let a = headline(l.rows, capOf: authorsCap, pick) else { continue }
            let p02 = headline(l.rows, capOf: paperCap, pick), med = headline(l.rows, capOf: authorsCap, median: true, pick)
            let pm = paper.headline(l.key + "_mean"), pmed = paper.headline(l.key + "_median")
            // The paper's many-output values count padding positions: judged on the counted lines only.
            let judged = l.key == "rq1_rolled_many_output_change" && !l.artifact
                ? "paper value is their evaluator's artifact (artifact lines)"
                : l.key == "rq1_rolled_accuracy_change" ? "not judged: the paper's mean includes its artifact rows"
                : (l.key == "rq1_rolled_many_output_change" || l.key == "rq1_unrolled_many_output_change") && !l.paddingCounted
                ? "not judged: the paper counts padding positions (padding-counted line)"
                : l.key.contains("bleu") && cut != nil ? cut!
                : pm.map { Verdict.change(a, paper: $0).rawValue } ?? "–"
            h.add([l.label, "\(l.rows.count)", p02?.points() ?? "–", a.points(), med?.points() ?? "–",
                   pm.map { Format.signedPoints($0) } ?? "–", pmed.map { Format.signedPoints($0) } ?? "–", judged])
            if let pm { fidelity.append("\(l.label): ours \(a.points()) vs paper \(Format.signedPoints(pm)) — \(judged)") }
        }
        for (label, mode, key) in [("JI, rolled", DecompositionConfig.Mode.rolled, "rq1_ji_rolled_mean"), ("JI, unrolled", .unrolled, "rq1_ji_unrolled_mean")] {
            let rs = hidden.filter { $0.0.mode == mode }
            guard let a = headline(rs, capOf: authorsCap, { $0.jaccard }) else { continue }
            let p02 = headline(rs, capOf: paperCap, { $0.jaccard }), med = headline(rs, capOf: authorsCap, median: true, { $0.jaccard })
            let pm = paper.headline(key)
            let judged = pm.map { Verdict.level(a, paper: $0).rawValue } ?? "–"
            h.add([label, "\(rs.count)", p02?.fixed(3) ?? "–", a.fixed(3), med?.fixed(3) ?? "–", pm.map { Format.fixed($0, 3) } ?? "–", "–", judged])
            if let pm { fidelity.append("\(label): ours \(a.fixed(3)) at the authors' caps (\(p02?.fixed(3) ?? "–") at 0.2) vs paper \(Format.fixed(pm, 3)) — \(judged)") }
        }
        return (h, fidelity)
    }

    /// JI, δ and units removed at every cap of `RQ1Caps.curve` (hidden-state classification
    /// decompositions identified at each), with the JI series of the chart.
    public func capCurve() -> (table: MarkdownTable, series: [SVGChart.Series]) {
        let curveRows = accuracy.filter { $0.0.caps.count >= RQ1Caps.curve.count }
        var c = MarkdownTable(["cap", "JI rolled", "JI unrolled", "δ rolled", "δ unrolled", "units removed (mean per decomposition)"],
                              alignments: [.right, .right, .right, .right, .right, .right])
        var series: [SVGChart.Series] = []
        for mode in [DecompositionConfig.Mode.rolled, .unrolled] {
            let rs = curveRows.filter { $0.0.mode == mode }
            series.append(SVGChart.Series(label: "JI, \(mode.rawValue)", points: RQ1Caps.curve.compactMap { cap in
                headline(rs, capOf: { _ in cap }, { $0.jaccard }).map { (cap, $0.mean) } }))
        }
        for cap in RQ1Caps.curve {
            let r = curveRows.filter { $0.0.mode == .rolled }, u = curveRows.filter { $0.0.mode == .unrolled }
            let removed = headline(curveRows, capOf: { _ in cap }, { Double($0.removedUnits) })
            c.add([Format.fixed(cap, 2), headline(r, capOf: { _ in cap }, { $0.jaccard })?.fixed(3) ?? "–", headline(u, capOf: { _ in cap }, { $0.jaccard })?.fixed(3) ?? "–",
                   headline(r, capOf: { _ in cap }, { $0.delta })?.points() ?? "–", headline(u, capOf: { _ in cap }, { $0.delta })?.points() ?? "–",
                   removed.map { Format.fixed($0.mean, 1) } ?? "–"])
        }
        return (c, series)
    }
}
