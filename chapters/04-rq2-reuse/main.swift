// # Chapter 4 — RQ2: can decomposed modules be reused to build a new problem? (Table III)
//
// Decomposition turns a K-class model into K binary modules. RQ2 asks whether two of them,
// composed by voting, solve the two-class problem as well as the same architecture trained
// from scratch on those two classes. For every I/O type (1:1 MathQA, M:1 Clinc, 1:N
// wiki-toxicity, M:N Brown — or their synthetic stand-ins) and cell (Vanilla tanh, LSTM, GRU)
// the chapter decomposes the model, composes each chosen pair of modules, and measures
//
//     δ = accuracy(composed modules) − accuracy(model trained on the pair),   percentage points,
//
// both on the same test examples. Translation reuse does the same with two target-language
// modules of the encoder-decoder and BLEU-4. Inter-type reuse (a module of a 1:1 model with
// one of a 1:N model, on a shared vocabulary) is described at the end, with why it is not run.

import Corpora
import Decomposition
import Experiments
import Foundation
import Metrics
import ChapterRuntime
import DecompositionInputs
import Notebook
import RNNKit
import Zoo

// The whole chapter runs inside `runChapter`: an error ends it with one line and exit status 1.
runChapter("ch04-rq2-reuse") { env in
    let started = Date()
    let setup = ExperimentSetup(env)
    let paper = try PaperResults.load()

    // ## Configuration
    //
    // The paper reuses modules of RNN-4 (four stacked recurrent layers). The quick profile runs
    // RNN-1 and a few evenly spread pairs so that it finishes in minutes on two cores; the paper
    // profile runs RNN-4 and every pair. One-output models are decomposed rolled (the paper's
    // default); many-output models unrolled, the paper's setting for them. (Table II's rolled
    // many-output collapse, −50.87 % on average, is the authors' evaluator voting with zeroed
    // weights, not a property of the method: chapter 3 shows both.)
    let tasks: [Task] = [.oneToOne, .manyToOne, .oneToMany, .manyToMany]
    let profile = env.profile
    let depth = profile == .paper ? 4 : 1
    let cells: [CellKind] = profile == .smoke ? [.rnn] : [.rnn, .lstm, .gru]
    let pairsPerType: Int? = profile == .smoke ? 1 : profile == .quick ? 2 : nil
    /// Inter-type reuse: (one-output, many-output) I/O types; the quick profile runs the Vanilla cell only.
    let interTypes = PaperModels.interTypeFamilies
    let interCells: [CellKind] = profile == .quick ? [.rnn] : cells
    let interPairs: Int? = profile == .paper ? nil : 1
    let cellName = PaperModels.paperCell, ioName = ReuseStudy.ioLabel

    var provenance = env.provenance()

    provenance.numerics = GEMM.describe()
    provenance.configuration = [
        "models: RNN-\(depth) (\(depth) stacked recurrent layers), cells \(cells.map { cellName($0) }.joined(separator: ", "))"
            + (depth == 4 ? "" : " — the paper uses RNN-4; RNN-1 keeps the quick profile within minutes"),
        "pairs per I/O type and cell: " + (pairsPerType.map { "\($0), evenly spread over all pairs (ReusePairs.spread)" } ?? "all"),
        "decomposition one-output: " + DecompositionConfig.paper(for: .oneToOne).summary,
        "decomposition many-output: " + DecompositionConfig.paper(for: .manyToMany).summary,
        "inter-type reuse: cells \(interCells.map { cellName($0) }.joined(separator: ", ")), "
            + (interPairs.map { "\($0) pair(s) per type pair and cell" } ?? "all pairs with test examples") + ", shared vocabulary built by the chapter (SharedVocabulary)",
        "seeds: \(setup.seedsCaption) (\(setup.seeds.map(String.init).joined(separator: ", "))) for every pair",
        "translation reuse: rolled decoder modules, greedy decoding, BLEU-4" + (ProfileCut.of(setup.datasetName(.encoderDecoder), profile: profile) == nil ? "" : " (Tatoeba as the profile cuts it: ProfileCut)"),
    ]
    provenance.inputs = setup.inputFiles(tasks + [.encoderDecoder])

    // ## The work: one unit per (I/O type, cell, pair) and seed
    //
    // Each unit decomposes the two concerns it needs (memoised per process: a concern's module
    // does not depend on the others), composes them, and scores the composition and the
    // two-class model on the same test examples (Sources/Experiments/ReuseUnits.swift). The
    // pairs of one model at one seed form a batch: one scale-out job loads the model and data
    // once and decomposes each concern once for all of its pairs.
    // Translation units pair two target languages; inter-type units a module of a one-output
    // model with one of a many-output model on a shared vocabulary.
    let study = ReuseStudy(setup, layers: depth)
    let seeds = setup.seeds, S = seeds.count
    var labelNames: [Task: [String]] = [:]
    var pairItems: [ReuseItem] = []
    for task in tasks {
        let classes = try study.classes(task)
        labelNames[task] = classes.names
        let pairs = ReusePairs.spread(classes.concerns, count: pairsPerType)
        for cell in cells { pairItems += pairs.map { ReuseItem(task: task, cell: cell, pair: $0) } }
    }
    let languages = try setup.zoo.dataset(for: setup.model(.encoderDecoder, cell: .rnn, layers: depth)).translation?.targetLanguages ?? []
    let translationItems = cells.flatMap { cell in
        ReusePairs.spread(Array(languages.indices), count: pairsPerType).map { ReuseItem(task: .encoderDecoder, cell: cell, pair: $0) }
    }
    var interItems: [ReuseItem] = []
    for (one, many) in interTypes {
        let pairs = try study.interPairs(one, many, count: interPairs)
        for cell in interCells { interItems += pairs.map { ReuseItem(task: one, partner: many, cell: cell, pair: $0) } }
    }
    var plan = UnitPlan(env, chapter: "04")
    func label(_ i: ReuseItem) -> String {
        "\(i.task.rawValue)\(i.partner.map { " + \($0.rawValue)" } ?? "") \(i.cell.rawValue)\(depth), pair \(i.pair.c1)–\(i.pair.c2)"
    }
    let intraGroup = plan.add(pairItems, seeds: seeds, label: label, kind: { "reuse intra \($0.task.rawValue)" }) { i, seed in
        WorkUnit(id: "intra-\(i.task.rawValue)-\(i.cell.rawValue)\(depth)-\(i.pair.c1)-\(i.pair.c2)-seed\(seed)",
                 batch: "intra-\(i.task.rawValue)-\(i.cell.rawValue)\(depth)-seed\(seed)") { try study.intra(i.task, i.cell, i.pair, seed: seed) }
    }
    let translationGroup = plan.add(translationItems, seeds: seeds, label: label, kind: { _ in "reuse translation" }) { i, seed in
        WorkUnit(id: "translation-\(i.cell.rawValue)\(depth)-\(i.pair.c1)-\(i.pair.c2)-seed\(seed)",
                 batch: "translation-\(i.cell.rawValue)\(depth)-seed\(seed)") { try study.translation(i.cell, i.pair, seed: seed) }
    }
    let interGroup = plan.add(interItems, seeds: seeds, label: label, kind: { "reuse inter \($0.task.rawValue)" }) { i, seed in
        WorkUnit(id: "inter-\(i.task.rawValue)-\(i.partner!.rawValue)-\(i.cell.rawValue)\(depth)-\(i.pair.c1)-\(i.pair.c2)-seed\(seed)",
                 batch: "inter-\(i.task.rawValue)-\(i.partner!.rawValue)-\(i.cell.rawValue)\(depth)-seed\(seed)") {
            try study.inter(i.task, i.partner!, i.cell, i.pair, seed: seed)
        }
    }
    let results = try env.run(plan, label: "reuse pairs × seeds")
    // Each plan item with its rows at every seed: intra-type and translation, then inter-type.
    let pairRuns = results[intraGroup] + results[translationGroup], interRuns = results[interGroup]

    // ## The report
    let reportTasks = tasks + [.encoderDecoder]
    var report = Report(title: "Chapter 4 — RQ2: reusing modules (Table III)", firstLine: setup.dataLine(reportTasks),
                        provenance: provenance, stem: "04-rq2-reuse")
    report.paragraph("""
        Two modules of one model, composed by voting (each module gives the probability of its own concern; the more \
        confident wins), are compared with the same architecture trained from scratch on the same two classes. \
        δ = composed − trained accuracy in percentage points, on the same test examples: one-output — the test samples \
        labelled c1 or c2; many-output — the positions labelled c1 or c2 (padding and other labels not scored). The \
        two-class model's prediction is its argmax over the two classes. Class ids are the source model's; many-output \
        class 0 is padding and has no module. Paper values come from data-manifests/paper-results.json (Table III) and \
        are labelled "paper". Every pair runs at \(setup.seedsCaption) (\(seeds.map(String.init).joined(separator: ", "))): a \
        seed sets the source model's training, the decomposition's sampling and the two-class model's training; values \
        are mean ± 95 % CI over the seeds.
        """)
    report.paragraph(Verdict.rule)

    func className(_ task: Task, _ c: Int) -> String {
        let names = labelNames[task] ?? []
        if task == .encoderDecoder { return c < languages.count ? languages[c] : "\(c)" }
        return c < names.count ? "\(c) \(names[c])" : "\(c)"
    }
    func iv(_ xs: [Double]) -> SeedInterval? { try? SeedInterval(xs) }

    // Per cell: the pairs.
    for cell in cells {
        var t = MarkdownTable(["I/O", "data set", "c1", "c2", "scored", "composed", "trained", "δ (points)"],
                              alignments: [.left, .left, .left, .left, .right, .right, .right, .right])
        for run in pairRuns where run.item.cell == cell {
            let p = run.item, r = run.runs
            let metric = p.task == .encoderDecoder ? "BLEU-4" : "acc"
            t.add([ioName(p.task), setup.datasetName(p.task), className(p.task, p.pair.c1), className(p.task, p.pair.c2),
                   "\(r[0].scored)", "\(iv(r.map(\.composed))?.fixed(4) ?? "–") \(metric)", iv(r.map(\.trained))?.fixed(4) ?? "–",
                   iv(r.map(\.delta))?.points() ?? "–"])
        }
        report.heading("\(cellName(cell).capitalized)-\(depth): every pair")
        report.table(t, caption: "\(setup.seedsCaption); mean ± 95 % CI over seeds.")
    }

    // Summary beside Table III: per seed the mean (median) δ over a cell's pairs, then the
    // interval over seeds.
    report.heading("Summary beside the paper's Table III")
    var summary = MarkdownTable(["I/O", "cell", "pairs", "mean δ", "median δ", "paper mean", "paper median", "verdict (mean)", "paper source"],
                                alignments: [.left, .left, .right, .right, .right, .right, .right, .left, .left])
    var bars: [SVGChart.Bar] = []
    var intraPerSeed = [[Double]](repeating: [], count: S)
    var tally: [Verdict: Int] = [:]
    func cellRows(_ task: Task, _ cell: CellKind) -> [[ReuseRow]] {
        pairRuns.filter { $0.item.task == task && $0.item.cell == cell }.map(\.runs)
    }
    for task in reportTasks {
        for cell in cells {
            let rs = cellRows(task, cell)
            guard !rs.isEmpty else { continue }
            let entry = paper.cell(table: 3, kind: "intra", io: task.rawValue, cell: cellName(cell))
            let bySeed = PerSeed.values(rs, seeds: S, \.delta)
            let mean = try SeedInterval.ofMeans(bySeed), median = try SeedInterval.ofMedians(bySeed)
            if task != .encoderDecoder { for s in 0..<S { intraPerSeed[s] += bySeed[s] } }
            let why = setup.cutNotJudged(task)
            let verdict = why == nil ? entry?.mean.map { Verdict.change(mean, paper: $0) } : nil
            if let verdict, task != .encoderDecoder { tally[verdict, default: 0] += 1 }
            summary.add([ioName(task), "\(cellName(cell))-\(depth)", "\(rs.count)", mean.points(), median.points(),
                         entry?.paper_mean_pct ?? "–", entry?.paper_median_pct ?? "–", verdict?.rawValue ?? (entry?.mean == nil ? "–" : why ?? "–"), entry?.citation ?? "–"])
            bars.append(SVGChart.Bar(label: "\(ioName(task)) \(cellName(cell))", value: mean.mean, reference: entry?.mean))
        }
    }
    var interPerSeed = [[Double]](repeating: [], count: S)
    var interSummaries: [(one: Task, many: Task, cell: CellKind, pairs: Int, mean: SeedInterval, median: SeedInterval)] = []
    for (one, many) in interTypes {
        for cell in interCells {
            let rs = interRuns.filter { $0.item.task == one && $0.item.cell == cell }.map(\.runs)
            guard !rs.isEmpty else { continue }
            let bySeed = PerSeed.values(rs, seeds: S, \.delta)
            for s in 0..<S { interPerSeed[s] += bySeed[s] }
            let mean = try SeedInterval.ofMeans(bySeed)
            interSummaries.append((one, many, cell, rs.count, mean, try SeedInterval.ofMedians(bySeed)))
            let entry = paper.cell(table: 3, kind: "inter", io: "\(one.rawValue)+\(many.rawValue)", cell: cellName(cell))
            bars.append(SVGChart.Bar(label: "inter \(ioName(one))–\(ioName(many)) \(cellName(cell))", value: mean.mean, reference: entry?.mean))
        }
    }
    report.table(summary, caption: "\(setup.seedsCaption): per seed the mean (median) δ over the cell's pairs, then mean ± 95 % CI over seeds; δ in percentage points (accuracy), BLEU points for encoder-decoder; paper columns: Table III as printed (RNN-4).")
    report.figure(SVGChart.bars(bars, title: "RQ2 reuse: mean δ per I/O type and cell", unit: "points"),
                  name: "delta", caption: "Mean δ (composed − trained) per I/O type and cell over pairs and seeds, intra- then inter-type; black ticks: the paper's Table III means.")

    // ## Fidelity
    // (A record with no intra-type pair run yet has no mean to judge.)
    let paperReuse = paper.number("intro_reuse_accuracy_change")
    if intraPerSeed.allSatisfy({ !$0.isEmpty }) {
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
        report.heading("Fidelity")
        report.paragraph("""
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
            """)
    }

    // ## Translation reuse
    report.heading("Translation reuse")
    report.paragraph("""
        Rows "encoder-decoder" above: the decoder modules of target languages l1 and l2 (decomposed rolled, paper preset) \
        each translate the test sentences of their language (greedy decoding from the language's start token); the \
        model trained on l1 and l2 translates the same sentences. BLEU-4 (NLTK's corpus BLEU) per language, averaged \
        over the two languages; δ in BLEU points.
        """)
    if let note = try setup.translationCutNote() { report.paragraph(note) }

    // ## Inter-type reuse
    report.heading("Inter-type reuse")
    report.paragraph("""
        The paper composes a module of the 1:1 MathQA model with one of the 1:N toxicity model, and a module of the M:1 Clinc \
        model with one of the M:N Brown model, each pair of models trained on a shared ("combined") vocabulary. `Corpora` \
        cannot load `<dataset>/combined` yet (it accepts a `/variant` only for translation data), so this chapter builds the \
        shared vocabulary itself: the union of the two data sets' vocabularies (the one-output data set's words first), every \
        token id remapped through its word, both inputs right-padded with 0 to the longer input length (M:N labels padded \
        alongside); both models are then trained with the zoo's recipe and architecture on the remapped data. \
        Composition: both modules read the same input; the one-output module's score is its dominant probability, the \
        many-output module's its dominant probability at the decision step — the last output step for 1:N, the position of \
        the last non-zero input token for M:N; the higher wins. Test examples: the one-output data set's test samples of \
        class a and the many-output data set's test samples whose label at the decision step is b; accuracy = the fraction \
        assigned to their own class. "trained" is the one-output architecture trained from scratch on exactly this two-class \
        task (same recipe, same shared vocabulary), scored on the same examples. Class ids are each source model's (a of the \
        one-output model, b of the many-output model); pairs are restricted to classes with test examples on both sides.
        """)
    var it = MarkdownTable(["types", "cell", "a (one-output)", "b (many-output)", "scored", "composed", "trained", "δ (points)"],
                           alignments: [.left, .left, .left, .left, .right, .right, .right, .right])
    for run in interRuns {
        let p = (one: run.item.task, many: run.item.partner!, cell: run.item.cell, pair: run.item.pair), r = run.runs
        it.add(["\(ioName(p.one))–\(ioName(p.many))", "\(cellName(p.cell))-\(depth)", className(p.one, p.pair.c1), className(p.many, p.pair.c2),
                "\(r[0].scored)", iv(r.map(\.composed))?.fixed(4) ?? "–", iv(r.map(\.trained))?.fixed(4) ?? "–", iv(r.map(\.delta))?.points() ?? "–"])
    }
    report.table(it, caption: "\(setup.seedsCaption); mean ± 95 % CI over seeds.")
    var isum = MarkdownTable(["types", "cell", "pairs", "mean δ", "median δ", "paper mean", "paper median", "verdict (mean)", "paper source"],
                             alignments: [.left, .left, .right, .right, .right, .right, .right, .left, .left])
    for x in interSummaries {
        let entry = paper.cell(table: 3, kind: "inter", io: "\(x.one.rawValue)+\(x.many.rawValue)", cell: cellName(x.cell))
        isum.add(["\(ioName(x.one))–\(ioName(x.many))", "\(cellName(x.cell))-\(depth)", "\(x.pairs)", x.mean.points(), x.median.points(),
                  entry?.paper_mean_pct ?? "–", entry?.paper_median_pct ?? "–", entry?.mean.map { Verdict.change(x.mean, paper: $0).rawValue } ?? "–",
                  entry?.citation ?? "–"])
    }
    report.table(isum, caption: "\(setup.seedsCaption): per seed the mean (median) over the pairs, then mean ± 95 % CI; inter-type δ in percentage points; paper columns: Table III as printed (RNN-4, the authors' combined-vocabulary models).")
    if !interSummaries.isEmpty {
        let inter = try SeedInterval.ofMeans(interPerSeed)
        let pooled = try SeedInterval.ofMeans(PerSeed.pooled([intraPerSeed, interPerSeed], seeds: S))
        report.paragraph("""
            Inter-type reuse changes accuracy by \(inter.points()) points on average over \(interPerSeed[0].count) pair(s) and \
            \(setup.seedsCaption) (paper: \(paper.number("rq2_inter_one_to_x_mean").map { Format.signedPoints($0) } ?? "–") % for 1:1–1:N and \
            \(paper.number("rq2_inter_many_to_x_mean").map { Format.signedPoints($0) } ?? "–") % for M:1–M:N). Pooling intra- and \
            inter-type pairs as the paper's headline does: \(pooled.points()) points over \(intraPerSeed[0].count + interPerSeed[0].count) pairs \
            (paper \(paperReuse.map { Format.signedPoints($0) } ?? "–") % over 927 pairs\(paperReuse.map { "; \(Verdict.change(pooled, paper: $0).rawValue)" } ?? "")).
            """)
    }

    try env.write(report, started: started, coverage: results.coverage)
}
