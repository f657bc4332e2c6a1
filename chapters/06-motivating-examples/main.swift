// # Chapter 6 — The motivating examples (Table V)
//
// The paper opens with two maintenance requests to a translation model and closes them in
// Table V:
//   1. An English→{French, German, Italian} model must also translate into Ukrainian.
//   2. An Estonian→{English, German, Italian} model translates into English poorly; that part
//      must get better.
// Without modules the answer is a new model trained on everything ("TMA", the trained model).
// With modules there are two answers. Solution 1: take the language's module from another
// model that already translates into it. Solution 2: train a small model for the one language
// pair and decompose it into its module. Either module joins (or replaces one of) the modules
// of the model being maintained; each language is then translated by its own module.
// Everything is measured with 4-gram BLEU on one test set per problem.

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

runChapter("ch06-motivating-examples") { env in
    let setup = ExperimentSetup(env)
    let started = Date()
    let paperProfile = env.profile == .paper

    // ## The plan, per profile
    //
    // Table V is for LSTM models; the paper profile adds Vanilla RNN, the cell of the authors'
    // only per-language CSVs for these examples. Decomposition: the paper preset, rolled (the
    // authors' evaluators for these examples are the rolled ones).
    let cells: [CellKind] = paperProfile ? [.lstm, .rnn] : [.lstm]
    let depth = 1
    let samplesPerClass = env.profile.pick(smoke: 40, quick: 100, paper: 500)
    let config = { var c = DecompositionConfig.paper; c.mode = .rolled; c.samplesPerClass = samplesPerClass; return c }()

    let profileNote = env.profile.pick(
        smoke: "Profile smoke: a self-check on tiny data (2 training epochs); its numbers say nothing about the paper.",
        quick: "Profile quick — what is cut to finish in minutes: the real Ukrainian problem (see below), \(samplesPerClass) samples per language for decomposition (paper: 500), LSTM only, and the Estonian encoder-decoders trained 10 epochs instead of 40 (their corpora are small and run whole: the zoo's quick limits, 4,000 training and 1,000 test pairs, do not bite). `--profile paper` runs everything.",
        paper: "Profile paper: full data, 500 samples per language, LSTM (Table V) and Vanilla RNN.")

    let problems = MaintenanceProblem.tableV(setup)
    var provenance = env.provenance()
    provenance.numerics = GEMM.describe()
    provenance.configuration = [
        "decomposition: \(config.summary)",
        "models: \(cells.map { "\($0.rawValue.uppercased())-\(depth)" }.joined(separator: ", ")), trained by the zoo; epochs per data set: "
            + problems.map { "\($0.dataset) \($0.zoo.recipe(for: ZooModel(dataset: $0.dataset, task: .encoderDecoder, cell: .lstm, layers: depth)).epochs)" }.joined(separator: ", ")
            + ", \(setup.seedsCaption) (a seed sets each model's training and the decomposition's sampling)",
        "BLEU: NLTK's 4-gram corpus BLEU of greedy translations, token ids as words, per target language on the problem's test split",
    ]
    for name in ["tatoeba_ukrainian", "tatoeba_estonian"] where setup.hasRealData(named: name) {
        if let m = try? Corpora.manifest(named: name, locator: setup.locator) { provenance.inputs += m.files.map { ($0.path, $0.sha256) } }
    }

    // ## Run (each unit's result is cached under --results; --list-jobs / --job scale out)
    //
    // One unit per (problem, cell, seed); Experiments/Table5Problems.swift holds what a unit measures.

    let seeds = setup.seeds
    let items = problems.filter { $0.skipped == nil }.flatMap { p in cells.map { (problem: p, cell: $0) } }
    var plan = UnitPlan(env, chapter: "06")
    let group = plan.add(items, seeds: seeds, label: { "problem \($0.problem.id), \($0.cell.rawValue)\(depth)" }, kind: { "problem \($0.problem.id)" }, measured: { $1.measuredSummary }) { r, seed in
        WorkUnit(id: "\(r.problem.id)-\(r.cell.rawValue)\(depth)-seed\(seed)") { try r.problem.measure(r.cell, depth: depth, config: config, seed: seed) }
    }
    let stored = try env.run(plan, label: "problems × seeds")
    let results = stored[group]
    /// A problem's runs for a cell at every seed; nil when a record does not hold them all yet.
    func runs(_ p: MaintenanceProblem, _ cell: CellKind) -> [MaintenanceProblem.Result]? { results.first { $0.item.problem.id == p.id && $0.item.cell == cell }?.runs }

    // ## The report

    let paper = try PaperResults.load().table5?.paper ?? []
    var report = Report(title: "Chapter 6 — The motivating examples (Table V)",
                        firstLine: setup.dataLine([("tatoeba_ukrainian", "the add-a-language problem"), ("tatoeba_estonian", "the replace-a-language problem")]),
                        provenance: provenance, stem: "06-motivating-examples")
    report.paragraph("""
        Two maintenance requests to a translation model, answered without retraining it: a language module is taken from \
        another model (solution 1) or cut from a small model trained on the one pair (solution 2) and composed with the \
        maintained model's own modules; each target language is translated by its module (greedy decoding from the \
        language's start token). TMA is the trained model's average BLEU, MA1 and MA2 the composed models' (Table V's \
        footnote). BLEU is in points (×100); "paper" values are Table V's (data-manifests/paper-results.json), never \
        recomputed here. Every model is trained, and every module decomposed, at \(setup.seedsCaption) \
        (\(seeds.map(String.init).joined(separator: ", "))); values are mean ± 95 % CI over the seeds.
        """)
    report.paragraph(Verdict.rule)
    report.paragraph(profileNote)
    report.heading("How it is measured, and where it differs from the authors")
    report.bullets([
        "One test split per problem (the Tatoeba recipe: seeded shuffle, 70/15/15), and every model and module of the problem is scored on it. The authors score each solution on its own split (their solution-2 loader reshuffles the s2 corpus with another seed), so their columns are not measured on the same sentences.",
        "The s2 corpus contains every pair of the original Estonian corpus. Here an s2 pair that is a validation or test pair of the original split is not trained on (Corpora's `tatoeba_estonian/combined`, the number dropped is below); the authors' solution-2 model could train on test pairs of the original.",
        "All models of a problem share one source and one target vectorizer (adapted on the problem's training pairs), so a module of one model reads the maintained model's token ids. The authors fit each solution's vectorizers on its own data.",
        "Solution 1 of the Ukrainian problem: the authors' donor model was trained on a larger English→{German, Ukrainian} corpus whose Ukrainian side (`ua_train.txt`) is not in their replication package; ours is trained on the German and Ukrainian pairs of the same corpus, so it sees no more Ukrainian than the trained model.",
        "BLEU: NLTK's 4-gram corpus BLEU on token ids, start and end tags excluded (the kit's definition everywhere). The paper's Table V values are the authors' `get_bleu`: `corpus_bleu(weights=(1, 0, 0, 0))` × 100 — 1-gram BLEU — with both tags kept in hypothesis and reference, against the raw reference sentence (their logs give 4-gram BLEU ~1e-231 for the same translations). The summary also scores our translations that way (\"paper's measure\"), as close as token ids get to theirs.",
        "A model trained on one language has no other concern to separate that language from, so our identification rule removes (almost) nothing from it: solution 2's module keeps its model's recurrent connections (structural JI below). The authors report 0.69 for their Vanilla solution-2 module; their JI also counts the output layer's channeling.",
        "Decomposition: \(config.summary).",
    ])

    // A BLEU over seeds in points, "–" where the quantity does not apply (Table5Claims.swift).
    let interval = { (xs: [MaintenanceProblem.BLEU?]) in MaintenanceProblem.BLEU.interval(xs) }
    func pts(_ xs: [MaintenanceProblem.BLEU?]) -> String { interval(xs)?.fixed(2) ?? "–" }
    func tagged(_ xs: [MaintenanceProblem.BLEU?]) -> String { MaintenanceProblem.BLEU.interval(xs, tagged: true)?.fixed(2) ?? "–" }
    func paperText(_ v: Double?) -> String { v.map { Format.fixed($0, 2) } ?? "–" }

    var summary = MarkdownTable(["problem", "cell", "TMA", "MA1", "MA2", "maintained model's modules", "TMA / MA1 / MA2, paper's measure (BLEU-1, tags)", "paper TMA", "paper MA1", "paper MA2", "paper source"],
                                alignments: [.left, .left, .right, .right, .right, .right, .right, .right, .right, .right, .left])
    var differences = MarkdownTable(["problem", "cell", "difference", "ours (points)", "paper (points)", "verdict"],
                                    alignments: [.left, .left, .left, .right, .right, .left])
    var bars: [SVGChart.Bar] = []
    var fidelity: [String] = []
    for (pi, p) in problems.enumerated() {
        let paperRow = paper.first { $0.problem == pi + 1 }
        report.heading("Problem \(pi + 1): \(p.title)")
        report.paragraph(p.story + (p.real ? "" : " (The paper's data set was not found; synthetic stand-in.)"))
        if let why = p.skipped {
            report.paragraph(why)
            summary.add(["\(pi + 1) \(paperRow?.scenario ?? p.title)", "–", "not run", "not run", "not run", "–", "–",
                         paperText(paperRow?.tma_bleu_pct), paperText(paperRow?.ma1_bleu_pct), paperText(paperRow?.ma2_bleu_pct), paperRow?.citation ?? "–"])
            fidelity.append("Problem \(pi + 1): not run in this profile, so nothing is claimed about it.")
            continue
        }
        for cell in cells {
            guard let rs = runs(p, cell) else { continue }   // not yet run (record)
            let cellName = cell == .rnn ? "Vanilla-\(depth)" : "\(cell.rawValue.uppercased())-\(depth)"
            report.heading("\(cellName)", level: 3)
            var t = MarkdownTable(["language", "sentences", "trained model", "maintained model", "its module", "solution 1 model", "solution 1 module", "solution 2 model", "solution 2 module"],
                                  alignments: [.left] + Array(repeating: .right, count: 8))
            // Languages and sentence counts are the test split's, the same at every seed.
            for (li, row) in rs[0].rows.enumerated() {
                func col(_ pick: (MaintenanceProblem.LanguageRow) -> MaintenanceProblem.BLEU?) -> String { pts(rs.map { pick($0.rows[li]) }) }
                t.add([row.language, Format.grouped(row.sentences), col(\.trained), col(\.baseModel), col(\.baseModule),
                       col(\.solution1Model), col(\.solution1Module), col(\.solution2Model), col(\.solution2Module)])
            }
            let tma = rs.map { Optional($0.tma) }, ma1 = rs.map { Optional($0.ma1) }, ma2 = rs.map { Optional($0.ma2) }
            let kept = rs.map(\.baseModules)
            t.add(["**average (TMA / MA)**", "", "**\(pts(tma))**", "", kept.contains { $0 == nil } ? "" : pts(kept), "", "**MA1 \(pts(ma1))**", "", "**MA2 \(pts(ma2))**"])
            report.table(t, caption: "\(setup.seedsCaption); BLEU per test language, mean ± 95 % CI over seeds. MA1 / MA2 average the solution's module for \(rs[0].rows.first { $0.solution1Module != nil }?.language ?? "the target") with the maintained model's modules for the other languages.")
            func jiText(_ pick: (MaintenanceProblem.Result) -> Double) -> String { (try? SeedInterval(rs.map(pick)))?.fixed(2) ?? "–" }
            let r0 = rs[0]
            report.paragraph("Training pairs: " + ["trained", "base", "solution 1", "solution 2"].compactMap { k in r0.trainPairs[k].map { "\(k == "base" ? "maintained" : k) model \(Format.grouped($0))" } }.joined(separator: ", ")
                             + r0.extraCorpora.keys.sorted().map { k in "; of the \(Format.grouped(r0.extraCorpora[k]![0])) pairs of the \(k) corpus, \(Format.grouped(r0.extraCorpora[k]![1])) are held-out pairs of this split and were not trained on" }.joined()
                + ". Jaccard index of the solution modules with their models (mean ± CI over seeds): solution 1 \(jiText(\.ji1)) (structural \(jiText(\.structural1))), solution 2 \(jiText(\.ji2)) (structural \(jiText(\.structural2))).")
            let isLSTM = cell == .lstm
            summary.add(["\(pi + 1) \(p.real ? "" : "(synthetic) ")\(paperRow?.scenario ?? p.title)", cellName, pts(tma), pts(ma1), pts(ma2),
                         kept.contains { $0 == nil } ? "–" : pts(kept),
                         [tma, ma1, ma2].map { tagged($0) }.joined(separator: " / "),
                         isLSTM ? paperText(paperRow?.tma_bleu_pct) : "–", isLSTM ? paperText(paperRow?.ma1_bleu_pct) : "–",
                         isLSTM ? paperText(paperRow?.ma2_bleu_pct) : "–", isLSTM ? (paperRow?.citation ?? "–") : "Table V is for LSTM only"])
            for (name, ours, theirs) in [("TMA", tma, paperRow?.tma_bleu_pct), ("MA1", ma1, paperRow?.ma1_bleu_pct), ("MA2", ma2, paperRow?.ma2_bleu_pct)] {
                bars.append(SVGChart.Bar(label: "P\(pi + 1) \(cellName) \(name)", value: interval(ours)?.mean ?? .nan, reference: isLSTM ? theirs : nil))
            }
            // The paper's claims, judged per seed in its own measure (Experiments/Table5Claims.swift).
            let claims = try MaintenanceProblem.claims(rs, paper: isLSTM ? (paperRow?.tma_bleu_pct, paperRow?.ma1_bleu_pct, paperRow?.ma2_bleu_pct) : (nil, nil, nil))
            var verdicts: [String] = []
            for (name, ours, theirs) in claims.map({ ($0.name, $0.ours, $0.paper) }) {
                let verdict = !p.real ? "synthetic data: not judged" : theirs.map { Verdict.change(ours, paper: $0).rawValue } ?? "–"
                differences.add(["\(pi + 1)", cellName, name, ours.points(), theirs.map { Format.signedPoints($0) } ?? "–", verdict])
                if p.real, theirs != nil { verdicts.append("\(name) \(ours.points()) (paper \(Format.signedPoints(theirs!))): \(verdict)") }
            }
            if !verdicts.isEmpty {
                fidelity.append("Problem \(pi + 1) (\(cellName)), in the paper's measure (BLEU-1 with tags): " + verdicts.joined(separator: "; ") + ".")
            } else if !p.real {
                fidelity.append("Problem \(pi + 1) (\(cellName)): synthetic stand-in, says nothing about the paper.")
            }
            // What the averages are made of: the donors' own quality on the target language, and
            // what decomposing the maintained model costs on the languages it keeps.
            if let li = r0.rows.firstIndex(where: { $0.solution2Model != nil }) {
                let target = r0.rows[li]
                let base = target.baseModel.map { _ in " vs the maintained model's \(pts(rs.map { $0.rows[li].baseModel }))" } ?? ""
                fidelity.append("Problem \(pi + 1), \(cellName): on \(target.language) the solution-2 model scores \(pts(rs.map { $0.rows[li].solution2Model }))\(base) and the solution-1 model \(pts(rs.map { $0.rows[li].solution1Model }))"
                                + (p.real && p.id == "replace-language" ? " — the larger s2 corpus is the premise of the paper's solution 2" : "") + ".")
            }
            if let c = MaintenanceProblem.decompositionCost(rs) {
                fidelity.append("Problem \(pi + 1), \(cellName): the maintained model's own modules score \(c.points()) BLEU points against the model on the languages they keep (mean over languages, then over seeds); every composed average carries that decomposition cost, which the paper's Table V does not separate.")
            }
        }
    }
    // The authors' evaluators reshuffle with seed 89, their decomposers (and the kit) use 19:
    // how many of their evaluation pairs are training pairs, per real problem.
    var overlap: [String] = []
    for (pi, p) in problems.enumerated() where p.real && p.skipped == nil {
        if let o = try setup.evaluatorSplitOverlap(p.dataset) {
            overlap.append("Problem \(pi + 1): under the authors' evaluator split (seed 89) \(o) are training pairs of the decomposers' split (seed 19); the kit evaluates on the seed-19 test split, which no model trained on.")
        }
    }
    report.heading("Summary: Table V, ours beside the paper's")
    report.table(summary, caption: "\(setup.seedsCaption); average BLEU in points, mean ± 95 % CI over seeds. The maintained model's modules: its own modules' average, where it translates every evaluated language (problem 2). \"Paper's measure\": the same translations scored as the authors' `get_bleu` scores them — 1-gram BLEU with the start and end tags as words of both hypothesis and reference — which is the measure behind the paper's levels.")
    report.table(differences, caption: "\(setup.seedsCaption); the paper's claims as differences between columns, in the paper's measure (BLEU-1 with tags, points; per seed the difference, then mean ± 95 % CI), verdicts by the rule above.")
    report.figure(SVGChart.bars(bars, title: "Table V: average BLEU per scenario", unit: "BLEU points"), name: "bleu",
                  caption: "Average BLEU of the trained model (TMA) and of the two composed models (MA1, MA2), mean over seeds; black ticks: the paper's Table V (LSTM).")
    report.heading("Fidelity")
    report.bullets(fidelity + overlap + ["Levels are not comparable with the paper's: its models' training (epochs) is not published, its BLEU is 1-gram with the start and end tags counted (the summary's \"paper's measure\" column), and its evaluators score on a split that overlaps the training pairs. Compare differences between columns."])

    try env.write(report, started: started, coverage: stored.coverage)
}
