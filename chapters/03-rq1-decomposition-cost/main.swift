// # Chapter 3 — RQ1: does decomposing an RNN into modules cost accuracy?
//
// Table II of the paper: every model of the zoo is decomposed into one module per class
// (per target language for translation), the modules are composed again by voting, and the
// composition's accuracy (CMA; BLEU for translation) is compared with the model's own
// (MMA). δ = CMA − MMA in percentage points. Rolled modules share one set of recurrent
// weights across time steps; unrolled modules have one per step (not applicable to 1:1
// models, which have a single step). LSTM and GRU are also decomposed per gate.
// The Jaccard index (JI) measures how much of the model a module keeps.

import Corpora
import Decomposition
import Experiments
import Foundation
import Metrics
import Notebook
import RNNKit
import Zoo

/// One decomposition's measurements (translation: BLEU per language in `bleu…`).
struct RQ1Result: Codable, Sendable {
    var mma: Double?
    var cma: Double?
    var bleuMonolithic: [String: Double]?
    var bleuComposed: [String: Double]?
    var jaccard: Double
    var structural: Double
    var removedUnits: Int
    /// δ in points: accuracy, or the mean over languages of the BLEU-4 change.
    var delta: Double {
        if let mma, let cma { return (cma - mma) * 100 }
        let m = bleuMonolithic ?? [:], c = bleuComposed ?? [:]
        let d = m.keys.sorted().map { ((c[$0] ?? 0) - m[$0]!) * 100 }
        return d.isEmpty ? 0 : d.reduce(0, +) / Double(d.count)
    }
}

struct Variant: Sendable {
    var model: ZooModel
    var mode: DecompositionConfig.Mode
    var gates: DecompositionConfig.GateStrategy
    var maxRemove: Double = DecompositionConfig.paper.maxRemoveFraction
    var label: String { "\(mode.rawValue)\(gates == .perGate ? ", per gate" : "")" }
}

/// Decomposes and evaluates one variant (paper preset).
func measure(_ v: Variant, _ setup: ExperimentSetup) throws -> RQ1Result {
    let entry = try setup.zoo.entry(v.model)
    let data = try setup.zoo.dataset(for: v.model)
    var config = DecompositionConfig.paper
    config.mode = v.mode; config.gates = v.gates; config.maxRemoveFraction = v.maxRemove
    let decomposer = Decomposer(model: entry.model, config: config, sourceSHA256: entry.metadata.key)
    func summary(_ mods: [Module]) -> (Double, Double, Int) {
        let removed = mods.reduce(0) { $0 + $1.removed.values.reduce(0) { $0 + $1.reduce(0) { $0 + $1.count } } }
        return (mods.reduce(0) { $0 + $1.jaccard } / Double(mods.count), mods.reduce(0) { $0 + $1.structuralJaccard } / Double(mods.count), removed)
    }
    if v.model.task == .encoderDecoder {
        let r = try decomposer.decomposeTranslation(train: try TranslationData(data, split: "train"))
        let full = try TranslationData(data, split: "test")
        let cap = setup.profile == .paper ? Int.max : 100
        var idx: [Int] = []
        for l in full.languages.indices { idx += (0..<full.count).filter { full.language[$0] == l }.prefix(cap) }
        let e = try TranslationEvaluation.evaluate(model: entry.model, modules: r.modules, test: try full.subset(idx), maxLength: full.steps, preset: .paper)
        let (ji, st, removed) = summary(r.modules)
        return RQ1Result(bleuMonolithic: Dictionary(uniqueKeysWithValues: e.pairs.map { ($0.language, $0.monolithicBLEU) }),
                         bleuComposed: Dictionary(uniqueKeysWithValues: e.pairs.map { ($0.language, $0.composedBLEU) }),
                         jaccard: ji, structural: st, removedUnits: removed)
    }
    let r = try decomposer.decompose(train: try LabeledData(data, split: "train"))
    let e = try DecompositionEvaluation.evaluate(model: entry.model, modules: r.modules, test: try LabeledData(data, split: "test"), preset: .paper)
    let (_, _, removed) = summary(r.modules)
    return RQ1Result(mma: e.mma, cma: e.cma, jaccard: e.jaccardMean, structural: e.structuralJaccardMean, removedUnits: removed)
}

