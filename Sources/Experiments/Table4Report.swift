import Corpora
import Decomposition
import Metrics
import Notebook
import Zoo

// RQ3 (Table IV) as chapter 5 reports it: the units' results (each item with its runs in seed
// order) as tables, and the summary entries Table IV's cells are compared with.

/// Chapter 5's measurements.
public struct Table4Report {
    public typealias IntraRuns = (task: Task, cell: CellKind, runs: [IntraReplacement.Result])
    public typealias InterRuns = (one: Task, many: Task, cell: CellKind, runs: [InterReplacement.Result])
    public typealias TranslationRuns = (cell: CellKind, runs: [TranslationReplacement.Result])

    /// One cell of our Table IV: a kind (intra, inter), an I/O type (the paper's key) and a
    /// cell, with every replacement's δ at each seed.
    public struct Entry {
        public var kind: String, io: String, cell: CellKind, label: String
        public var perSeed: [[Double]]
    }

    let setup: ExperimentSetup
    let paper: PaperResults
    let plan: ReplacementPlan
    let intra: [IntraRuns]
    public let inter: [InterRuns]
    let translation: [TranslationRuns]
    /// Our Table IV in the report's order: intra by I/O type and cell, inter, translation.
    public let entries: [Entry]
    /// Many-output intra-type δ with padding positions counted, per seed, pooled over cells.
    public let paddedPerTask: [Task: [[Double]]]

    public init(setup: ExperimentSetup, paper: PaperResults, plan: ReplacementPlan,
                intra: [IntraRuns], inter: [InterRuns], translation: [TranslationRuns]) {
        self.setup = setup; self.paper = paper; self.plan = plan
        self.intra = intra; self.inter = inter; self.translation = translation
        let ioLabel = PaperModels.ioLabel
        var entries: [Entry] = []
        for task in plan.tasks {
            for run in intra where run.task == task {
                entries.append(Entry(kind: "intra", io: task.rawValue, cell: run.cell, label: ioLabel(task), perSeed: run.runs.map { $0.rows.map(\.delta) }))
            }
        }
        for (one, many, cell, rs) in inter {
            entries.append(Entry(kind: "inter", io: "\(one.rawValue)+\(many.rawValue)", cell: cell, label: "\(ioLabel(one))-\(ioLabel(many))",
                                 perSeed: rs.map { $0.rows.map(\.delta) }))
        }
        for (cell, rs) in translation {
            entries.append(Entry(kind: "intra", io: "encoder_decoder", cell: cell, label: "M:N enc-dec (BLEU)",
                                 perSeed: rs.map { $0.rows.map { ($0.replacedBLEU - $0.worstBLEU) * 100 } }))
        }
        self.entries = entries
        let S = setup.seeds.count
        var padded: [Task: [[Double]]] = [:]
        for task in plan.tasks where task == .oneToMany || task == .manyToMany {
            for cell in plan.cells {
                guard let counted = Self.paddingCounted(intra, task, cell) else { continue }
                for sd in 0..<S { padded[task, default: Array(repeating: [], count: S)][sd] += counted[sd] }
            }
        }
        paddedPerTask = padded
    }

    /// A cell's runs at every seed; nil when a record does not hold all of them yet.
    func intraRuns(_ task: Task, _ cell: CellKind) -> [IntraReplacement.Result]? { intra.first { $0.task == task && $0.cell == cell }?.runs }
    /// The cells of `task` whose runs are in.
    public func intraCells(_ task: Task) -> [CellKind] { plan.cells.filter { intraRuns(task, $0) != nil } }
    /// The data set of `task`'s intra-type runs.
    public func intraDataset(_ task: Task) -> String? { intraCells(task).first.flatMap { intraRuns(task, $0)?[0].dataset } }

    /// Per seed, the padding-counted δ of every replacement; nil when a seed has none.
    static func paddingCounted(_ intra: [IntraRuns], _ task: Task, _ cell: CellKind) -> [[Double]]? {
        guard let rs = intra.first(where: { $0.task == task && $0.cell == cell })?.runs else { return nil }
        let counted = rs.map { $0.rows.compactMap(\.deltaWithPadding) }
        return counted.allSatisfy({ !$0.isEmpty }) ? counted : nil
    }

    func iv(_ xs: [Double]) -> SeedInterval? { try? SeedInterval(xs) }

