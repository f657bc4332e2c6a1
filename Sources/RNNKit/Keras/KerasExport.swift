import Foundation
import HDF5Kit

/// Export to Keras legacy HDF5, the layout tf.keras 2.x `model.save("x.h5")` writes, so
/// `tf.keras.models.load_model` reads it (a Keras 3 model's with Keras 3's config, which Keras 3's
/// `load_model` reads): root attributes `model_config` (JSON),
/// `keras_version`, `backend`; `model_weights/<layer>/<weight name>` with `weight_names`.
extension Model {
    /// The Keras version whose format and semantics the kit writes (tf.keras 2.x legacy HDF5).
    public static let exportedKerasVersion = "2.21.0"

    /// Writes the model atomically (temporary file, then rename).
    public func saveKeras(path: String, extraAttributes: [String: String] = [:]) throws {
        try HDF5File.writeAtomically(to: path) { file in try writeKeras(to: file.root, extraAttributes: extraAttributes) }
    }

    /// Writes the model into `root` (a file's root group). `configAttribute` names the config
    /// attribute (`model_config` for Keras; kit-only files use another name so Keras refuses them).
    public func writeKeras(to root: HDF5Group, extraAttributes: [String: String] = [:], configAttribute: String = "model_config") throws {
        try checkHardSigmoidMatchesVersion()
        // A Keras 3 model keeps Keras 3's config, so Keras 3's load_model reads the file too.
        try root.setAttribute(configAttribute, string: isKeras3 ? try keras3ConfigJSON() : try kerasConfigJSON())
        try root.setAttribute("keras_version", string: kerasVersion ?? Model.exportedKerasVersion)
        try root.setAttribute("backend", string: backend ?? "tensorflow")
        for (k, v) in extraAttributes.sorted(by: { $0.key < $1.key }) { try root.setAttribute(k, string: v) }
        let mw = try root.createGroup("model_weights")
        // Functional: tf.keras's own layer order, which `load_model` matches weights by.
        let names = isSequential ? nodes.map(\.layer.name) : kerasLayerOrder()
        try mw.setAttribute("layer_names", strings: names)
        try mw.setAttribute("keras_version", string: kerasVersion ?? Model.exportedKerasVersion)
        try mw.setAttribute("backend", string: backend ?? "tensorflow")
        for name in isSequential ? [] : inputs.map(\.name) { try writeWeightGroup(mw, layer: name, cellScope: nil, weights: []) }
        for n in nodes { try writeWeightGroup(mw, layer: n.layer.name, cellScope: n.layer.kerasCellScope, weights: n.layer.weights) }
        try writeWeightGroup(mw, layer: "top_level_model_weights", cellScope: nil, weights: [])
    }

    private func writeWeightGroup(_ mw: HDF5Group, layer: String, cellScope: String?, weights: [NamedWeight]) throws {
        let g = try mw.createGroup(layer)
        guard !weights.isEmpty else { try g.setAttribute("weight_names", values: [Double]()); return }
        let prefix = cellScope.map { "\(layer)/\($0)" } ?? layer
        let names = weights.map { "\(prefix)/\($0.name)" + (isKeras3 ? "" : ":0") }   // Keras 3 names variables without ":0"
        try g.setAttribute("weight_names", strings: names)
        for (n, w) in zip(names, weights) { try g.createDataset(n, shape: w.tensor.shape, values: w.tensor.data) }
    }

