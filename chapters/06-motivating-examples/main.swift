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

// ## The two problems
//
// Each problem names the models it needs as sets of target languages of one data set (all
// of a problem's models share its vectorizers, so their modules read and write the same ids):
// the model being maintained (`base`), the trained model (`trained`), the donor of solution 1
// and the small model of solution 2; `target` is the language added or replaced.
struct Problem: Sendable {
    var id: String
    var title: String
    var dataset: String
    var vocabulary: ZooModel.Vocabulary
    var real: Bool
    /// Where the problem's models are trained and cached.
    var zoo: Zoo
    var base: [Int], trained: [Int], solution1: [Int], solution2: [Int]
    var target: Int
    /// The test languages the averages run over.
    var evaluated: [Int]
    var story: String
    /// Why this profile does not run the problem (nil: it runs).
    var skipped: String? = nil
}

func problems(_ setup: ExperimentSetup) -> [Problem] {
    let synthetic = "synthetic_encoder_decoder"
    let ukrainian = setup.hasRealData(named: "tatoeba_ukrainian"), estonian = setup.hasRealData(named: "tatoeba_estonian")
    // Real Ukrainian translation decodes into the Tatoeba recipe's capped target vocabulary:
    // four models of it do not fit the quick budget (as for chapters 2–5's translation models).
    let skipUkrainian: String? = setup.profile == .paper || !ukrainian ? nil
        : "Not run in the \(setup.profile.rawValue) profile: its four models decode into a \(setup.translationVocabularyCap)-token target softmax, which does not fit the quick budget on two cores (chapters 2–5 leave real translation out of quick for the same reason). `make reports PROFILE=paper CHAPTER=06` runs it."
    // The Estonian corpora are small (a few thousand pairs): the quick profile's data limits do
    // not bite; its recipe trains fewer epochs (Recipe.standard), three seeds of four models.
    let estonianZoo = setup.zoo
    var list: [Problem] = [
    // Real: fr, de, it, ua. The authors' solution-1 donor was trained on a larger en→{de, ua}
    // corpus whose Ukrainian side (ua_train.txt) their package does not ship; ours is trained
    // on the same corpus' de and ua pairs.
    ukrainian
        ? Problem(id: "add-language", title: "Add Ukrainian (en→fr, de, it + ua)", dataset: "tatoeba_ukrainian", vocabulary: .normal, real: true, zoo: setup.zoo,
                  base: [0, 1, 2], trained: [0, 1, 2, 3], solution1: [1, 3], solution2: [3], target: 3, evaluated: [0, 1, 2, 3],
                  story: "The maintained model translates English into French, German and Italian; Ukrainian is added. Trained model: English into all four. Solution 1: the Ukrainian module of an English→{German, Ukrainian} model. Solution 2: the module of an English→Ukrainian model.")
        : Problem(id: "add-language", title: "Add a language (synthetic ka, lu + mo)", dataset: synthetic, vocabulary: .normal, real: false, zoo: setup.zoo,
                  base: [0, 1], trained: [0, 1, 2], solution1: [1, 2], solution2: [2], target: 2, evaluated: [0, 1, 2],
                  story: "Synthetic stand-in: the maintained model translates into ka and lu; mo is added. Trained model: all three. Solution 1: the mo module of a {lu, mo} model. Solution 2: the module of a mo-only model."),
    // Real: en, de, it, and en/s2 = the larger Estonian–English corpus (training pairs only,
    // none of them a held-out pair: Corpora's `tatoeba_estonian/combined`).
    estonian
        ? Problem(id: "replace-language", title: "Improve Estonian→English (et→en, de, it)", dataset: "tatoeba_estonian", vocabulary: .combined, real: true, zoo: estonianZoo,
                  base: [0, 1, 2], trained: [0, 1, 2], solution1: [0, 2], solution2: [3], target: 0, evaluated: [0, 1, 2],
                  story: "The maintained model translates Estonian into English, German and Italian; its English is weak. Trained model: the maintained model itself (the paper's TMA for this problem is the original model). Solution 1: the English module of another Estonian→{English, Italian} model. Solution 2: the module of an Estonian→English model trained on the larger s2 corpus.")
        : Problem(id: "replace-language", title: "Improve one language (synthetic ka of ka, lu, mo)", dataset: synthetic, vocabulary: .normal, real: false, zoo: setup.zoo,
                  base: [0, 1, 2], trained: [0, 1, 2], solution1: [0, 2], solution2: [0], target: 0, evaluated: [0, 1, 2],
                  story: "Synthetic stand-in: the ka module of a {ka, lu, mo} model is replaced. Solution 1: the ka module of a {ka, mo} model. Solution 2: the module of a ka-only model (the synthetic task has no larger corpus)."),
    ]
    list[0].skipped = skipUkrainian
    return list
}

