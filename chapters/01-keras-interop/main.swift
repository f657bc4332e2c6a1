// # Chapter 1 — Reading the authors' models exactly as Keras runs them
//
// Before any decomposition can be trusted, the kit must compute what Keras computes. This
// chapter loads every Keras model it can find — the 15 small fixtures that cover every
// layer option, and the authors' 24 published models — runs them on the inputs tf.keras was
// given, and compares every layer's output with tf.keras's own. It then writes each model
// back out in Keras format and reads it again, which must change nothing.
//
// Without ../shared there is nothing from Keras to compare with; the chapter then checks the
// kit against itself on small synthetic models and says so in the report's first line.

import Corpora
import Decomposition
import Experiments
import Foundation
import KitFiles
import HDF5Kit
import ChapterRuntime
import DecompositionInputs
import Notebook
import RNNKit
import Zoo

// ## Section 4: decomposing the authors' own M:1 models, next to their Table II rows
//
// The `authors` preset re-creates their pipeline: its rolled numbers must equal their published
// rows; the `paper` preset is the method as the paper states it (Experiments/AuthorsM1Decomposition.swift).

/// The section's rows; returns the coverage of its work units.
func decompositionSection(_ clinc: Dataset, m1Files: [String], authorsDir: String, env: ChapterEnvironment, report: inout Report) throws -> Coverage {
    let paper = try PaperResults.load()
    let train = try LabeledData(clinc, split: "train"), test = try LabeledData(clinc, split: "test")
    let smoke = env.profile == .smoke
    let m1Files = AuthorsM1Decomposition.files(m1Files, smoke: smoke), variants = AuthorsM1Decomposition.variants(smoke: smoke)
    let units = m1Files.flatMap { file in variants.map { v in
        var unit = WorkUnit<AuthorsM1Decomposition.Row>(id: "decompose-\(file.replacingOccurrences(of: "/", with: "-"))-\(v.name)-\(v.mode.rawValue)") {
            try AuthorsM1Decomposition.measure(path: authorsDir + "/" + file, v, train: train, test: test)
        }
        unit.kind = "decompose the authors' M:1 \(v.mode.rawValue)"
        return unit
    } }
    let (rows, coverage) = try env.runUnits(units, chapter: "01", label: "decompositions")
    report.heading("Decomposing the authors' M:1 models (Clinc)")
    report.paragraph("""
        \(clinc.numClasses) modules per model, one per domain, composed by voting on the \(test.count) test utterances. Columns "paper …" are \
        the authors' published values (data-manifests/paper-results.json); δ = CMA − MMA in percentage points. \
        The `authors` preset runs their pipeline's forward semantics (logistic gates where the files say hard_sigmoid, \
        float64) with their sampling and removal rule; the `paper` preset runs the file as tf.keras does, with the \
        paper's rules (ALGORITHMS.md). ReLU models have no Table II entry.
        """)
    report.table(AuthorsM1Decomposition.table(files: m1Files, variants: variants, rows: rows, paper: paper))
    report.paragraph(AuthorsM1Decomposition.reproduction(files: m1Files, variants: variants, rows: rows, paper: paper))
    return coverage
}

