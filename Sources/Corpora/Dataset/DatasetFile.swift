import Foundation
import HDF5Kit

/// The dataset .h5 layout (ARCHITECTURE.md "File formats"; documented in docs/FORMATS.md):
///
/// datasets (int32): `x_train`, `y_train`, `x_test`, `y_test` (`y` is `[N]` or `[N, T]`),
/// optionally `x_val`, `y_val`; translation adds `x_train_target`, `x_test_target`
/// (`x_val_target`) = decoder inputs and `language_train`/`language_test`(`language_val`) =
/// target-language index per example; string datasets `vocabulary` (input tokens by id, when
/// known), `target_vocabulary` and `source_vocabulary` (translation).
///
/// root attributes: `task` (one of the `Task` raw values), `num_classes`, `vocab_size`,
/// `padding_label` (-1 = none) (int64 scalars), `label_names` (JSON array), `recipe` (JSON
/// object), `synthetic` (0/1), `source` (manifest name or "synthetic"), `name`; translation adds
/// `source_vocab_size`, `target_vocab_size`, `languages` (JSON `{"source": "en", "targets": […]}`);
/// there `num_classes` = target vocabulary size and `label_names` = the target languages (the
/// concerns, indexed by `language_*`), since a token list would not fit an HDF5 attribute.
public enum DatasetFile {
    /// Writes `dataset` to `path` atomically (a temporary sibling renamed into place).
    public static func write(_ dataset: Dataset, to path: String) throws {
        try HDF5File.writeAtomically(to: path) { file in
            let root = file.root
            try writeSplit(dataset.train, "train", root)
            try writeSplit(dataset.test, "test", root)
            if let v = dataset.validation { try writeSplit(v, "val", root) }
            if !dataset.vocabulary.isEmpty { try root.createStringDataset("vocabulary", strings: dataset.vocabulary) }
            try root.setAttribute("name", string: dataset.name)
            try root.setAttribute("task", string: dataset.task.rawValue)
            try setInt(root, "num_classes", dataset.numClasses)
            try setInt(root, "vocab_size", dataset.vocabSize)
            try setInt(root, "padding_label", dataset.paddingLabel)
            try root.setAttribute("label_names", string: JSONValue.array(dataset.labelNames.map(JSONValue.string)).jsonString)
            try root.setAttribute("recipe", string: dataset.recipe.jsonString)
            try setInt(root, "synthetic", dataset.synthetic ? 1 : 0)
            try root.setAttribute("source", string: dataset.source)
            if dataset.multiLabel { try setInt(root, "multi_label", 1) }
            if let t = dataset.translation {
                try setInt(root, "source_vocab_size", t.sourceVocabSize)
                try setInt(root, "target_vocab_size", t.targetVocabSize)
                let languages = JSONValue.object(["source": .string(t.sourceLanguage), "targets": .array(t.targetLanguages.map(JSONValue.string))])
                try root.setAttribute("languages", string: languages.jsonString)
                try root.createStringDataset("target_vocabulary", strings: t.targetVocabulary)
                try root.createStringDataset("source_vocabulary", strings: t.sourceVocabulary)
            }
        }
    }

