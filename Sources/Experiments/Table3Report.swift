import Corpora
import Metrics
import Notebook
import Zoo

// RQ2 (Table III) as chapter 4 reports it: each pair with its rows at every seed, as tables,
// and the summaries (per seed the mean or median δ over a cell's pairs, then the interval
// over seeds) the fidelity statements are made of.

extension ReuseRow {
    /// In a few words, for the record's "not yet run" list while the pair's other seeds wait.
    public var measuredSummary: String {
        let metric = kind == "translation" ? "BLEU-4" : "accuracy"
        return "composed \(Format.fixed(composed, 4)), trained \(Format.fixed(trained, 4)) \(metric), δ \(Format.signedPoints(delta)) points (\(scored) \(kind == "translation" ? "sentences" : "scored"))"
    }
}

/// Chapter 4's measurements.
public struct Table3Report {
    public typealias Runs = (item: ReuseItem, runs: [ReuseRow])
    let setup: ExperimentSetup
    let paper: PaperResults
    let plan: ReusePlan
    let items: ReuseItems
    /// Intra-type and translation pairs, then inter-type pairs.
    let pairRuns: [Runs], interRuns: [Runs]

    /// One inter-type family and cell, summarized.
    public struct InterSummary { var one: Task, many: Task, cell: CellKind, pairs: Int, mean: SeedInterval, median: SeedInterval }

    /// Table III beside the paper's, and the pools the fidelity statements judge.
    public struct Summary {
        public var table: MarkdownTable
        public var bars: [SVGChart.Bar] = []
        /// Every intra-type (classification) pair's δ, per seed; the same for inter-type.
        var intraPerSeed: [[Double]], interPerSeed: [[Double]]
        /// Verdicts of the intra-type cells with a paper mean.
        var tally: [Verdict: Int] = [:]
        var inter: [InterSummary] = []
    }

    public init(setup: ExperimentSetup, paper: PaperResults, plan: ReusePlan, items: ReuseItems, pairRuns: [Runs], interRuns: [Runs]) {
        self.setup = setup; self.paper = paper; self.plan = plan; self.items = items; self.pairRuns = pairRuns; self.interRuns = interRuns
    }

    func iv(_ xs: [Double]) -> SeedInterval? { try? SeedInterval(xs) }
    func ioName(_ t: Task) -> String { ReuseStudy.ioLabel(t) }
    func cellName(_ c: CellKind) -> String { PaperModels.paperCell(c) }

    /// Every pair of one cell (intra-type and translation).
    public func pairsTable(_ cell: CellKind) -> MarkdownTable {
        var t = MarkdownTable(["I/O", "data set", "c1", "c2", "scored", "composed", "trained", "δ (points)"],
                              alignments: [.left, .left, .left, .left, .right, .right, .right, .right])
        for run in pairRuns where run.item.cell == cell {
            let p = run.item, r = run.runs
            let metric = p.task == .encoderDecoder ? "BLEU-4" : "acc"
            t.add([ioName(p.task), setup.datasetName(p.task), items.className(p.task, p.pair.c1), items.className(p.task, p.pair.c2),
                   "\(r[0].scored)", "\(iv(r.map(\.composed))?.fixed(4) ?? "–") \(metric)", iv(r.map(\.trained))?.fixed(4) ?? "–",
                   iv(r.map(\.delta))?.points() ?? "–"])
        }
        return t
    }

