import ArgumentParser
import Corpora
import Decomposition
import DecompositionInputs
import Foundation
import Notebook
import Metrics
import RNNKit

extension DecompositionConfig.Mode: ExpressibleByArgument {}
extension DecompositionConfig.Preset: ExpressibleByArgument {}

/// `decompose MODEL.h5 --data DATA.h5 … --out DIR`.
struct Decompose: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decompose a model into one module per class (per target language for an encoder-decoder).",
        discussion: """
        Writes DIR/module_<class>.h5 (rolled modules load in tf.keras; each carries its class's label \
        name), DIR/summary.json and DIR/manifest.json; with --keep-activations also DIR/activations.h5 \
        (every monitored value, to re-run identification; often many times the model's size). \
        Output heads: softmax Dense, Dense + Activation('softmax'), linear Dense (logits: modules are \
        scored with the softmax of their logits). Unset options take the preset's value (paper: \
        rolled, hidden, 0.2, 500, seed 1; authors: 0.05 removal cap and the authors' rules). The method: \
        docs/METHOD.md; file layouts: docs/FORMATS.md.
        """)

    enum Gates: String, ExpressibleByArgument, CaseIterable { case hidden, perGate = "per-gate" }

    @Argument(help: "A Keras HDF5 model: classification (1:1, M:1, 1:N, M:N) or a two-input encoder-decoder.") var model: String
    @Option(name: .customLong("config"), help: "The architecture as JSON (Keras `to_json()` or a .keras archive's config.json) when the model file holds weights only (a Keras 3 .weights.h5, a tf.keras save_weights .h5).") var modelConfig: String?
    @Option(help: "Dataset file (`data export`); its train split supplies the samples.") var data: String
    @Option(help: "rolled (one weight copy) or unrolled (one copy per time step). Default: rolled.") var mode: DecompositionConfig.Mode?
    @Option(help: "hidden (one value per unit, h_t) or per-gate (one per gate unit). Default: hidden.") var gates: Gates?
    @Option(help: "Largest fraction of a layer's units a module may lose, 0…1. Default: 0.2 (paper preset), 0.05 (authors preset).") var maxRemove: Double?
    @Option(help: "Positive samples per class (M), at least 1; negatives M/(K−1) per other class. Default: 500.") var samples: Int?
    @Option(help: "Sampling seed, 0…2^64−1 (paper preset; the authors preset samples in storage order). Default: 1.") var seed: UInt64?
    @Option(help: "paper (the paper's method, Keras-exact) or authors (what produced the authors' published numbers).") var preset: DecompositionConfig.Preset = .paper
    @Flag(help: "Also write DIR/activations.h5, every value monitoring recorded (large: grows with samples × steps × units).") var keepActivations = false
    @Flag(help: "Record that `evaluate` should vote rolled many-output modules as the authors' evaluators did (zeroed embedding and recurrent weights: their artifact, not the method).")
    var authorsEvaluatorArtifact = false
    @Option(help: "Output folder. An existing folder is replaced only when `decompose` wrote it (its manifest.json says so) or with --force; never when it holds an input.") var out: String
    @Flag(help: "Replace whatever is at --out (an input is still never replaced).") var force = false

    func validate() throws {
        if let f = maxRemove, !(0...1).contains(f) { throw ValidationError("--max-remove must be within 0…1") }
        if let m = samples, m < 1 { throw ValidationError("--samples must be positive") }
    }

    var config: DecompositionConfig {
        var c = DecompositionConfig.preset(preset)
        if let mode { c.mode = mode }
        if let gates { c.gates = gates == .hidden ? .hiddenState : .perGate }
        if let maxRemove { c.maxRemoveFraction = maxRemove }
        if let samples { c.samplesPerClass = samples }
        if let seed { c.seed = seed }
        if authorsEvaluatorArtifact { c.authorsEvaluatorArtifact = true }
        return c
    }

    func run() throws {
        // Checked, locked and created before any work: a refusal costs nothing.
        let target = try prepareOutput(out, .folder, inputs: [model, data] + (modelConfig.map { [$0] } ?? []), force: force, replaceable: ModulesManifest.isModulesFolder)
        let m = try Model.loadKeras(path: model, config: modelConfig)
        let sha = try fileSHA256(model)
        let dataset = try DatasetFile.read(from: data)
        let config = self.config
        print("config: \(config.summary)")
        if m.inputs.count == 1 { print("head: \(try ModelAnatomy(m).head.description)") }
        let t0 = Date()
        let decomposer = Decomposer(model: m, config: config, sourceSHA256: sha)
        // Two inputs: an encoder-decoder, decomposed per target language; a sigmoid head per label.
        let result = m.inputs.count == 2
            ? try decomposer.decomposeTranslation(train: try TranslationData(dataset, split: "train"))
            : try ModelAnatomy(m).head == .sigmoid
            ? try decomposer.decomposeMultiLabel(train: try MultiLabelData(dataset, split: "train"))
            : try decomposer.decompose(train: try LabeledData(dataset, split: "train"))
        let dir = target.temporary
        var entries: [ModulesManifest.ModuleEntry] = []
        var archives: [String] = []
        for var module in result.modules {
            let name = "module_\(module.concern).h5"
            let label = module.concern < dataset.labelNames.count ? dataset.labelNames[module.concern] : "\(module.concern)"
            module.labelName = label
            try module.save(to: dir + "/" + name)
            entries.append(.init(concern: module.concern, label: label, classIDs: module.classIDs, file: try ModulesManifest.entry(dir, name)))
            // A Keras 3 model's modules also in its own format (keras.saving.load_model reads
            // them); unrolled modules have per-step weights no Keras layer holds: kit files only.
            if m.isKeras3, module.mode == .rolled {
                archives.append("module_\(module.concern).keras")
                try module.model.saveKerasArchive(path: dir + "/" + archives.last!)
            }
        }
        if keepActivations { try ActivationsFile.write(result, sourceSHA256: sha, to: dir + "/activations.h5") }
        let summary = DecompositionSummary(model: model, modelSHA256: sha, config: config, modules: result.modules.map {
            .init(concern: $0.concern, classIDs: $0.classIDs, removed: $0.removed, jaccard: $0.jaccard, structuralJaccard: $0.structuralJaccard)
        })
        try Data(try summary.json().utf8).write(to: URL(fileURLWithPath: dir + "/summary.json"))
        // The manifest last: a folder without it is incomplete.
        try ModulesManifest(sourceModelSHA256: sha, config: config, modules: entries,
                            files: try (archives + (keepActivations ? ["activations.h5", "summary.json"] : ["summary.json"])).map { try ModulesManifest.entry(dir, $0) }).write(to: dir)
        try target.commit()
        for mod in result.modules {
            let removed = mod.removedUnitCount
            let label = mod.concern < dataset.labelNames.count ? " (\(dataset.labelNames[mod.concern]))" : ""
            print("module \(mod.concern)\(label): \(removed) unit(s) removed, JI \(String(format: "%.4f", mod.jaccard))")
        }
        print("wrote \(result.modules.count) modules to \(out) in \(String(format: "%.1f", Date().timeIntervalSince(t0))) s")
    }
}

