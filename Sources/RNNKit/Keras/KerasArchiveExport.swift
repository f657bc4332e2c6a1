import Foundation
import KitFiles
import HDF5Kit
import ZIPFoundation

/// Export to a Keras 3 `.keras` archive, the format `keras.saving.load_model` reads: a zip of
/// `config.json` (Keras 3 layer configs), `metadata.json` (`keras_version`) and
/// `model.weights.h5` (`layers/<key>/vars/0, 1, …`, docs/FORMATS.md). Only models that came
/// from Keras 3 are written this way: their hard sigmoid and defaults are Keras 3's.
extension Model {
    /// Whether the model came from Keras 3 (its `keras_version`), so `.keras` is its format.
    public var isKeras3: Bool { kerasVersion.flatMap { KerasDialect.isKeras3(version: $0, config: [:]) } == true }

    /// Writes the archive atomically. The zip's entries carry a fixed date and no
    /// `date_saved`, so the same model always gives the same bytes.
    public func saveKerasArchive(path: String) throws {
        guard isKeras3, let version = kerasVersion else {
            throw RNNKitError.refusedValue(layer: name, field: "keras_version", value: kerasVersion ?? "unknown",
                                           reason: "a .keras archive is written for Keras 3 models only; save this one as .h5")
        }
        try checkHardSigmoidMatchesVersion()
        // Keras would run the shared weights instead of the per-step copies, so it would compute another model.
        for n in nodes {
            let steps = (n.layer as? Recurrent)?.weightsPerStep ?? (n.layer as? Dense)?.weightsPerStep
                ?? (n.layer as? Bidirectional).flatMap { $0.forwardLayer.weightsPerStep ?? $0.backwardLayer.weightsPerStep }
            if let steps {
                throw RNNKitError.refusedValue(layer: n.layer.name, field: "weights per step", value: "\(steps.count) copies",
                                               reason: "no Keras layer holds per-step weights (an unrolled module); the kit's .h5 keeps them")
            }
        }
        let config = Data(try keras3ConfigJSON().utf8)
        let metadata = Data(#"{"keras_version": "\#(version)"}"#.utf8)
        try writeAtomically(to: path) { tmp in
            let weightsPath = tmp + ".weights.h5"
            TemporaryFiles.register(weightsPath)
            defer { TemporaryFiles.removeTree(weightsPath); TemporaryFiles.unregister(weightsPath) }
            try HDF5File.writeAtomically(to: weightsPath) { f in try writeKeras3Weights(to: f.root) }
            let weights = try Data(contentsOf: URL(fileURLWithPath: weightsPath))
            let archive = try Archive(url: URL(fileURLWithPath: tmp), accessMode: .create)
            let fixedDate = Date(timeIntervalSince1970: 315_532_800)   // 1980-01-01, the zip epoch
            for (entry, data) in [("metadata.json", metadata), ("config.json", config), ("model.weights.h5", weights)] {
                try archive.addEntry(with: entry, type: .file, uncompressedSize: Int64(data.count), modificationDate: fixedDate,
                                     compressionMethod: .deflate) { position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            }
        }
    }

    /// Keras 3's `config.json`: Sequential or Functional, layer configs with `module` and
    /// `registered_name`, Functional inbound nodes as `__keras_tensor__` arguments. Initializers,
    /// regularizers and constraints are left to Keras's defaults (they do not change inference).
    public func keras3ConfigJSON() throws -> String {
        let shapes = try shapes()
        let inputEntries: [[String: Any]] = inputs.map { i in
            ["module": "keras.layers", "class_name": "InputLayer", "registered_name": NSNull(),
             "config": ["batch_shape": i.shape.map { $0 as Any? ?? NSNull() }, "dtype": i.dtype, "sparse": false, "name": i.name] as [String: Any]]
        }
        let top: [String: Any]
        if isSequential {
            top = ["module": "keras", "class_name": "Sequential", "registered_name": NSNull(),
                   "config": ["name": name, "trainable": true, "layers": inputEntries + nodes.map { $0.layer.keras3LayerEntry() }] as [String: Any]]
        } else {
            let inputDTypes = Dictionary(uniqueKeysWithValues: inputs.map { ($0.name, $0.dtype) })
            func tensor(_ r: TensorRef) -> [String: Any] {
                ["class_name": "__keras_tensor__",
                 "config": ["shape": (shapes[r] ?? []).map { $0 as Any? ?? NSNull() }, "dtype": inputDTypes[r.layer] ?? "float32",
                            "keras_history": [r.layer, 0, r.index] as [Any]] as [String: Any]]
            }
            // Further inputs of a recurrent layer are its initial states.
            let layers = functionalLayers(inputEntries, entry: { $0.layer.keras3LayerEntry() }, inbound: { n in
                let states: [[String: Any]] = n.inputs.dropFirst().map(tensor)
                let kwargs: [String: Any] = states.isEmpty ? [:] : ["initial_state": states]
                return [["args": [tensor(n.inputs[0])], "kwargs": kwargs] as [String: Any]]
            })
            func ref(_ r: TensorRef) -> [Any] { [r.layer, 0, r.index] }
            top = ["module": "keras.src.models.functional", "class_name": "Functional", "registered_name": "Functional",
                   "config": ["name": name, "trainable": true, "layers": layers,
                              "input_layers": inputs.map { ref(TensorRef(layer: $0.name)) }, "output_layers": outputs.map(ref)] as [String: Any]]
        }
        let data = try JSONSerialization.data(withJSONObject: top, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// Keras 3's weights layout. Keras finds a layer's weights by its place, not its name:
    /// `layers/<snake_case class>[_k]` in the order of the model's layers (a Functional's input
    /// layers included), then `cell/`, `layer/` or `forward_layer/` + `backward_layer/` below it.
    func writeKeras3Weights(to root: HDF5Group) throws {
        try root.createGroup("vars").setAttribute("name", string: name)
        var used: [String: Int] = [:]
        func key(_ className: String) -> String {
            let base = "layers/" + snakeCase(className)
            defer { used[base, default: 0] += 1 }
            return used[base].map { "\(base)_\($0)" } ?? base
        }
        func group(_ path: String, name: String, weights: [Tensor]) throws {
            let g = try root.createGroup(path + "/vars")
            try g.setAttribute("name", string: name)
            for (i, w) in weights.enumerated() { try g.createDataset("\(i)", shape: w.shape, values: w.data) }
        }
        func recurrent(_ path: String, _ r: Recurrent) throws {
            try group(path, name: r.name, weights: [])
            try group(path + "/cell", name: r.cell.kerasCellScope, weights: r.weights.map(\.tensor))
        }
        let byName = Dictionary(uniqueKeysWithValues: nodes.map { ($0.layer.name, $0.layer) })
        let order = isSequential ? nodes.map(\.layer.name) : kerasLayerOrder()
        let inputNames = Set(inputs.map(\.name))
        for layerName in order {
            if inputNames.contains(layerName) { try group(key("InputLayer"), name: layerName, weights: []); continue }
            guard let layer = byName[layerName] else { continue }
            let path = key(layer.kerasClassName)
            switch layer {
            case let b as Bidirectional:
                try group(path, name: b.name, weights: [])
                try recurrent(path + "/forward_layer", b.forwardLayer)
                try recurrent(path + "/backward_layer", b.backwardLayer)
            case let r as Recurrent:
                try recurrent(path, r)
            case let d as Dense where d.timeDistributed:
                try group(path, name: d.name, weights: [])
                try group(path + "/layer", name: d.innerName ?? d.name, weights: d.weights.map(\.tensor))
            default:
                try group(path, name: layer.name, weights: layer.weights.map(\.tensor))
            }
        }
    }
}

/// Keras's `to_snake_case`, which names a layer's weight group after its class.
func snakeCase(_ className: String) -> String {
    var s = className.replacingOccurrences(of: "(.)([A-Z][a-z]+)", with: "$1_$2", options: .regularExpression)
    s = s.replacingOccurrences(of: "([a-z])([A-Z])", with: "$1_$2", options: .regularExpression)
    return s.lowercased()
}

extension Layer {
    /// This layer's Keras 3 config entry: the tf.keras 2 config the kit writes, less the fields
    /// Keras 3 does not take (`time_major`, `implementation`, `input_length`) and the
    /// initializers, regularizers and constraints, with Keras 3's `module` / `registered_name`.
    func keras3LayerEntry() -> [String: Any] { keras3Entry(kerasLayerConfig()) }
}

private func keras3Entry(_ entry: [String: Any]) -> [String: Any] {
    var c = (entry["config"] as? [String: Any]) ?? [:]
    for k in c.keys where k.hasSuffix("_initializer") || k.hasSuffix("_regularizer") || k.hasSuffix("_constraint")
        || ["time_major", "implementation", "input_length"].contains(k) {
        c[k] = nil
    }
    for (k, v) in c {
        if let inner = v as? [String: Any], inner["class_name"] != nil { c[k] = keras3Entry(inner) }
    }
    return ["module": "keras.layers", "class_name": entry["class_name"] ?? NSNull(), "config": c, "registered_name": NSNull()]
}