    /// Per I/O type and cell the mean and median δ beside Table III's, intra-type then inter-type.
    public func summary() throws -> Summary {
        let S = setup.seeds.count, depth = plan.depth
        var s = Summary(table: MarkdownTable(["I/O", "cell", "pairs", "mean δ", "median δ", "paper mean", "paper median", "verdict (mean)", "paper source"],
                                             alignments: [.left, .left, .right, .right, .right, .right, .right, .left, .left]),
                        intraPerSeed: [[Double]](repeating: [], count: S), interPerSeed: [[Double]](repeating: [], count: S))
        for task in plan.tasks + [.encoderDecoder] {
            for cell in plan.cells {
                let rs = pairRuns.filter { $0.item.task == task && $0.item.cell == cell }.map(\.runs)
                guard !rs.isEmpty else { continue }
                let entry = paper.cell(table: 3, kind: "intra", io: task.rawValue, cell: cellName(cell))
                let bySeed = PerSeed.values(rs, seeds: S, \.delta)
                let mean = try SeedInterval.ofMeans(bySeed), median = try SeedInterval.ofMedians(bySeed)
                if task != .encoderDecoder { for sd in 0..<S { s.intraPerSeed[sd] += bySeed[sd] } }
                let why = setup.cutNotJudged(task)
                let verdict = why == nil ? entry?.mean.map { Verdict.change(mean, paper: $0) } : nil
                if let verdict, task != .encoderDecoder { s.tally[verdict, default: 0] += 1 }
                s.table.add([ioName(task), "\(cellName(cell))-\(depth)", "\(rs.count)", mean.points(), median.points(),
                             entry?.paper_mean_pct ?? "–", entry?.paper_median_pct ?? "–", verdict?.rawValue ?? (entry?.mean == nil ? "–" : why ?? "–"), entry?.citation ?? "–"])
                s.bars.append(SVGChart.Bar(label: "\(ioName(task)) \(cellName(cell))", value: mean.mean, reference: entry?.mean))
            }
        }
        for (one, many) in PaperModels.interTypeFamilies {
            for cell in plan.interCells {
                let rs = interRuns.filter { $0.item.task == one && $0.item.cell == cell }.map(\.runs)
                guard !rs.isEmpty else { continue }
                let bySeed = PerSeed.values(rs, seeds: S, \.delta)
                for sd in 0..<S { s.interPerSeed[sd] += bySeed[sd] }
                let mean = try SeedInterval.ofMeans(bySeed)
                s.inter.append(InterSummary(one: one, many: many, cell: cell, pairs: rs.count, mean: mean, median: try SeedInterval.ofMedians(bySeed)))
                let entry = paper.cell(table: 3, kind: "inter", io: "\(one.rawValue)+\(many.rawValue)", cell: cellName(cell))
                s.bars.append(SVGChart.Bar(label: "inter \(ioName(one))–\(ioName(many)) \(cellName(cell))", value: mean.mean, reference: entry?.mean))
            }
        }
        return s
    }