/// DIR/summary.json: what was decomposed, how, and what each module lost.
struct DecompositionSummary: Codable {
    struct ModuleInfo: Codable { var concern: Int; var classIDs: [Int]; var removed: [String: [[Int]]]; var jaccard: Double; var structuralJaccard: Double }
    var model: String
    var modelSHA256: String
    var config: DecompositionConfig
    var modules: [ModuleInfo]
    func json() throws -> String {
        let e = JSONEncoder(); e.outputFormatting = [.sortedKeys, .prettyPrinted]
        return String(decoding: try e.encode(self), as: UTF8.self) + "\n"
    }
}

/// `evaluate MODEL.h5 --modules DIR --data DATA.h5 [--preset …] [--json]`.
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Compose modules by voting and compare with the model on the test split.")

    @Argument(help: "The model the modules were cut from.") var model: String
    @Option(name: .customLong("config"), help: "The architecture as JSON (Keras `to_json()` or a .keras archive's config.json) when the model file holds weights only (a Keras 3 .weights.h5, a tf.keras save_weights .h5).") var modelConfig: String?
    @Option(help: "Folder written by `decompose`.") var modules: String
    @Option(help: "Dataset file; its test split is used.") var data: String
    @Option(help: "Forward semantics: paper or authors (default: the modules' own preset).") var preset: DecompositionConfig.Preset?
    @Flag(help: "Vote rolled many-output modules as the authors' evaluators did: zeroed embedding and recurrent weights, so every position gets one label (their artifact, not the method). Default: as recorded by `decompose`.")
    var authorsEvaluatorArtifact = false
    @Flag(help: "Print one JSON object instead of text.") var json = false

    func run() throws {
        let m = try Model.loadKeras(path: model, config: modelConfig)
        let mods = try ModulesManifest.loadModules(in: modules, modelSHA256: try fileSHA256(model))
        let dataset = try DatasetFile.read(from: data)
        let preset = self.preset ?? mods[0].config.preset
        if m.inputs.count == 2 { return try evaluateTranslation(m, mods, try TranslationData(dataset, split: "test"), preset) }
        let head = try ModelAnatomy(m).head
        let labels = mods.map { $0.labelName ?? (($0.concern < dataset.labelNames.count) ? dataset.labelNames[$0.concern] : "\($0.concern)") }
        if head == .sigmoid { return try evaluateMultiLabel(m, mods, try MultiLabelData(dataset, split: "test"), preset, labels) }
        let test = try LabeledData(dataset, split: "test")
        let artifact = authorsEvaluatorArtifact || mods[0].config.usesAuthorsEvaluatorArtifact
        let e = try DecompositionEvaluation.evaluate(model: m, modules: mods, test: test, preset: preset, authorsEvaluatorArtifact: artifact)
        if json {
            // Every accuracy and difference a fraction 0–1 ("units"); the text output gives δ in points.
            let object: [String: Any] = [
                "mma": e.mma, "cma": e.cma, "delta": e.cma - e.mma, "units": Self.jsonUnits, "jaccard_mean": e.jaccardMean,
                "structural_jaccard_mean": e.structuralJaccardMean, "preset": e.preset, "config": mods[0].config.summary, "authors_evaluator_artifact": artifact,
                "head": head.rawValue, "scoring": head == .logits ? "softmax of the modules' logits" : "the modules' softmax outputs",
                "modules": zip(e.modules, labels).map { ["class": $0.concern, "label": $1, "jaccard": $0.jaccard, "structural_jaccard": $0.structuralJaccard, "removed_units": $0.removedUnits] },
            ]
            print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
        } else {
            print("config: \(mods[0].config.summary); evaluated with the \(preset.rawValue) preset's forward pass")
            print("head: \(head.description)")
            for (s, label) in zip(e.modules, labels) {
                print(String(format: "module %d (%@): JI %.6f, structural %.6f, %d unit(s) removed", s.concern, label, s.jaccard, s.structuralJaccard, s.removedUnits))
            }
            print(String(format: "MMA %.6f\nCMA %.6f\nδ %@ points\nmean JI %.6f (structural %.6f)", e.mma, e.cma, Format.signedPoints(e.delta), e.jaccardMean, e.structuralJaccardMean))
        }
    }
}