runChapter("ch03-rq1-decomposition-cost") {
    let env = try ChapterEnvironment.fromProcess()
    let started = Date()
    let setup = ExperimentSetup(env)
    let paper = try PaperResults.load()
    let models = PaperModels.rq1(setup)

    // ## The variants: rolled always; unrolled where a model has several steps; per gate for
    // LSTM and GRU (the quick profile decomposes per gate at depth 1 only).
    var variants: [Variant] = []
    for m in models {
        let modes: [DecompositionConfig.Mode] = m.task == .oneToOne ? [.rolled] : [.rolled, .unrolled]
        let perGate = (m.cell == .lstm || m.cell == .gru) && (setup.profile == .paper || m.layers == 1)
        for mode in modes {
            variants.append(Variant(model: m, mode: mode, gates: .hiddenState))
            if perGate { variants.append(Variant(model: m, mode: mode, gates: .perGate)) }
        }
    }
    // The maxRemoveFraction sweep: one model per I/O type (LSTM-1), the mode that suits it.
    let sweepFractions = [0.05, 0.1, 0.2, 0.3]
    let sweepModels = PaperModels.classificationTasks.compactMap { t in models.first { $0.task == t && $0.cell == .lstm && $0.layers == 1 } }
    let sweep = sweepModels.flatMap { m in sweepFractions.map { Variant(model: m, mode: m.task == .oneToOne || m.task == .manyToOne ? .rolled : .unrolled, gates: .hiddenState, maxRemove: $0) } }

    func unitID(_ v: Variant) -> String {
        "\((try? setup.zoo.key(for: v.model)) ?? v.model.description)-\(v.mode.rawValue)-\(v.gates.rawValue)-\(v.maxRemove)"
    }
    let all = variants + sweep
    let units = all.map { v in WorkUnit<RQ1Result>(id: unitID(v)) { try measure(v, setup) } }
    let results = try env.runUnits(units, chapter: "03", executable: ".build/release/ch03-rq1-decomposition-cost",
                                   progress: Progress("decompositions", total: units.count))
    let main = Array(zip(variants, results.prefix(variants.count)))
    let sweepResults = Array(zip(sweep, results.suffix(sweep.count)))

    var provenance = Provenance(command: env.commandLine, profile: env.profile.rawValue)

    provenance.numerics = GEMM.describe()
    provenance.configuration = ["decomposition: \(DecompositionConfig.paper.summary)"]
    var report = Report(title: "Chapter 3 — RQ1: the cost of decomposition", firstLine: setup.dataLine(PaperModels.classificationTasks + [.encoderDecoder]),
                        provenance: provenance, stem: "03-rq1-decomposition-cost")
    report.paragraph("""
        Every number below was measured in this run with the `paper` preset (the method of ALGORITHMS.md on the model \
        as Keras runs it; configuration in the provenance block). δ = CMA − MMA in percentage points (BLEU: mean over \
        the three language pairs of the BLEU-4 change, in points); JI is the authors' Jaccard index, "kept" our structural \
        one (share of recurrent connections kept). Columns marked "paper" are Table II (data-manifests/paper-results.json); \
        the paper reports hidden-state decompositions only, so per-gate rows have no paper value.
        """)
    if let note = PaperModels.depthNote(setup) { report.paragraph(note) }
    if PaperModels.translationSkipped(setup) {
        report.paragraph("Translation models are not in the quick profile (see chapter 2); `make reports PROFILE=paper` decomposes them.")
    }

    // ## Table II, one table per I/O type
    func paperSide(_ v: Variant) -> (PaperResults.Table2Entry?, PaperResults.Side?) {
        guard v.gates == .hiddenState, let e = paper.table2(cell: PaperModels.paperCell(v.model.cell), io: v.model.task.rawValue, depth: v.model.layers) else { return (nil, nil) }
        return (e, v.mode == .rolled ? e.rolled : e.unrolled)
    }
    func f(_ v: Double?) -> String { v.map { Format.fixed($0, 4) } ?? "–" }
    for task in PaperModels.classificationTasks + [.encoderDecoder] {
        let rows = main.filter { $0.0.model.task == task }
        guard !rows.isEmpty else { continue }
        var t = MarkdownTable(["model", "variant", task == .encoderDecoder ? "BLEU model" : "MMA", task == .encoderDecoder ? "BLEU modules" : "CMA",
                               "δ", "JI", "kept", "paper δ", "paper JI"],
                              alignments: [.left, .left, .right, .right, .right, .right, .right, .right, .right])
        for (v, r) in rows {
            let (_, side) = paperSide(v)
            let paperDelta = side?.paper_delta_pct ?? side?.paper_delta_bleu_pct.map { $0.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") }
            func bleu(_ d: [String: Double]?) -> String { (d ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) \(Format.fixed($0.value, 3))" }.joined(separator: ", ") }
            t.add([PaperModels.name(v.model), v.label, r.mma.map { Format.fixed($0, 4) } ?? bleu(r.bleuMonolithic), r.cma.map { Format.fixed($0, 4) } ?? bleu(r.bleuComposed),
                   Format.signedPoints(r.delta), f(r.jaccard), f(r.structural), paperDelta ?? "–", f(side?.ji)])
        }
        report.heading("\(PaperModels.ioLabel(task)) — \(setup.datasetName(task))")
        report.table(t)
    }

    // ## Headlines: ours next to the paper's statements
    func stats(_ xs: [Double]) -> (mean: Double, median: Double)? {
        xs.isEmpty ? nil : ((try? Statistics.mean(xs)) ?? 0, (try? Statistics.median(xs)) ?? 0)
    }
    let hidden = main.filter { $0.0.gates == .hiddenState }
    let accuracy = hidden.filter { $0.0.model.task != .encoderDecoder }
    func deltas(_ rows: [(Variant, RQ1Result)]) -> [Double] { rows.map { $0.1.delta } }
    let oneOutput: Set<Task> = [.oneToOne, .manyToOne]
    let lines: [(String, [Double], String)] = [
        ("rolled, accuracy δ", deltas(accuracy.filter { $0.0.mode == .rolled }), "rq1_rolled_accuracy_change"),
        ("unrolled, accuracy δ", deltas(accuracy.filter { $0.0.mode == .unrolled }), "rq1_unrolled_accuracy_change"),
        ("rolled, one-output models", deltas(accuracy.filter { $0.0.mode == .rolled && oneOutput.contains($0.0.model.task) }), "rq1_rolled_one_output_change"),
        ("rolled, many-output models", deltas(accuracy.filter { $0.0.mode == .rolled && !oneOutput.contains($0.0.model.task) }), "rq1_rolled_many_output_change"),
        ("unrolled, one-output models", deltas(accuracy.filter { $0.0.mode == .unrolled && oneOutput.contains($0.0.model.task) }), "rq1_unrolled_one_output_change"),
        ("unrolled, many-output models", deltas(accuracy.filter { $0.0.mode == .unrolled && !oneOutput.contains($0.0.model.task) }), "rq1_unrolled_many_output_change"),
        ("rolled, BLEU δ", deltas(hidden.filter { $0.0.mode == .rolled && $0.0.model.task == .encoderDecoder }), "rq1_rolled_bleu_change"),
        ("unrolled, BLEU δ", deltas(hidden.filter { $0.0.mode == .unrolled && $0.0.model.task == .encoderDecoder }), "rq1_unrolled_bleu_change"),
    ]
    var h = MarkdownTable(["measure (hidden-state decompositions)", "models", "ours mean", "ours median", "paper mean", "paper median"],
                          alignments: [.left, .right, .right, .right, .right, .right])
    var fidelity: [String] = []
    for (label, xs, key) in lines {
        guard let s = stats(xs) else { continue }
        let pm = paper.headline(key + "_mean"), pmed = paper.headline(key + "_median")
        h.add([label, "\(xs.count)", Format.signedPoints(s.mean), Format.signedPoints(s.median),
               pm.map { Format.signedPoints($0) } ?? "–", pmed.map { Format.signedPoints($0) } ?? "–"])
        if let pm { fidelity.append("\(label): ours \(Format.signedPoints(s.mean)) vs paper \(Format.signedPoints(pm)) (\(abs(s.mean - pm) <= max(1, abs(pm) * 0.5) ? "holds" : "does not hold") within max(1 point, half the paper's value))") }
    }
    for (label, mode, key) in [("JI, rolled", DecompositionConfig.Mode.rolled, "rq1_ji_rolled_mean"), ("JI, unrolled", .unrolled, "rq1_ji_unrolled_mean")] {
        let xs = hidden.filter { $0.0.mode == mode }.map(\.1.jaccard)
        guard let s = stats(xs) else { continue }
        let pm = paper.headline(key)
        h.add([label, "\(xs.count)", Format.fixed(s.mean, 3), Format.fixed(s.median, 3), pm.map { Format.fixed($0, 3) } ?? "–", "–"])
        if let pm { fidelity.append("\(label): ours \(Format.fixed(s.mean, 3)) vs paper \(Format.fixed(pm, 3))") }
    }
    report.heading("Headline numbers")
    report.table(h, caption: "Means and medians of δ (points) and JI over this run's models, next to the numbers the paper states (RQ1 text, data-manifests/paper-results.json).")
    report.heading("Reproduction fidelity")
    let allReal = (PaperModels.classificationTasks).allSatisfy(setup.hasRealData)
    if !allReal {
        report.paragraph("This run used synthetic data for some I/O types: the paper's values above are for reference only and no claim of the paper is checked.")
    } else {
        report.bullets(fidelity.isEmpty ? ["no paper statement applies to the models of this run"] : fidelity)
    }

    // ## A chart of δ per model (rolled and unrolled, hidden state)
    let bars = hidden.filter { $0.0.model.task != .encoderDecoder }.map { v, r -> SVGChart.Bar in
        let side = paperSide(v).1
        return SVGChart.Bar(label: "\(PaperModels.ioLabel(v.model.task)) \(PaperModels.name(v.model)) \(v.mode.rawValue)", value: r.delta,
                            reference: side?.paper_delta_pct.flatMap { Double($0) })
    }
    report.figure(SVGChart.bars(bars, title: "δ = CMA − MMA per model (hidden state)", unit: "points"), name: "delta",
                  caption: "δ per model and mode: bars ours, black ticks the paper's Table II.")

    // ## The maxRemoveFraction sweep
    var sw = MarkdownTable(["model", "mode", "maxRemoveFraction", "MMA", "CMA", "δ", "JI", "units removed"],
                           alignments: [.left, .left, .right, .right, .right, .right, .right, .right])
    for (v, r) in sweepResults {
        sw.add(["\(PaperModels.ioLabel(v.model.task)) \(PaperModels.name(v.model))", v.mode.rawValue, Format.fixed(v.maxRemove, 2), f(r.mma), f(r.cma),
                Format.signedPoints(r.delta), f(r.jaccard), "\(r.removedUnits)"])
    }
    report.heading("Sweep of maxRemoveFraction")
    report.paragraph("The paper states a 20 % removal threshold; the authors' scripts used 5 % for several models. Larger fractions remove more units (lower JI).")
    report.table(sw)

    report.provenance.wallSeconds = Date().timeIntervalSince(started)
    try report.write(toDirectory: env.reportsDirectory)
    print("wrote \(env.reportPath("03-rq1-decomposition-cost.md"))")
}