runChapter("ch01-keras-interop") { env in
    let started = Date()
    var provenance = env.provenance()
    provenance.numerics = env.configureNumerics()
    provenance.configuration = [
        "parity bound per element: |Δ| ≤ \(ParityReport.atol) + \(ParityReport.rtol)·|tf.keras value| (float32)",
    ]
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ch01-\(getpid())").path
    TemporaryFiles.register(scratch)   // removed on SIGINT/SIGTERM as well
    try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    defer { TemporaryFiles.removeTree(scratch); TemporaryFiles.unregister(scratch) }

    // The facts a row shows, the round trip and the synthetic models: Experiments/KerasInterop.swift.
    let architecture = KerasInterop.architecture, feeds = KerasInterop.feeds
    func reExportIsExact(_ m: Model, inputs: [String: Tensor]) throws -> Bool { try KerasInterop.reExportIsExact(m, inputs: inputs, scratch: scratch) }

    var report: Report
    var failures = 0
    var coverage: Coverage?   // of the decomposition units, when they are planned

    if let fixturesDir = env.shared("fixtures/keras"), let authorsDir = env.shared("models/authors") {
        report = Report(title: "Chapter 1 — Keras interoperability",
                        firstLine: "Data: real — tf.keras-generated fixtures and the authors' published models from `../shared`.",
                        provenance: provenance, stem: "01-keras-interop")
        report.paragraph("""
            Every layer output and every prediction below was computed by the kit and compared with the values \
            tf.keras wrote for the same inputs. The bound is NumPy's `allclose` criterion with atol = rtol = 1e-5: \
            absolute 1e-5 wherever values are at most 1 (all predictions, all tanh/sigmoid layers), relative \
            1e-5 for large ReLU activations, where float32 itself cannot resolve 1e-5. "ratio" is the worst \
            |Δ| / (atol + rtol·|reference|); at most 1 passes.
            """)

        // ## Section 1: the fixtures — one model per layer option
        let fixtureNames = try FileManager.default.contentsOfDirectory(atPath: fixturesDir)
            .filter { $0.hasSuffix(".h5") && !$0.hasSuffix(".reference.h5") }.sorted()
        var t = MarkdownTable(["fixture", "graph", "architecture", "params", "worst abs Δ", "worst layer", "ratio", "parity", "re-export"],
                              alignments: [.left, .left, .left, .right, .right, .left, .right, .left, .left])
        let progress = Progress("fixtures", total: fixtureNames.count)
        for file in fixtureNames {
            let name = String(file.dropLast(3))
            let m = try Model.loadKeras(path: fixturesDir + "/" + file)
            let ref = try KerasReference(path: fixturesDir + "/\(name).reference.h5")
            let p = try m.parity(with: ref)
            let exact = try reExportIsExact(m, inputs: feeds(m, ref))
            if !p.passes || !exact { failures += 1 }
            t.add([name, m.isSequential ? "Sequential" : "Functional", architecture(m), Format.grouped(m.parameterCount),
                   Format.sci(Double(p.worstAbsolute)), p.worstLayer, Format.fixed(Double(p.worstRatio), 3),
                   p.passes ? "pass" : "FAIL", exact ? "bit-exact" : "DIFFERS"])
            progress.advance(name)
        }
        report.heading("Keras fixtures (\(fixtureNames.count) models)")
        report.table(t)

        // ## Section 2: the authors' published models
        let enumerator = FileManager.default.enumerator(atPath: authorsDir)
        var authorFiles: [String] = []
        while let p = enumerator?.nextObject() as? String { if p.hasSuffix(".h5") && !p.hasPrefix("references") { authorFiles.append(p) } }
        authorFiles.sort()
        var a = MarkdownTable(["model", "I/O", "architecture", "gates", "params", "Keras", "worst abs Δ", "ratio", "re-export"],
                              alignments: [.left, .left, .left, .left, .right, .left, .right, .right, .left])
        var referenced = 0
        for file in authorFiles {
            let m = try Model.loadKeras(path: authorsDir + "/" + file)
            let parts = file.split(separator: "/")
            let refPath = authorsDir + "/references/" + file.dropLast(3).replacingOccurrences(of: "/", with: "__") + ".reference.h5"
            let gates = m.layers.compactMap { $0 as? Recurrent }.first.map { $0.cell == .simple ? $0.activation.rawValue : $0.recurrentActivation.rawValue } ?? "-"
            var diff = "no reference", ratio = "-"
            var inputs = KerasInterop.fixedTokens(m)
            if FileManager.default.fileExists(atPath: refPath) {
                let ref = try KerasReference(path: refPath)
                let p = try m.parity(with: ref)
                referenced += 1
                if !p.passes { failures += 1 }
                diff = Format.sci(Double(p.worstAbsolute)) + (p.passes ? "" : " FAIL")
                ratio = Format.fixed(Double(p.worstRatio), 3)
                inputs = feeds(m, ref)
            }
            let exact = try reExportIsExact(m, inputs: inputs)
            if !exact { failures += 1 }
            a.add([file, String(parts[1]).replacingOccurrences(of: "_", with: " "), architecture(m), gates,
                   Format.grouped(m.parameterCount), m.kerasVersion ?? "?", diff, ratio, exact ? "bit-exact" : "DIFFERS"])
        }
        report.heading("The authors' models (\(authorFiles.count) files, \(referenced) with tf.keras references)")
        report.paragraph("""
            Every file loads and predicts. "gates" is the recurrent activation the file declares: the LSTM and GRU \
            files say `hard_sigmoid`, which the kit computes as tf.keras 2.x does (clip(0.2·x + 0.5, 0, 1)); the \
            authors' own NumPy pipeline used the logistic sigmoid instead (ALGORITHMS.md §2b). Files without a \
            reference were run on fixed token ids to check the re-export.
            """)
        report.table(a)

        // ## Section 3: the authors' Clinc models on the exact Clinc encoding
        // The M:1 models were trained on the Clinc encoding DATA.md reconstructs (TFDS storage
        // order, NLTK 3.8.1 tokens, Keras Tokenizer). If the encoding were off by one word the
        // accuracies below would collapse to about 58 %.
        let locator = env.locator
        if let manifest = try? Corpora.manifest(named: "clinc_oos", locator: locator), locator.isPresent(manifest) {
            let clinc = try Corpora.load(name: "clinc_oos", profile: .paper, locator: locator)
            provenance.inputs += manifest.files.map { ($0.path, $0.sha256) }
            report.provenance = provenance
            let x = Tensor(shape: clinc.test.x.shape, data: clinc.test.x.values.map(Float.init))
            let truth = clinc.test.y.values.map(Int.init)
            var c = MarkdownTable(["model", "architecture", "correct", "accuracy"], alignments: [.left, .left, .right, .right])
            for file in authorFiles where file.contains("/many_to_one/") {
                let m = try Model.loadKeras(path: authorsDir + "/" + file)
                let predicted = try m.predict([m.inputs[0].name: x]).prediction.argmaxLastAxis()
                let correct = zip(predicted, truth).filter { $0 == $1 }.count
                c.add([file, architecture(m), "\(correct) / \(truth.count)", Format.fixed(Double(correct) / Double(truth.count), 6)])
            }
            report.heading("The authors' M:1 models on Clinc (test split, \(truth.count) utterances, word index \(clinc.vocabSize - 1) words)")
            report.paragraph("Computed by the kit with the files' own `hard_sigmoid`, i.e. what tf.keras gives these models.")
            report.table(c)
            coverage = try decompositionSection(clinc, m1Files: authorFiles.filter { $0.contains("/many_to_one/") }, authorsDir: authorsDir, env: env, report: &report)
        } else {
            report.paragraph("Clinc data not found: the authors' M:1 models were not evaluated on it.")
        }
    } else {
        // ## Without ../shared: the kit against itself on synthetic models
        report = Report(title: "Chapter 1 — Keras interoperability",
                        firstLine: "Data: synthetic — `../shared` was not found, so no tf.keras outputs exist to compare with; these are self-checks only.",
                        provenance: provenance, stem: "01-keras-interop")
        var t = MarkdownTable(["model", "architecture", "params", "re-export"], alignments: [.left, .left, .right, .left])
        for (label, m, inputs) in try KerasInterop.syntheticModels() {
            let exact = try reExportIsExact(m, inputs: inputs)
            if !exact { failures += 1 }
            t.add([label, architecture(m), Format.grouped(m.parameterCount), exact ? "bit-exact" : "DIFFERS"])
        }
        report.heading("Kit export → import on synthetic models")
        report.table(t)
    }

    report.heading("Summary")
    report.paragraph(failures == 0 ? "Every check above passed." : "\(failures) check(s) above failed.")
    try env.write(report, started: started, coverage: coverage, note: failures == 0 ? "" : " — \(failures) failing check(s)")
    if failures > 0 { exit(1) }
}