extension Evaluate {
    /// Sigmoid heads: every label decided by its own module (no vote), accuracy per decision.
    func evaluateMultiLabel(_ m: Model, _ mods: [Module], _ test: MultiLabelData, _ preset: DecompositionConfig.Preset, _ labels: [String]) throws {
        let e = try MultiLabelEvaluation.evaluate(model: m, modules: mods, test: test, preset: preset)
        if json {
            let object: [String: Any] = [
                "mma": e.mma, "cma": e.cma, "delta": e.cma - e.mma, "units": Self.jsonUnits,
                "exact_match_monolithic": e.exactMatchMonolithic, "exact_match_composed": e.exactMatchComposed,
                "jaccard_mean": e.jaccardMean, "structural_jaccard_mean": e.structuralJaccardMean, "preset": preset.rawValue,
                "config": mods[0].config.summary, "head": ModelAnatomy.Head.sigmoid.rawValue,
                "scoring": "each module decides its label alone: output >= 0.5; accuracy over every (example, label) decision",
                "modules": zip(e.labels, labels).map { ["class": $0.label, "label": $1, "mma": $0.mma, "cma": $0.cma, "jaccard": $0.jaccard,
                                                        "structural_jaccard": $0.structuralJaccard, "removed_units": $0.removedUnits] },
            ]
            print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
        } else {
            print("config: \(mods[0].config.summary); evaluated with the \(preset.rawValue) preset's forward pass")
            print("head: \(ModelAnatomy.Head.sigmoid.description); a label is present when its output is ≥ 0.5")
            for (s, label) in zip(e.labels, labels) {
                print(String(format: "label %d (%@): accuracy model %.6f, module %.6f; JI %.6f, %d unit(s) removed", s.label, label, s.mma, s.cma, s.jaccard, s.removedUnits))
            }
            print(String(format: "MMA %.6f\nCMA %.6f\nδ %@ points\nexact match model %.6f, modules %.6f\nmean JI %.6f (structural %.6f)",
                         e.mma, e.cma, Format.signedPoints((e.cma - e.mma) * 100), e.exactMatchMonolithic, e.exactMatchComposed, e.jaccardMean, e.structuralJaccardMean))
        }
    }

