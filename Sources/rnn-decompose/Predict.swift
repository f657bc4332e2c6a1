import ArgumentParser
import Foundation
import HDF5Kit
import RNNKit

/// `predict MODEL.h5 --inputs IN.h5 --output OUT.h5 [--layers] [--batch-size N]`.
struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a model on inputs from an HDF5 file and write the prediction (and every layer's output).",
        discussion: """
        Inputs are read from /inputs/<model input name>; a single-input model also accepts the only \
        dataset under /inputs. A dataset file (`data export`) is accepted too: its x_<split> (and, for \
        a two-input encoder-decoder, x_<split>_target) are the inputs, and with y_<split> the accuracy \
        is printed (padding label skipped for sequence outputs). Writes /prediction (float32) and, \
        with --layers, /outputs/<layer> for every non-input layer. The output file is written \
        atomically: on any error nothing is left.
        """)

    @Argument(help: "A Keras model: .h5 (tf.keras 2 or Keras 3), .keras, or weights with --config.") var model: String
    @Option(name: .customLong("config"), help: "The architecture as JSON (Keras `to_json()` or a .keras archive's config.json) when the model file holds weights only (a Keras 3 .weights.h5, a tf.keras save_weights .h5).") var modelConfig: String?
    @Option(help: "HDF5 file with an /inputs group.") var inputs: String
    @Option(help: "HDF5 file to write (an existing file is replaced only when it is a prediction file, or with --force; never an input).") var output: String
    @Flag(help: "Replace whatever file is at --output (an input is still never replaced).") var force = false
    @Flag(help: "Also write every layer's output under /outputs.") var layers = false
    @Option(help: "Samples per chunk (chunks run in parallel on all cores).") var batchSize = 256
    @Option(help: "With a dataset file: the split to run (train, test, val).") var split = "test"

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive") }
    }

    func run() throws {
        let target = try prepareOutput(output, .file, inputs: [model, inputs] + (modelConfig.map { [$0] } ?? []), force: force, replaceable: OwnOutput.isPredictionFile)
        let m = try Model.loadKeras(path: model, config: modelConfig)
        let (feeds, labels) = try readInputs(for: m, from: inputs, split: split)
        let result = try m.predict(feeds, batchSize: batchSize, taps: layers)
        if let labels { print(try accuracyLine(result.prediction, labels)) }
        try HDF5File.writeAtomically(to: target.temporary) { f in
            try f.root.createDataset("prediction", shape: result.prediction.shape, values: result.prediction.data)
            if layers {
                let g = try f.root.createGroup("outputs")
                for n in m.nodes {
                    guard let t = result.layerOutputs[n.layer.name] else { continue }
                    try g.createDataset(n.layer.name, shape: t.shape, values: t.data)
                }
            }
        }
        try target.commit()
    }
}

/// The model's inputs, from `/inputs/<name>` (a single-input model also takes the only
/// dataset there) or from a dataset file's `x_<split>` (+ `x_<split>_target`), with its labels.
func readInputs(for m: Model, from path: String, split: String) throws -> ([String: Tensor], Tensor?) {
    let file = try HDF5File(path: path)
    if file.root.kind(of: "inputs") != .group, file.root.kind(of: "x_\(split)") == .dataset {
        var names = ["x_\(split)", "x_\(split)_target"].filter { file.root.contains($0) }
        names = Array(names.prefix(m.inputs.count))
        guard names.count == m.inputs.count else {
            throw RNNKitError.missingInput(name: "\(m.inputs.count) input(s) for x_\(split)", source: path)
        }
        let feeds = try Dictionary(uniqueKeysWithValues: zip(m.inputs, names).map { ($0.name, try readTensor(file.root, $1)) })
        let labels = file.root.contains("y_\(split)") ? try readTensor(file.root, "y_\(split)") : nil
        return (feeds, labels)
    }
    guard file.root.kind(of: "inputs") == .group else { throw RNNKitError.missingInput(name: "/inputs (group) or x_\(split)", source: path) }
    let g = try file.root.openGroup("inputs")
    let available = try g.childNames()
    var feeds: [String: Tensor] = [:]
    for i in m.inputs {
        if available.contains(i.name) {
            feeds[i.name] = try readTensor(g, i.name)
        } else if m.inputs.count == 1, available.count == 1 {
            feeds[i.name] = try readTensor(g, available[0])
        } else {
            throw RNNKitError.missingInput(name: "/inputs/\(i.name)", source: path)
        }
    }
    return (feeds, nil)
}

/// "correct k of n (accuracy)" for class labels `[N]` or label sequences `[N, T]` (label 0,
/// the padding label of the kit's sequence data sets, is skipped there).
func accuracyLine(_ prediction: Tensor, _ labels: Tensor) throws -> String {
    let k = prediction.shape.last ?? 1
    guard prediction.count / k == labels.count else {
        throw RNNKitError.batchMismatch("prediction has \(prediction.count / k) label positions, the data \(labels.count)")
    }
    var correct = 0, total = 0
    for (predicted, truth) in zip(prediction.argmaxLastAxis(), labels.data.map { Int($0) }) where labels.rank == 1 || truth != 0 {
        if predicted == truth { correct += 1 }
        total += 1
    }
    return "correct \(correct) of \(total) (accuracy \(String(format: "%.6f", Double(correct) / Double(max(total, 1)))))"
}
