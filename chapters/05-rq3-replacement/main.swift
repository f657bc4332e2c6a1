// # Chapter 5 — RQ3: can a decomposed module be replaced? (Table IV)
//
// The paper's third question: when a model is weak, can one of its modules be swapped for a
// better module of the same concern, cut from another model, without retraining? And can a
// module be swapped for one from a model of another I/O type?
//
// Intra-type: for each I/O type and cell, train RNN-1…k, find the worst and the best by test
// accuracy, decompose both, and for every class replace the worst model's module with the
// best model's module of that class; compose all modules by voting and measure accuracy on
// the whole test set. δ = that accuracy − the worst model's own accuracy.
// Inter-type: replace a module of a one-output model (1:1, M:1) with a module of a many-output
// model (1:N, M:N) trained on a shared vocabulary, and the reverse.
// Translation: replace a language module of the worst encoder-decoder with the best's (BLEU).

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
runChapter("ch05-rq3-replacement") { env in
    let setup = ExperimentSetup(env)
    let started = Date()

    // ## The plan, per profile (Experiments/ReplacementPlan.swift): smoke is a self-check on
    // synthetic data; quick cuts depths, samples and inter pairs; paper runs everything.
    let plan = ReplacementPlan(env.profile)
    let (tasks, cells, depths, seeds) = (plan.tasks, plan.cells, plan.depths, setup.seeds)
    var provenance = env.provenance()
    provenance.numerics = GEMM.describe()
    provenance.configuration = plan.configuration(setup)
    provenance.inputs = setup.inputFiles(tasks + [.encoderDecoder])

    // ## The work: one unit per (I/O type, cell) for intra-type replacement, per (family, cell)
    // for inter-type (both directions), per cell for translation — each at every seed, so that
    // worst and best are chosen per seed. Sources/Experiments/{Intra,Inter,Translation}Replacement.swift
    // hold what a unit measures. Results are cached under --results; --list-jobs / --job scale out.
    let ioLabel = PaperModels.ioLabel, cellLabel = PaperModels.cellLabel
    var units = UnitPlan(env, chapter: "05")
    let intraGroup = units.add(tasks.flatMap { task in cells.map { (task: task, cell: $0) } }, seeds: seeds,
                               label: { "intra \(ioLabel($0.task)) \(cellLabel($0.cell))" }, kind: { "replace intra \(ioLabel($0.task))" }) { item, seed in
        WorkUnit(id: "intra-\(item.task.rawValue)-\(item.cell.rawValue)-seed\(seed)") { try plan.intra(setup, task: item.task, cell: item.cell, seed: seed) }
    }
    let interGroup = units.add(PaperModels.interTypeFamilies.flatMap { fam in plan.interCells.map { (one: fam.one, many: fam.many, cell: $0) } }, seeds: seeds,
                               label: { "inter \(ioLabel($0.one))–\(ioLabel($0.many)) \(cellLabel($0.cell))" }, kind: { "replace inter \(ioLabel($0.one))" }) { item, seed in
        WorkUnit(id: "inter-\(item.one.rawValue)-\(item.many.rawValue)-\(item.cell.rawValue)-seed\(seed)") {
            try plan.inter(setup, one: item.one, many: item.many, cell: item.cell, seed: seed)
        }
    }
    let translationGroup = units.add(cells, seeds: seeds, label: { "translation \(cellLabel($0))" }, kind: { _ in "replace translation" },
                                     measured: { $1.measuredSummary }) { cell, seed in
        WorkUnit(id: "translation-\(cell.rawValue)-seed\(seed)") { try plan.translation(setup, cell: cell, seed: seed) }
    }
    let results = try env.run(units, label: "replacement units")
    let table4 = Table4Report(setup: setup, paper: try PaperResults.load(), plan: plan,
                              intra: results[intraGroup].map { ($0.item.task, $0.item.cell, $0.runs) },
                              inter: results[interGroup].map { ($0.item.one, $0.item.many, $0.item.cell, $0.runs) },
                              translation: results[translationGroup].map { ($0.item, $0.runs) })

    // ## The report
    var report = Report(title: "Chapter 5 — RQ3: replacing modules (Table IV)",
                        firstLine: setup.dataLine(tasks + [.encoderDecoder]),
                        provenance: provenance, stem: "05-rq3-replacement")
    report.paragraph("""
        A module is replaced by another that serves the same concern (intra-type) or by a module of a model of another \
        I/O type (inter-type), and the modules are composed by voting (ALGORITHMS.md §2): every module reads the same \
        input, the prediction is the concern of the module most confident in its own concern. Modules of different \
        models of one I/O type compose because they read the same token ids; across I/O types see the definition below. δ is in percentage points; "paper" values are Table IV's \
        (data-manifests/paper-results.json), never recomputed here.
        """)
    report.paragraph(plan.profileNote)
    report.heading("How δ is measured")
    report.bullets([
        "Intra-type: among RNN-\(depths.map(String.init).joined(separator: ",")) of one cell and I/O type, the worst and the best by monolithic test accuracy (measured here). Both are decomposed; for each class c the worst model's module for c is replaced by the best model's module for c, all modules are composed, and the accuracy on the whole test set is measured.",
        "Baseline: the worst model's own (monolithic) test accuracy, δ = composed accuracy − that. The paper does not print its baseline; paper-results.json shows that this choice (modularized accuracy − the lowest-MMA RNN-k's accuracy in the authors' RQ1 CSV) reproduces the printed Table IV cells, so it is the paper's baseline, inferred. We also print the worst model's own modules composed without replacement (\"own CMA\"), which separates the decomposition cost (RQ1) from the effect of the replacement.",
        "Decomposition: paper preset; rolled for one-output models (1:1, M:1) and unrolled for many-output models (1:N, M:N), the paper's setting. (Table II's collapse of rolled many-output modules is the authors' evaluator voting with zeroed weights, not a property of the method: see chapter 3.)",
        "Inter-type (our definition; the paper gives none): the recipient's module for class c leaves, the donor's module for class c′ joins as a new label. One-output recipient: the test set is the recipient's test samples of every other class plus as many donor test samples that carry c′ at some step as the recipient had of c; the many-output donor module scores a sample by its highest probability for c′ over the output steps. Many-output recipient: every recipient test sample with the positions labelled c unscored (padding), plus as many donor samples of c′ as recipient samples carried c, each labelled c′ at its last output step (pre-padded sequences end in their label) and unscored elsewhere; the one-output donor module gives its one score to every step. The paper trains both models of a family on one shared tokenizer; here both are trained (zoo recipe and architecture) on chapter 4's shared vocabulary: the union of the two data sets' vocabularies, the one-output set's words first, every token id remapped through its word, inputs right-padded with 0 to the longer length — so a module of either model reads the other's test inputs as they are.",
        "Inter-type baseline: the recipient's own monolithic accuracy on its unchanged test set. The authors' CSVs compare with a per-pair \"Model Accuracy\" that varies from pair to pair, presumably a model trained on the new class set; training one model per pair is not done here, so the inter δ mixes the replacement's cost with the change of problem.",
        "Translation: the worst and the best encoder-decoder by mean 4-gram BLEU; a module decodes one target language alone, so replacing language l's module changes language l only: δ = BLEU of the best model's module for l − BLEU of the worst model for l.",
    ])

    // ### Intra tables: a row is the interval over seeds of its per-seed values.
    report.paragraph(Verdict.rule)
    report.heading("Intra-type replacement")
    for task in tasks {
        guard let dataset = table4.intraDataset(task) else { continue }   // not yet run (record)
        report.heading("\(ioLabel(task)) — \(dataset)", level: 3)
        report.table(table4.intraModelsTable(task), caption: "\(setup.seedsCaption); monolithic test accuracy per depth (mean ± 95 % CI over seeds); at each seed the worst model's modules are replaced by the best's.")
        report.table(table4.intraClassTable(task), caption: "\(setup.seedsCaption); accuracy after replacing one class's module (CMA) and δ = CMA − the worst model's MMA (points), mean ± 95 % CI over seeds.")
    }

    // Many-output types again, counted as the authors' evaluators count: every position, padding
    // included, the worst model's padding-class module voting beside the others.
    let padded = table4.paddingCountedTable
    if !padded.rows.isEmpty {
        report.heading("Many-output replacement with padding positions counted (the authors' evaluators)", level: 3)
        report.paragraph("The authors' 1:N and M:N evaluators count every position, padding included, and compose a module for every class, the padding class too. Here the worst model's padding-class module votes beside its other modules (the replaced one included), and δ counts every position against the worst model's accuracy counted the same way. The paper's many-output means are judged on these.")
        report.table(padded, caption: "\(setup.seedsCaption); per seed the mean δ over the cell's replacements, then mean ± 95 % CI over seeds (points).")
    }

    // ### Inter tables
    report.heading("Inter-type replacement")
    for run in table4.inter {
        report.heading("\(ioLabel(run.one)) ⇄ \(ioLabel(run.many)), \(cellLabel(run.cell))-\(plan.interDepth)", level: 3)
        report.paragraph(table4.interNote(run))
        report.table(table4.interTable(run), caption: "\(setup.seedsCaption); mean ± 95 % CI over seeds.")
    }

    // ### Translation
    report.heading("Translation (BLEU)")
    if let note = try setup.translationCutNote() { report.paragraph(note) }
    report.table(table4.translationTable, caption: "BLEU in points (×100), per seed (the worst and best models differ between seeds). δ = BLEU of the best model's module − BLEU of the worst model, per target language; the summary gives the interval over seeds. \"Paper's measure\": the same translations by 1-gram BLEU with the start and end tags counted, as the authors' `get_bleu` scores them.")
    if setup.hasRealData(.encoderDecoder), let o = try setup.evaluatorSplitOverlap(setup.datasetName(.encoderDecoder)) {
        report.paragraph("Under the authors' evaluator split (seed 89), \(o) are training pairs of the decomposers' split (seed 19); the kit scores the seed-19 test split, which no model trained on.")
    }

    // ### Summary beside the paper's Table IV: per seed the mean (median) over a cell's
    // replacements, then the interval over seeds.
    report.heading("Summary: Table IV, ours beside the paper's")
    let (summary, bars) = table4.summary()
    report.table(summary, caption: "\(setup.seedsCaption): per seed the mean (median) δ over the cell's replacements, then mean ± 95 % CI over seeds; δ in percentage points (BLEU points for the encoder-decoder). n = replacements per seed.")
    report.figure(SVGChart.bars(bars, title: "RQ3: mean δ per I/O type and cell", unit: "points"), name: "delta",
                  caption: "Mean δ of replacement per I/O type and cell over replacements and seeds (bars: ours; black ticks: the paper's Table IV mean).")

    // ### Fidelity (Experiments/Table4Report+Fidelity.swift)
    report.heading("Fidelity")
    report.bullets(try table4.fidelity())

    try env.write(report, started: started, coverage: results.coverage)
}