    /// The models of `task` per cell: accuracy per depth, the worst and best per seed, and the
    /// worst's own modules composed.
    public func intraModelsTable(_ task: Task) -> MarkdownTable {
        let depths = plan.depths
        var models = MarkdownTable(["cell"] + depths.map { "RNN-\($0) MMA" } + ["worst (per seed)", "best (per seed)", "own CMA of worst"],
                                   alignments: [.left] + depths.map { _ in .right } + [.left, .left, .right])
        for cell in intraCells(task) {
            let rs = intraRuns(task, cell)!
            models.add([PaperModels.cellLabel(cell)] + depths.indices.map { d in iv(rs.map { $0.mma[d] })?.fixed(4) ?? "–" }
                       + [rs.map { "RNN-\($0.depths[$0.worst])" }.joined(separator: ", "), rs.map { "RNN-\($0.depths[$0.best])" }.joined(separator: ", "),
                          iv(rs.map(\.worstCMA))?.fixed(4) ?? "–"])
        }
        return models
    }

    /// CMA and δ per replaced class of `task`, a pair of columns per cell.
    public func intraClassTable(_ task: Task) -> MarkdownTable {
        let cells = intraCells(task)
        let results = cells.map { intraRuns(task, $0)! }
        var t = MarkdownTable(["class"] + cells.flatMap { ["\(PaperModels.cellLabel($0)) CMA", "\(PaperModels.cellLabel($0)) δ"] },
                              alignments: [.left] + cells.flatMap { _ in [.right, .right] })
        for row in results[0][0].rows {
            // A class that a seed's subsample lacks has no row at that seed: match by concern.
            func values(_ rs: [IntraReplacement.Result], _ pick: (IntraReplacement.Row) -> Double) -> [Double] { rs.compactMap { $0.rows.first { $0.concern == row.concern }.map(pick) } }
            t.add(["\(row.concern) \(row.name)"] + results.flatMap { rs in [iv(values(rs, \.cma))?.fixed(4) ?? "–", iv(values(rs, \.delta))?.points() ?? "–"] })
        }
        return t
    }

    /// Many-output types counted as the authors' evaluators count: every position, padding
    /// included, the worst model's padding-class module voting beside the others.
    public var paddingCountedTable: MarkdownTable {
        var padded = MarkdownTable(["I/O type", "cell", "mean δ, padding skipped", "mean δ, padding counted", "paper mean", "verdict (padding counted)"],
                                   alignments: [.left, .left, .right, .right, .right, .left])
        for task in plan.tasks where task == .oneToMany || task == .manyToMany {
            for cell in plan.cells {
                guard let rs = intraRuns(task, cell), let counted = Self.paddingCounted(intra, task, cell) else { continue }
                let m = try? SeedInterval.ofMeans(counted), skipped = try? SeedInterval.ofMeans(rs.map { $0.rows.map(\.delta) })
                let p = paper.cell(table: 4, kind: "intra", io: task.rawValue, cell: PaperModels.paperCell(cell))
                padded.add([PaperModels.ioLabel(task), PaperModels.cellLabel(cell), skipped?.points() ?? "–", m?.points() ?? "–", p?.paper_mean_pct ?? "–",
                            m.flatMap { m in p?.mean.map { Verdict.change(m, paper: $0).rawValue } } ?? "–"])
            }
        }
        return padded
    }

    /// One inter-type family and cell: every (recipient, replaced, replacement) pair.
    public func interTable(_ run: InterRuns) -> MarkdownTable {
        let rs = run.runs
        var t = MarkdownTable(["recipient", "replaced class", "donor", "replacement class", "test samples", "CMA", "baseline", "δ"],
                              alignments: [.left, .left, .left, .left, .right, .right, .right, .right])
        // The pairs depend on the classes each seed's models train on: the same at every seed
        // on full data; rows are matched by (recipient, replaced, replacement).
        for row in rs[0].rows {
            let same = rs.compactMap { x in x.rows.first { $0.recipient == row.recipient && $0.replaced == row.replaced && $0.with == row.with } }
            t.add([row.recipient, "\(row.replaced) \(row.replacedName)", row.donor, "\(row.with) \(row.withName)", Format.grouped(row.samples),
                   iv(same.map(\.cma))?.fixed(4) ?? "–", iv(same.map(\.baseline))?.fixed(4) ?? "–", iv(same.map(\.delta))?.points() ?? "–"])
        }
        return t
    }