    /// The `model_config` JSON (keys sorted, so the same model always gives the same bytes).
    public func kerasConfigJSON() throws -> String {
        let top: [String: Any]
        let inputEntries: [[String: Any]] = inputs.map { i in
            ["class_name": "InputLayer", "config": ["batch_input_shape": i.shape.map { $0 as Any? ?? NSNull() }, "dtype": i.dtype,
                                                    "sparse": false, "ragged": false, "name": i.name]]
        }
        if isSequential {
            top = ["class_name": "Sequential", "config": ["name": name, "layers": inputEntries + nodes.map { $0.layer.kerasLayerConfig() }]]
        } else {
            func ref(_ r: TensorRef) -> [Any] { [r.layer, 0, r.index] }
            let layers = functionalLayers(inputEntries, entry: { $0.layer.kerasLayerConfig() }, inbound: { n in [n.inputs.map { ref($0) + [[String: Any]()] }] })
            top = ["class_name": "Functional", "config": ["name": name, "trainable": true, "layers": layers,
                                                          "input_layers": inputs.map { ref(TensorRef(layer: $0.name)) },
                                                          "output_layers": outputs.map(ref)]]
        }
        let data = try JSONSerialization.data(withJSONObject: top, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// A Functional config's `layers`, in tf.keras's layer order: the input layers, then each
    /// node's `entry` with its name and `inbound_nodes` (the two dialects differ only there).
    func functionalLayers(_ inputEntries: [[String: Any]], entry: (Node) -> [String: Any], inbound: (Node) -> [Any]) -> [[String: Any]] {
        var entries: [String: [String: Any]] = [:]
        for (i, e) in zip(inputs, inputEntries) {
            var e = e; e["name"] = i.name; e["inbound_nodes"] = [Any](); entries[i.name] = e
        }
        for n in nodes {
            var e = entry(n)
            e["name"] = n.layer.name
            e["inbound_nodes"] = inbound(n)
            entries[n.layer.name] = e
        }
        return kerasLayerOrder().compactMap { entries[$0] }
    }
}

extension Model {
    /// `hard_sigmoid` means different functions in Keras 2 and 3, and the file's
    /// `keras_version` says which: a model whose hard sigmoid is the other one is not written.
    func checkHardSigmoidMatchesVersion() throws {
        let version = kerasVersion ?? Model.exportedKerasVersion
        let keras3 = (Int(version.prefix { $0.isNumber }) ?? 2) >= 3
        for n in nodes {
            let acts: [Activation] = ((n.layer as? Recurrent) ?? (n.layer as? Bidirectional)?.forwardLayer).map { [$0.activation, $0.recurrentActivation] }
                ?? (n.layer as? Dense).map { [$0.activation] } ?? (n.layer as? ActivationLayer).map { [$0.activation] } ?? []
            for a in acts where a == (keras3 ? .hardSigmoid : .hardSigmoidKeras3) {
                throw RNNKitError.refusedValue(layer: n.layer.name, field: "activation", value: "hard_sigmoid",
                                               reason: "the model's hard sigmoid is Keras \(keras3 ? 2 : 3)'s and the file would say keras_version \(version)")
            }
        }
    }
}

extension Activation {
    /// The config value Keras reads back as this activation: its name, or an activation object.
    var kerasConfigValue: Any {
        switch self {
        case let .generalReLU(slope, maxValue, threshold):
            return ["class_name": "ReLU", "config": ["name": "re_lu", "trainable": true, "dtype": "float32", "negative_slope": slope,
                                                     "max_value": maxValue.map { $0 as Any } ?? NSNull(), "threshold": threshold] as [String: Any]] as [String: Any]
        case let .scaledELU(alpha):
            return ["class_name": "ELU", "config": ["name": "elu", "trainable": true, "dtype": "float32", "alpha": alpha] as [String: Any]] as [String: Any]
        default: return rawValue
        }
    }
}

// MARK: - Per-layer Keras configs (defaults as tf.keras 2.x writes them)

private func initializer(_ cls: String, _ config: [String: Any] = [:]) -> [String: Any] {
    ["class_name": cls, "config": config]
}
private let noRegularizers: [String: Any] = [
    "kernel_regularizer": NSNull(), "bias_regularizer": NSNull(), "activity_regularizer": NSNull(),
    "kernel_constraint": NSNull(), "bias_constraint": NSNull(),
]

extension Layer {
    /// The sub-scope Keras puts a recurrent cell's weights under (`lstm/lstm_cell/kernel:0`).
    var kerasCellScope: String? {
        (self as? Recurrent)?.cell.kerasCellScope
    }

    func kerasLayerConfig() -> [String: Any] {
        var c: [String: Any] = ["name": name, "trainable": true, "dtype": "float32"]
        switch self {
        case let e as Embedding:
            c.merge(["input_dim": e.inputDim, "output_dim": e.outputDim, "mask_zero": e.maskZero, "input_length": NSNull(),
                     "embeddings_initializer": initializer("RandomUniform", ["minval": -0.05, "maxval": 0.05, "seed": NSNull()]),
                     "embeddings_regularizer": NSNull(), "activity_regularizer": NSNull(), "embeddings_constraint": NSNull()]) { $1 }
        case let b as Bidirectional:
            var inner = b.forwardLayer
            inner.name = b.innerName
            inner.zeroOutputForMask = false          // tf_keras sets it itself
            c["layer"] = inner.kerasLayerConfig()
            c["merge_mode"] = b.mergeMode?.rawValue ?? NSNull()
        case let r as Recurrent:
            c.merge(noRegularizers) { $1 }
            c.merge(["units": r.units, "activation": r.activation.kerasConfigValue, "use_bias": r.useBias,
                     "return_sequences": r.returnSequences, "return_state": r.returnState, "go_backwards": r.goBackwards,
                     "stateful": false, "unroll": false, "time_major": false, "dropout": 0.0, "recurrent_dropout": 0.0,
                     "kernel_initializer": initializer("GlorotUniform", ["seed": NSNull()]),
                     "recurrent_initializer": initializer("Orthogonal", ["gain": 1.0, "seed": NSNull()]),
                     "bias_initializer": initializer("Zeros"),
                     "recurrent_regularizer": NSNull(), "recurrent_constraint": NSNull()]) { $1 }
            if r.cell.usesRecurrentActivation { c["recurrent_activation"] = r.recurrentActivation.kerasConfigValue; c["implementation"] = 2 }
            c.merge(r.cell.facts.kerasOptions) { $1 }
            if r.zeroOutputForMask { c["zero_output_for_mask"] = true }
        case let d as Dense:
            var dc: [String: Any] = ["name": d.innerName ?? d.name, "trainable": true, "dtype": "float32", "units": d.units,
                                     "activation": d.activation.kerasConfigValue, "use_bias": d.useBias,
                                     "kernel_initializer": initializer("GlorotUniform", ["seed": NSNull()]),
                                     "bias_initializer": initializer("Zeros")]
            dc.merge(noRegularizers) { $1 }
            if d.timeDistributed {
                c["layer"] = ["class_name": "Dense", "config": dc] as [String: Any]
            } else {
                c = dc; c["name"] = d.name
            }
        case is Flatten: c["data_format"] = "channels_last"
        case let r as RepeatVector: c["n"] = r.n
        case let d as Dropout: c.merge(["rate": d.rate, "noise_shape": NSNull(), "seed": NSNull()]) { $1 }
        case let a as ActivationLayer: if a.appliesMask { c["axis"] = -1 } else { c["activation"] = a.activation.kerasConfigValue }
        case let m as Masking: c["mask_value"] = Double(m.maskValue)
        default: break
        }
        return ["class_name": kerasClassName, "config": c]
    }
}
