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

    // ## Configuration (Experiments/ReusePlan.swift)
    //
    // The paper reuses modules of RNN-4; quick runs RNN-1 and a few evenly spread pairs, paper
    // RNN-4 and every pair. One-output models are decomposed rolled (the paper's default);
    // many-output models unrolled, the paper's setting for them. (Table II's rolled many-output
    // collapse, −50.87 % on average, is the authors' evaluator voting with zeroed weights, not a
    // property of the method: chapter 3 shows both.)
    let plan = ReusePlan(env.profile)
    let (tasks, depth, cells) = (plan.tasks, plan.depth, plan.cells)
    let cellName = PaperModels.paperCell

    var provenance = env.provenance()
    provenance.numerics = GEMM.describe()
    provenance.configuration = plan.configuration(setup)
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
    let seeds = setup.seeds
    let items = try plan.items(study)
    var units = UnitPlan(env, chapter: "04")
    let label = { (i: ReuseItem) in i.label(depth: depth) }
    let intraGroup = units.add(items.intra, seeds: seeds, label: label, kind: { "reuse intra \($0.task.rawValue)" }, measured: { $1.measuredSummary }) { i, seed in
        WorkUnit(id: "intra-\(i.task.rawValue)-\(i.cell.rawValue)\(depth)-\(i.pair.c1)-\(i.pair.c2)-seed\(seed)",
                 batch: "intra-\(i.task.rawValue)-\(i.cell.rawValue)\(depth)-seed\(seed)") { try study.intra(i.task, i.cell, i.pair, seed: seed) }
    }
    let translationGroup = units.add(items.translation, seeds: seeds, label: label, kind: { _ in "reuse translation" }, measured: { $1.measuredSummary }) { i, seed in
        WorkUnit(id: "translation-\(i.cell.rawValue)\(depth)-\(i.pair.c1)-\(i.pair.c2)-seed\(seed)",
                 batch: "translation-\(i.cell.rawValue)\(depth)-seed\(seed)") { try study.translation(i.cell, i.pair, seed: seed) }
    }
    let interGroup = units.add(items.inter, seeds: seeds, label: label, kind: { "reuse inter \($0.task.rawValue)" }, measured: { $1.measuredSummary }) { i, seed in
        WorkUnit(id: "inter-\(i.task.rawValue)-\(i.partner!.rawValue)-\(i.cell.rawValue)\(depth)-\(i.pair.c1)-\(i.pair.c2)-seed\(seed)",
                 batch: "inter-\(i.task.rawValue)-\(i.partner!.rawValue)-\(i.cell.rawValue)\(depth)-seed\(seed)") {
            try study.inter(i.task, i.partner!, i.cell, i.pair, seed: seed)
        }
    }
    let results = try env.run(units, label: "reuse pairs × seeds")
    // Each plan item with its rows at every seed: intra-type and translation, then inter-type.
    let table3 = Table3Report(setup: setup, paper: paper, plan: plan, items: items,
                              pairRuns: (results[intraGroup] + results[translationGroup]).map { ($0.item, $0.runs) },
                              interRuns: results[interGroup].map { ($0.item, $0.runs) })

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

    // Per cell: the pairs.
    for cell in cells {
        report.heading("\(cellName(cell).capitalized)-\(depth): every pair")
        report.table(table3.pairsTable(cell), caption: "\(setup.seedsCaption); mean ± 95 % CI over seeds.")
    }

    // Summary beside Table III: per seed the mean (median) δ over a cell's pairs, then the
    // interval over seeds.
    report.heading("Summary beside the paper's Table III")
    let summary = try table3.summary()
    report.table(summary.table, caption: "\(setup.seedsCaption): per seed the mean (median) δ over the cell's pairs, then mean ± 95 % CI over seeds; δ in percentage points (accuracy), BLEU points for encoder-decoder; paper columns: Table III as printed (RNN-4).")
    report.figure(SVGChart.bars(summary.bars, title: "RQ2 reuse: mean δ per I/O type and cell", unit: "points"),
                  name: "delta", caption: "Mean δ (composed − trained) per I/O type and cell over pairs and seeds, intra- then inter-type; black ticks: the paper's Table III means.")

    // ## Fidelity
    // (A record with no intra-type pair run yet has no mean to judge.)
    if let fidelity = try table3.fidelity(summary) {
        report.heading("Fidelity")
        report.paragraph(fidelity)
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
    report.table(table3.interTable, caption: "\(setup.seedsCaption); mean ± 95 % CI over seeds.")
    report.table(table3.interSummaryTable(summary), caption: "\(setup.seedsCaption): per seed the mean (median) over the pairs, then mean ± 95 % CI; inter-type δ in percentage points; paper columns: Table III as printed (RNN-4, the authors' combined-vocabulary models).")
    if let inter = try table3.interFidelity(summary) { report.paragraph(inter) }

    try env.write(report, started: started, coverage: results.coverage)
}