    /// A family's vocabulary and its recipients' own accuracy.
    public func interNote(_ run: InterRuns) -> String {
        let rs = run.runs
        return "Vocabulary: \(rs[0].vocabulary). Recipients' own accuracy: \(PaperModels.ioLabel(run.one)) \(iv(rs.map(\.oneOutputMMA))?.fixed(4) ?? "–"), \(PaperModels.ioLabel(run.many)) \(iv(rs.map(\.manyOutputMMA))?.fixed(4) ?? "–") (mean ± 95 % CI over \(setup.seedsCaption))."
    }

    /// Translation per cell and seed: the models' BLEU, the picks, and each language's replacement.
    public var translationTable: MarkdownTable {
        let depths = plan.depths, seeds = setup.seeds
        var t = MarkdownTable(["cell", "seed"] + depths.map { "RNN-\($0) BLEU" } + ["worst", "best", "language", "sentences", "worst BLEU", "replaced BLEU", "δ BLEU", "worst / replaced, paper's measure"],
                              alignments: [.left, .right] + depths.map { _ in .right } + [.left, .left, .left, .right, .right, .right, .right, .right])
        for (cell, rs) in translation {
            for (si, r) in rs.enumerated() {
                for row in r.rows {
                    t.add([PaperModels.cellLabel(cell), "\(seeds[si])"] + r.meanBLEU.map { Format.fixed($0 * 100, 2) } + ["RNN-\(r.depths[r.worst])", "RNN-\(r.depths[r.best])",
                           row.language, Format.grouped(row.sentences), Format.fixed(row.worstBLEU * 100, 2), Format.fixed(row.replacedBLEU * 100, 2),
                           Format.signedPoints((row.replacedBLEU - row.worstBLEU) * 100),
                           "\(Format.fixed(row.worstPaperMeasure * 100, 2)) / \(Format.fixed(row.replacedPaperMeasure * 100, 2))"])
                }
            }
        }
        return t
    }

    /// Our Table IV beside the paper's, with the bars of its chart.
    public func summary() -> (table: MarkdownTable, bars: [SVGChart.Bar]) {
        var s = MarkdownTable(["kind", "I/O type", "cell", "n", "mean δ", "median δ", "paper mean", "paper median", "verdict (mean)", "paper source"],
                              alignments: [.left, .left, .left, .right, .right, .right, .right, .right, .left, .left])
        var bars: [SVGChart.Bar] = []
        let cut = setup.cutNotJudged(.encoderDecoder)
        for e in entries {
            let p = paper.cell(table: 4, kind: e.kind, io: e.io, cell: PaperModels.paperCell(e.cell))
            let mean = Self.means(e.perSeed)
            let countsPadding = e.kind == "intra" && paddedPerTask[Task(rawValue: e.io) ?? .oneToOne] != nil
            s.add([e.kind, e.label, PaperModels.cellLabel(e.cell), "\(e.perSeed[0].count)", mean?.points() ?? "–", Self.medians(e.perSeed)?.points() ?? "–",
                   p?.paper_mean_pct ?? "–", p?.paper_median_pct ?? "–",
                   countsPadding ? "the paper counts padding: judged in the padding-counted table"
                       : e.io == Task.encoderDecoder.rawValue && p?.mean != nil && cut != nil ? cut!
                       : mean.flatMap { m in p?.mean.map { Verdict.change(m, paper: $0).rawValue } } ?? "–", p?.citation ?? "–"])
            if let mean { bars.append(SVGChart.Bar(label: "\(e.kind) \(e.label) \(PaperModels.cellLabel(e.cell))", value: mean.mean, reference: p?.mean)) }
        }
        return (s, bars)
    }

    /// Per seed the mean (median) over items, then the interval over seeds; nil when a seed has none.
    static func means(_ perSeed: [[Double]]) -> SeedInterval? { perSeed.contains { $0.isEmpty } ? nil : try? SeedInterval.ofMeans(perSeed) }
    static func medians(_ perSeed: [[Double]]) -> SeedInterval? { perSeed.contains { $0.isEmpty } ? nil : try? SeedInterval.ofMedians(perSeed) }
}

extension TranslationReplacement.Result {
    /// In a few words, for the record's "not yet run" list while the cell's other seeds wait.
    public var measuredSummary: String {
        "BLEU-4 per depth " + zip(depths, meanBLEU).map { "RNN-\($0) \(Format.fixed($1, 4))" }.joined(separator: ", ")
            + "; worst's modules replaced by best's: " + rows.map { "\($0.language) \(Format.fixed($0.worstBLEU, 4)) → \(Format.fixed($0.replacedBLEU, 4))" }.joined(separator: ", ")
    }
}