    /// The intra-type fidelity paragraph; nil while a record holds no intra-type pair.
    public func fidelity(_ s: Summary) throws -> String? {
        let S = setup.seeds.count, depth = plan.depth, pairsPerType = plan.pairsPerType
        let intraPerSeed = s.intraPerSeed, tally = s.tally
        let paperReuse = paper.number("intro_reuse_accuracy_change")
        guard intraPerSeed.allSatisfy({ !$0.isEmpty }) else { return nil }
        let ourMean = try SeedInterval.ofMeans(intraPerSeed), ourMedian = try SeedInterval.ofMedians(intraPerSeed)
        let paperIntra = paper.number("rq2_intra_overall_mean"), paperIntraMedian = paper.number("rq2_intra_overall_median")
        let translationRows = pairRuns.filter { $0.item.task == .encoderDecoder }.map(\.runs)
        var translationLine = ""
        if !translationRows.isEmpty {
            let t = try SeedInterval.ofMeans(PerSeed.values(translationRows, seeds: S, \.delta))
            let pt = paper.number("rq2_translation_bleu_change_mean")
            translationLine = "Translation reuse changes BLEU-4 by \(t.points()) points on average (paper: \(pt.map { Format.signedPoints($0) } ?? "–") %\(pt.map { "; \(setup.cutNotJudged(.encoderDecoder) ?? Verdict.change(t, paper: $0).rawValue)" } ?? "")). "
        }
        let tallyText = [Verdict.reproduced, .sameDirection, .contradicted, .inconclusive].map { "\(tally[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
        return """
            Intra-type reuse changes accuracy by \(ourMean.points()) points on average (per seed the mean over \(intraPerSeed[0].count) \
            pairs, then the interval over \(setup.seedsCaption); median \(ourMedian.points())), against the paper's \
            \(paperIntra.map { Format.signedPoints($0) } ?? "–") % (median \(paperIntraMedian.map { Format.signedPoints($0) } ?? "–") %) \
            over its 441 intra pairs\(paperIntra.map { ": \(Verdict.change(ourMean, paper: $0).rawValue)" } ?? ""); the paper's headline \
            \(paperReuse.map { Format.signedPoints($0) } ?? "–") % also pools the inter-type pairs (see "Inter-type reuse" below). \
            Of the \(tally.values.reduce(0, +)) cells with a paper mean: \(tallyText). With \(pairsPerType.map { "\($0) pair(s)" } ?? "all pairs") \
            per cell a cell's mean rests on few examples (the smallest pair scores \(pairRuns.map { $0.runs[0].scored }.min() ?? 0) test examples). \
            \(translationLine)\
            The paper's claim that reused modules lose little against a model trained for the new problem \
            \(ourMean.lower >= -3 && ourMean.upper <= 3 ? "holds here: the whole interval lies within ±3 points" : ourMean.upper < -3 || ourMean.lower > 3 ? "does not hold here: the whole interval lies beyond ±3 points" : "is not settled here: the interval crosses ±3 points")\
            \(depth == 4 ? "" : ", with RNN-\(depth) models instead of RNN-4 and \(pairsPerType.map { "\($0)" } ?? "all") pair(s) per cell").
            """
    }

    /// Every inter-type pair.
    public var interTable: MarkdownTable {
        var it = MarkdownTable(["types", "cell", "a (one-output)", "b (many-output)", "scored", "composed", "trained", "δ (points)"],
                               alignments: [.left, .left, .left, .left, .right, .right, .right, .right])
        for run in interRuns {
            let p = (one: run.item.task, many: run.item.partner!, cell: run.item.cell, pair: run.item.pair), r = run.runs
            it.add(["\(ioName(p.one))–\(ioName(p.many))", "\(cellName(p.cell))-\(plan.depth)", items.className(p.one, p.pair.c1), items.className(p.many, p.pair.c2),
                    "\(r[0].scored)", iv(r.map(\.composed))?.fixed(4) ?? "–", iv(r.map(\.trained))?.fixed(4) ?? "–", iv(r.map(\.delta))?.points() ?? "–"])
        }
        return it
    }

    /// Inter-type families per cell beside Table III's.
    public func interSummaryTable(_ s: Summary) -> MarkdownTable {
        var isum = MarkdownTable(["types", "cell", "pairs", "mean δ", "median δ", "paper mean", "paper median", "verdict (mean)", "paper source"],
                                 alignments: [.left, .left, .right, .right, .right, .right, .right, .left, .left])
        for x in s.inter {
            let entry = paper.cell(table: 3, kind: "inter", io: "\(x.one.rawValue)+\(x.many.rawValue)", cell: cellName(x.cell))
            isum.add(["\(ioName(x.one))–\(ioName(x.many))", "\(cellName(x.cell))-\(plan.depth)", "\(x.pairs)", x.mean.points(), x.median.points(),
                      entry?.paper_mean_pct ?? "–", entry?.paper_median_pct ?? "–", entry?.mean.map { Verdict.change(x.mean, paper: $0).rawValue } ?? "–",
                      entry?.citation ?? "–"])
        }
        return isum
    }

    /// Inter-type reuse against the paper's means, and pooled with intra-type as its headline
    /// pools them; nil before any inter-type pair ran.
    public func interFidelity(_ s: Summary) throws -> String? {
        guard !s.inter.isEmpty else { return nil }
        let S = setup.seeds.count, interPerSeed = s.interPerSeed, intraPerSeed = s.intraPerSeed
        let paperReuse = paper.number("intro_reuse_accuracy_change")
        let inter = try SeedInterval.ofMeans(interPerSeed)
        let pooled = try SeedInterval.ofMeans(PerSeed.pooled([intraPerSeed, interPerSeed], seeds: S))
        return """
            Inter-type reuse changes accuracy by \(inter.points()) points on average over \(interPerSeed[0].count) pair(s) and \
            \(setup.seedsCaption) (paper: \(paper.number("rq2_inter_one_to_x_mean").map { Format.signedPoints($0) } ?? "–") % for 1:1–1:N and \
            \(paper.number("rq2_inter_many_to_x_mean").map { Format.signedPoints($0) } ?? "–") % for M:1–M:N). Pooling intra- and \
            inter-type pairs as the paper's headline does: \(pooled.points()) points over \(intraPerSeed[0].count + interPerSeed[0].count) pairs \
            (paper \(paperReuse.map { Format.signedPoints($0) } ?? "–") % over 927 pairs\(paperReuse.map { "; \(Verdict.change(pooled, paper: $0).rawValue)" } ?? "")).
            """
    }
}
