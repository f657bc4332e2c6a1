import ArgumentParser
import HDF5Kit
import RNNKit

/// `predict MODEL.h5 --inputs IN.h5 --output OUT.h5 [--layers] [--batch-size N]`.
struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a model on inputs from an HDF5 file and write the prediction (and every layer's output).",
        discussion: """
        Inputs are read from /inputs/<model input name>; a single-input model also accepts the only \
        dataset under /inputs. Writes /prediction (float32) and, with --layers, /outputs/<layer> for \
        every non-input layer. The output file is written atomically: on any error nothing is left.
        """)

    @Argument(help: "A Keras legacy HDF5 model file.") var model: String
    @Option(help: "HDF5 file with an /inputs group.") var inputs: String
    @Option(help: "HDF5 file to write.") var output: String
    @Flag(help: "Also write every layer's output under /outputs.") var layers = false
    @Option(help: "Samples per chunk (chunks run in parallel on all cores).") var batchSize = 256

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive") }
    }

    func run() throws {
        let m = try Model.loadKeras(path: model)
        let feeds = try readInputs(for: m, from: inputs)
        let result = try m.predict(feeds, batchSize: batchSize, taps: layers)
        try HDF5File.writeAtomically(to: output) { f in
            try f.root.createDataset("prediction", shape: result.prediction.shape, values: result.prediction.data)
            if layers {
                let g = try f.root.createGroup("outputs")
                for n in m.nodes { let t = result.layerOutputs[n.layer.name]!; try g.createDataset(n.layer.name, shape: t.shape, values: t.data) }
            }
        }
    }
}

/// The model's inputs from `/inputs/<name>`; a single-input model also takes the only dataset.
func readInputs(for m: Model, from path: String) throws -> [String: Tensor] {
    let file = try HDF5File(path: path)
    guard file.root.kind(of: "inputs") == .group else { throw RNNKitError.missingInput(name: "/inputs (group)", source: path) }
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
    return feeds
}