// ## One work unit per (problem, cell)

/// 4-gram BLEU (0…1), and the paper's measure: 1-gram BLEU with the start and end tags counted.
struct BLEU: Codable, Sendable, Equatable {
    var plain: Double, tagged: Double
    static func mean(_ xs: [BLEU]) throws -> BLEU {
        BLEU(plain: try Statistics.mean(xs.map(\.plain)), tagged: try Statistics.mean(xs.map(\.tagged)))
    }
}

/// BLEU of every model and module of a problem, per test language (nil where not applicable).
struct LanguageRow: Codable, Sendable {
    var language: String
    var sentences: Int
    var trained: BLEU?
    var baseModel: BLEU?, baseModule: BLEU?
    var solution1Model: BLEU?, solution1Module: BLEU?
    var solution2Model: BLEU?, solution2Module: BLEU?
}
struct ProblemResult: Codable, Sendable {
    var rows: [LanguageRow]
    /// Averages over the evaluated languages.
    var tma: BLEU, baseModules: BLEU?, ma1: BLEU, ma2: BLEU
    /// Jaccard index (the authors', and ours structural) of the solution modules.
    var ji1: Double, ji2: Double, structural1: Double, structural2: Double
    var trainPairs: [String: Int]
    /// Per extra training corpus (`combined` data sets): its pairs, and how many were dropped
    /// because they are validation or test pairs of the problem's split.
    var extraCorpora: [String: [Int]]
}