    public static func read(from path: String) throws -> Dataset {
        let file = try HDF5File(path: path, mode: .readOnly)
        defer { try? file.close() }
        let root = file.root
        func fail(_ detail: String) -> CorporaError { .invalidDatasetFile(path: path, detail: detail) }
        // Everything required that is missing, in one message (a hand-written file is fixed in one go).
        let isTranslation = root.hasAttribute("task") && (try? root.stringAttribute("task")) == Task.encoderDecoder.rawValue
        let missingAttributes = (requiredAttributes + (isTranslation ? requiredTranslationAttributes : [])).filter { !root.hasAttribute($0) }
        let missingDatasets = (requiredDatasets + (isTranslation ? ["target_vocabulary"] : [])).filter { root.kind(of: $0) != .dataset }
        if !missingAttributes.isEmpty || !missingDatasets.isEmpty {
            throw fail("missing " + [missingAttributes.isEmpty ? nil : "root attribute(s) " + missingAttributes.joined(separator: ", "),
                                     missingDatasets.isEmpty ? nil : "dataset(s) " + missingDatasets.joined(separator: ", ")]
                .compactMap { $0 }.joined(separator: " and ") + " (docs/FORMATS.md \"Dataset\" marks what is required)")
        }
        guard let task = Task(rawValue: try root.stringAttribute("task")) else {
            throw fail("unknown task '\(try root.stringAttribute("task"))' (one of \(Task.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let labelNames = root.hasAttribute("label_names") ? try decodeJSON(try root.stringAttribute("label_names"), path: path) : .array([])
        guard case var .array(names) = labelNames else { throw fail("label_names is not a JSON array") }
        var translation: Translation?
        if root.hasAttribute("languages") {
            let languages = try decodeJSON(try root.stringAttribute("languages"), path: path)
            guard case let .string(src)? = languages["source"], case let .array(targets)? = languages["targets"] else {
                throw fail("languages must be {\"source\": …, \"targets\": […]}")
            }
            translation = Translation(
                sourceLanguage: src, targetLanguages: targets.compactMap { if case let .string(s) = $0 { return s } else { return nil } },
                sourceVocabulary: root.contains("source_vocabulary") ? try root.openDataset("source_vocabulary").readStrings() : [],
                targetVocabulary: try root.openDataset("target_vocabulary").readStrings())
        }
        // Sizes the rest of the kit allocates and indexes by: checked here, once.
        let numClasses = try int(root, "num_classes"), vocabSize = try int(root, "vocab_size"), padding = try int(root, "padding_label")
        guard (1...maxClasses).contains(numClasses) else { throw fail("num_classes = \(numClasses), expected 1...\(maxClasses)") }
        guard (0...maxVocabulary).contains(vocabSize) else { throw fail("vocab_size = \(vocabSize), expected 0...\(maxVocabulary)") }
        guard padding == -1 || (0..<numClasses).contains(padding) else { throw fail("padding_label = \(padding), expected -1 or 0..<\(numClasses)") }
        let multiLabel = try root.hasAttribute("multi_label") && int(root, "multi_label") != 0
        if multiLabel {
            for split in ["train", "test"] + (root.contains("y_val") ? ["val"] : []) {
                let shape = try root.openDataset("y_\(split)").shape()
                guard shape.count == 2, shape[1] == numClasses else {
                    throw fail("multi_label data needs y_\(split) shaped [N, num_classes = \(numClasses)] of 0/1, found \(shape)")
                }
            }
        }
        // Optional label_names: the class ids as names.
        if names.isEmpty && !isTranslation { names = (0..<numClasses).map { .string("\($0)") } }
        return Dataset(
            name: root.hasAttribute("name") ? try root.stringAttribute("name") : URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent,
            task: task,
            train: try readSplit("train", root, path),
            test: try readSplit("test", root, path),
            validation: root.contains("x_val") ? try readSplit("val", root, path) : nil,
            numClasses: numClasses,
            vocabSize: vocabSize,
            paddingLabel: padding,
            labelNames: names.map { if case let .string(s) = $0 { return s } else { return $0.jsonString } },
            vocabulary: root.contains("vocabulary") ? try root.openDataset("vocabulary").readStrings() : [],
            translation: translation,
            recipe: root.hasAttribute("recipe") ? try decodeJSON(try root.stringAttribute("recipe"), path: path) : .object([:]),
            synthetic: root.hasAttribute("synthetic") ? try int(root, "synthetic") != 0 : false,
            source: root.hasAttribute("source") ? try root.stringAttribute("source") : "unknown",
            multiLabel: multiLabel)
    }

    // MARK: helpers

    private static func writeSplit(_ s: Split, _ suffix: String, _ g: HDF5Group) throws {
        try g.createDataset("x_\(suffix)", shape: s.x.shape, values: s.x.values)
        try g.createDataset("y_\(suffix)", shape: s.y.shape, values: s.y.values)
        if let t = s.xTarget { try g.createDataset("x_\(suffix)_target", shape: t.shape, values: t.values) }
        if let l = s.language { try g.createDataset("language_\(suffix)", shape: l.shape, values: l.values) }
    }

    private static func readSplit(_ suffix: String, _ g: HDF5Group, _ path: String) throws -> Split {
        func tensor(_ name: String) throws -> Int32Tensor {
            let d = try g.openDataset(name)
            let shape = try d.shape()
            guard shape.count == 1 || shape.count == 2 else {
                throw CorporaError.invalidDatasetFile(path: path, detail: "\(name) has rank \(shape.count), expected 1 or 2")
            }
            guard shape.count == 1 || shape[1] > 0 else {
                throw CorporaError.invalidDatasetFile(path: path, detail: "\(name) has shape \(shape): no steps per example")
            }
            return Int32Tensor(shape: shape, values: try d.read(Int32.self))
        }
        let x = try tensor("x_\(suffix)"), y = try tensor("y_\(suffix)")
        guard x.shape[0] == y.shape[0] else {
            throw CorporaError.invalidDatasetFile(path: path, detail: "x_\(suffix) has \(x.count) examples but y_\(suffix) has \(y.count)")
        }
        let target = g.contains("x_\(suffix)_target") ? try tensor("x_\(suffix)_target") : nil
        let language = g.contains("language_\(suffix)") ? try tensor("language_\(suffix)") : nil
        return Split(x: x, y: y, xTarget: target, language: language)
    }

    private static func setInt(_ g: HDF5Group, _ name: String, _ v: Int) throws {
        try g.setAttribute(name, values: [Int64(v)], shape: [])
    }

    private static func int(_ g: HDF5Group, _ name: String) throws -> Int {
        guard let v = try g.numericAttribute(name, as: Int64.self).first else {
            throw CorporaError.invalidDatasetFile(path: g.filePath, detail: "attribute \(name) is empty")
        }
        return Int(v)
    }

    /// What a dataset file must have (docs/FORMATS.md "Dataset"); `label_names`, `recipe`,
    /// `synthetic`, `source`, `name` and the validation split are optional.
    public static let requiredAttributes = ["task", "num_classes", "vocab_size", "padding_label"]
    public static let requiredTranslationAttributes = ["languages"]
    public static let requiredDatasets = ["x_train", "y_train", "x_test", "y_test"]

    /// Bounds on a dataset file's declared sizes (the kit's largest: 151 classes, 10^5 tokens).
    public static let maxClasses = 1 << 20
    public static let maxVocabulary = 1 << 24

    private static func decodeJSON(_ s: String, path: String) throws -> JSONValue {
        do { return try JSONDecoder().decode(JSONValue.self, from: Data(s.utf8)) } catch {
            throw CorporaError.invalidDatasetFile(path: path, detail: "attribute is not valid JSON: \(s.prefix(80))")
        }
    }
}