    /// The one unit of `evaluate --json`.
    static let jsonUnits = "fraction (0-1): mma, cma, bleu_*; delta = cma - mma (or bleu_composed - bleu_monolithic), also a fraction"

    /// BLEU-4 of greedy translations per target language, model against modules.
    func evaluateTranslation(_ m: Model, _ mods: [Module], _ test: TranslationData, _ preset: DecompositionConfig.Preset) throws {
        let e = try TranslationEvaluation.evaluate(model: m, modules: mods, test: test, maxLength: test.steps, preset: preset)
        if json {
            let object: [String: Any] = [
                "pairs": e.pairs.map { ["language": $0.language, "sentences": $0.sentences, "bleu_monolithic": $0.monolithicBLEU,
                                        "bleu_composed": $0.composedBLEU, "delta": $0.composedBLEU - $0.monolithicBLEU] },
                "units": Self.jsonUnits,
                "jaccard_mean": e.jaccardMean, "structural_jaccard_mean": e.structuralJaccardMean, "preset": preset.rawValue,
                "config": mods[0].config.summary,
            ]
            print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
        } else {
            print("config: \(mods[0].config.summary); evaluated with the \(preset.rawValue) preset's forward pass")
            for p in e.pairs {
                print("\(p.language): " + String(format: "BLEU-4 monolithic %.6f, composed %.6f (δ %@ points, %d sentences)", p.monolithicBLEU, p.composedBLEU, Format.signedPoints(p.delta), p.sentences))
            }
            print(String(format: "mean JI %.6f (structural %.6f)", e.jaccardMean, e.structuralJaccardMean))
        }
    }
}

/// `bleu --references R.txt --hypotheses H.txt`: corpus BLEU-1…4 as NLTK's corpus_bleu.
struct BLEU: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bleu", abstract: "Corpus BLEU-1…4, equal to NLTK's corpus_bleu with uniform weights (no smoothing).",
        discussion: "One sentence per line, whitespace tokens, one reference per hypothesis line.")
    @Option(help: "Reference sentences, one per line.") var references: String
    @Option(help: "Hypothesis sentences, one per line.") var hypotheses: String

    func run() throws {
        func lines(_ p: String) throws -> [String] { try SentenceFile.lines(path: p) }
        let refs = try lines(references), hyps = try lines(hypotheses)
        for n in 1...4 {
            print("BLEU-\(n) \(String(format: "%.12f", try Metrics.corpusBLEU(referenceLines: refs, hypothesisLines: hyps, maxN: n)))")
        }
    }
}