/// The problem's models (trained or from the zoo's cache), their modules, and BLEU.
/// A seed sets every model's training and the decomposition's sampling.
func unit(_ p: Problem, _ cell: CellKind, depth: Int, config base: DecompositionConfig, seed: UInt64, setup: ExperimentSetup) -> WorkUnit<ProblemResult> {
    WorkUnit(id: "\(p.id)-\(cell.rawValue)\(depth)-seed\(seed)") {
        var config = base
        config.seed = seed
        func zooModel(_ languages: [Int]?) -> ZooModel {
            ZooModel(dataset: p.dataset, task: .encoderDecoder, cell: cell, layers: depth, vocabulary: p.vocabulary, classes: languages, seed: seed)
        }
        let all = try p.zoo.dataset(for: zooModel(nil))
        let test = try TranslationData(all, split: "test")
        // A language set names one model and its training data; each is loaded once (problem 2's
        // trained and maintained model are the same one).
        var models: [[Int]: Model] = [:], datasets: [[Int]: Dataset] = [:]
        func model(_ l: [Int]) throws -> Model {
            if let m = models[l] { return m }
            let m = try p.zoo.entry(zooModel(l)).model
            models[l] = m
            return m
        }
        func dataset(_ l: [Int]) throws -> Dataset {
            if let d = datasets[l] { return d }
            let d = try p.zoo.dataset(for: zooModel(l))
            datasets[l] = d
            return d
        }
        func modules(_ l: [Int], languages: [Int]) throws -> [Module] {
            try Decomposer(model: try model(l), config: config)
                .decomposeTranslation(train: try TranslationData(try dataset(l), split: "train"), languages: languages).modules
        }
        func bleu(_ m: Model, _ l: Int) throws -> BLEU? { try test.bleu(of: m, language: l).map { BLEU(plain: $0.bleu, tagged: $0.paperMeasure) } }

        let trained = try model(p.trained), base = try model(p.base)
        let baseModules = try modules(p.base, languages: p.base)     // sampling is seeded per language
        let donor1 = try modules(p.solution1, languages: [p.target])[0]
        let donor2 = try modules(p.solution2, languages: [p.solution2[0]])[0]
        let model1 = try model(p.solution1), model2 = try model(p.solution2)
        var rows: [LanguageRow] = []
        var ma1: [BLEU] = [], ma2: [BLEU] = [], tma: [BLEU] = [], kept: [BLEU] = []
        for l in p.evaluated {
            let n = (0..<test.count).filter { test.language[$0] == l }.count
            guard n > 0 else { continue }
            var row = LanguageRow(language: test.languages[l], sentences: n)
            row.trained = try bleu(trained, l)
            if let i = p.base.firstIndex(of: l) {
                row.baseModel = p.base == p.trained ? row.trained : try bleu(base, l)
                row.baseModule = try bleu(baseModules[i].model, l)
            }
            if l == p.target {
                // Solution 2's model translates the target language from its own language
                // index (the s2 corpus), with the same start and end tokens.
                row.solution1Model = try bleu(model1, l); row.solution1Module = try bleu(donor1.model, l)
                row.solution2Model = try bleu(model2, l); row.solution2Module = try bleu(donor2.model, l)
            }
            tma.append(row.trained!)
            ma1.append(l == p.target ? row.solution1Module! : row.baseModule!)
            ma2.append(l == p.target ? row.solution2Module! : row.baseModule!)
            if let b = row.baseModule { kept.append(b) }
            rows.append(row)
        }
        var trainPairs: [String: Int] = [:]
        for (name, l) in [("trained", p.trained), ("base", p.base), ("solution 1", p.solution1), ("solution 2", p.solution2)] {
            trainPairs[name] = try dataset(l).train.count
        }
        var extraCorpora: [String: [Int]] = [:]
        if case let .object(fields) = all.recipe {
            for (k, v) in fields where k.hasPrefix("extra_training_") {
                if case let .number(n)? = v["pairs"], case let .number(d)? = v["held_out_dropped"] {
                    extraCorpora[String(k.dropFirst("extra_training_".count))] = [Int(n), Int(d)]
                }
            }
        }
        return ProblemResult(rows: rows, tma: try BLEU.mean(tma),
                             baseModules: p.base == p.evaluated ? try BLEU.mean(kept) : nil,
                             ma1: try BLEU.mean(ma1), ma2: try BLEU.mean(ma2),
                             ji1: donor1.jaccard, ji2: donor2.jaccard, structural1: donor1.structuralJaccard, structural2: donor2.structuralJaccard,
                             trainPairs: trainPairs, extraCorpora: extraCorpora)
    }
}

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
    var config = DecompositionConfig.paper
    config.mode = .rolled
    config.samplesPerClass = samplesPerClass

    let profileNote = env.profile.pick(
        smoke: "Profile smoke: a self-check on tiny data (2 training epochs); its numbers say nothing about the paper.",
        quick: "Profile quick — what is cut to finish in minutes: the real Ukrainian problem (see below), \(samplesPerClass) samples per language for decomposition (paper: 500), LSTM only, and the Estonian encoder-decoders trained 10 epochs instead of 40 (their corpora are small and run whole: the zoo's quick limits, 4,000 training and 1,000 test pairs, do not bite). `--profile paper` runs everything.",
        paper: "Profile paper: full data, 500 samples per language, LSTM (Table V) and Vanilla RNN.")

    let problems = problems(setup)
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
    // One unit per (problem, cell, seed); `runs[i]` holds run i's per-seed results.

    let seeds = setup.seeds
    let runs = problems.filter { $0.skipped == nil }.flatMap { p in cells.map { (problem: p, cell: $0) } }
    let units = runs.flatMap { r in seeds.map { unit(r.problem, r.cell, depth: depth, config: config, seed: $0, setup: setup) } }
    let flat = try env.runUnits(units, chapter: "06", label: "problems × seeds")
    let perSeed: [[ProblemResult]] = runs.indices.map { Array(flat[($0 * seeds.count)..<(($0 + 1) * seeds.count)]) }

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

    /// The interval over seeds of a BLEU (points), or "–" where the quantity does not apply.
    func interval(_ xs: [BLEU?], _ pick: (BLEU) -> Double = { $0.plain }) -> SeedInterval? {
        let v = xs.compactMap { $0.map { pick($0) * 100 } }
        return v.count == xs.count && !v.isEmpty ? try? SeedInterval(v) : nil
    }
    func pts(_ xs: [BLEU?]) -> String { interval(xs)?.fixed(2) ?? "–" }
    func tagged(_ xs: [BLEU?]) -> String { interval(xs, { $0.tagged })?.fixed(2) ?? "–" }
    func paperText(_ v: Double?) -> String { v.map { Format.fixed($0, 2) } ?? "–" }

    var summary = MarkdownTable(["problem", "cell", "TMA", "MA1", "MA2", "maintained model's modules", "TMA / MA1 / MA2, paper's measure (BLEU-1, tags)", "paper TMA", "paper MA1", "paper MA2", "paper source"],
                                alignments: [.left, .left, .right, .right, .right, .right, .right, .right, .right, .right, .left])
    var differences = MarkdownTable(["problem", "cell", "difference", "ours (points)", "paper (points)", "verdict"],
                                    alignments: [.left, .left, .left, .right, .right, .left])
    var bars: [SVGChart.Bar] = []
    var fidelity: [String] = []
    var runIndex = 0
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
            let rs = perSeed[runIndex]
            runIndex += 1
            let cellName = cell == .rnn ? "Vanilla-\(depth)" : "\(cell.rawValue.uppercased())-\(depth)"
            report.heading("\(cellName)", level: 3)
            var t = MarkdownTable(["language", "sentences", "trained model", "maintained model", "its module", "solution 1 model", "solution 1 module", "solution 2 model", "solution 2 module"],
                                  alignments: [.left] + Array(repeating: .right, count: 8))
            // Languages and sentence counts are the test split's, the same at every seed.
            for (li, row) in rs[0].rows.enumerated() {
                func col(_ pick: (LanguageRow) -> BLEU?) -> String { pts(rs.map { pick($0.rows[li]) }) }
                t.add([row.language, Format.grouped(row.sentences), col(\.trained), col(\.baseModel), col(\.baseModule),
                       col(\.solution1Model), col(\.solution1Module), col(\.solution2Model), col(\.solution2Module)])
            }
            let tma = rs.map { Optional($0.tma) }, ma1 = rs.map { Optional($0.ma1) }, ma2 = rs.map { Optional($0.ma2) }
            let kept = rs.map(\.baseModules)
            t.add(["**average (TMA / MA)**", "", "**\(pts(tma))**", "", kept.contains { $0 == nil } ? "" : pts(kept), "", "**MA1 \(pts(ma1))**", "", "**MA2 \(pts(ma2))**"])
            report.table(t, caption: "\(setup.seedsCaption); BLEU per test language, mean ± 95 % CI over seeds. MA1 / MA2 average the solution's module for \(rs[0].rows.first { $0.solution1Module != nil }?.language ?? "the target") with the maintained model's modules for the other languages.")
            func jiText(_ pick: (ProblemResult) -> Double) -> String { (try? SeedInterval(rs.map(pick)))?.fixed(2) ?? "–" }
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
            // The paper's claims are differences between columns (its levels are on another split):
            // each solution about as good as the trained model, solution 2 the better one. Judged
            // in the paper's own measure (BLEU-1 with tags; the kit's 4-gram BLEU is near 0 for
            // the quick profile's 10-epoch models): per seed the difference, then the interval.
            let pTMA = isLSTM ? paperRow?.tma_bleu_pct : nil, pMA1 = isLSTM ? paperRow?.ma1_bleu_pct : nil, pMA2 = isLSTM ? paperRow?.ma2_bleu_pct : nil
            let claims: [(String, (ProblemResult) -> Double, Double?)] = [
                ("MA1 − TMA", { ($0.ma1.tagged - $0.tma.tagged) * 100 }, pMA1.flatMap { a in pTMA.map { a - $0 } }),
                ("MA2 − TMA", { ($0.ma2.tagged - $0.tma.tagged) * 100 }, pMA2.flatMap { a in pTMA.map { a - $0 } }),
                ("MA2 − MA1", { ($0.ma2.tagged - $0.ma1.tagged) * 100 }, pMA2.flatMap { a in pMA1.map { a - $0 } }),
            ]
            var verdicts: [String] = []
            for (name, pick, theirs) in claims {
                let ours = try SeedInterval(rs.map(pick))
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
            // Per seed: the mean over kept languages of (model − its module).
            let cost = rs.compactMap { r -> Double? in
                let d = r.rows.compactMap { row in row.baseModel.flatMap { m in row.baseModule.map { (m.plain - $0.plain) * 100 } } }
                return d.isEmpty ? nil : d.reduce(0, +) / Double(d.count)
            }
            if cost.count == rs.count, let c = try? SeedInterval(cost.map { -$0 }) {
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

    try env.write(report, started: started)
}
