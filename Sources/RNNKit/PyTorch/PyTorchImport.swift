import Foundation
import HDF5Kit

/// PyTorch state dicts in the kit's HDF5 layout (docs/FORMATS.md "PyTorch state dicts", written
/// by tools/pytorch/export_state_dict.py): `/@kit_format = "pytorch-state-dict"`,
/// `/@architecture` (JSON: input steps/features, the modules in forward order) and
/// `/state_dict/<module>.<param>` with PyTorch's names and shapes.
///
/// The model is converted into the kit's Keras structures: each module becomes the Keras layer
/// config that computes the same thing, built by the Keras loader's own factory, and its
/// weights are rearranged into Keras's order. PyTorch's LSTM gates (i, f, g, o) are Keras's
/// (i, f, c~, o); its GRU (r, z, n, with n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))) is
/// Keras's `reset_after=True` GRU with the blocks reordered to (z, r, h~) and the two biases
/// as its `[2, 3H]` bias rows; an RNN/LSTM's b_ih + b_hh is Keras's single bias.
extension Model {
    public static let pyTorchFormat = "pytorch-state-dict"

    /// Whether the open file is a PyTorch state dict in the kit's layout.
    static func isPyTorchStateDict(_ file: HDF5File) -> Bool {
        file.root.hasAttribute("kit_format") && (try? file.root.stringAttribute("kit_format")) == pyTorchFormat
    }

    public static func loadPyTorch(path: String) throws -> Model {
        let file = try HDF5File(path: path)
        guard isPyTorchStateDict(file) else {
            throw RNNKitError.unsupportedFormat(path: path, reason: "is not a PyTorch state dict in the kit's layout (no kit_format = \"\(pyTorchFormat)\")")
        }
        return try loadPyTorch(file: file)
    }

    static func loadPyTorch(file: HDF5File) throws -> Model {
        let path = file.path, root = file.root
        func fail(_ why: String) -> RNNKitError { .unsupportedFormat(path: path, reason: why) }
        if root.hasAttribute("format_version") {
            let v = try root.numericAttribute("format_version", as: Int64.self)
            guard v == [1] else { throw fail("has PyTorch layout version \(v), the kit reads version 1") }
        }
        guard root.hasAttribute("architecture"),
              let arch = try? JSONSerialization.jsonObject(with: Data(try root.stringAttribute("architecture").utf8)) as? [String: Any],
              let input = arch["input"] as? [String: Any], let specs = arch["layers"] as? [[String: Any]], !specs.isEmpty else {
            throw fail("has no architecture attribute of the form {\"input\": {…}, \"layers\": [{…}, …]} (PyTorch layout)")
        }
        guard root.kind(of: "state_dict") == .group else { throw fail("has no state_dict group (PyTorch layout)") }
        let sd = try root.openGroup("state_dict")
        var unused = Set(try sd.childNames())
        func tensor(_ key: String, _ module: String) throws -> Tensor {
            guard sd.kind(of: key) == .dataset else { throw RNNKitError.missingWeights(layer: module, detail: "no state_dict entry \(key)") }
            unused.remove(key)
            let d = try sd.openDataset(key)
            guard case .float(32) = try d.elementType() else {
                throw RNNKitError.refusedValue(layer: module, field: "weight \(key)", value: "\(try d.elementType())", reason: "the kit reads float32 weights only")
            }
            let values = try d.read(Float.self)
            if let bad = values.firstIndex(where: { !$0.isFinite }) {
                throw RNNKitError.nonFiniteWeight(layer: module, weight: key, index: bad, value: "\(values[bad])")
            }
            return Tensor(shape: try d.shape(), data: values)
        }
        func has(_ key: String) -> Bool { sd.kind(of: key) == .dataset }

        let steps = jsonInt(input["steps"])
        let features = jsonInt(input["features"])
        let inputShape: Shape = features.map { [nil, steps, $0] } ?? [nil, steps]
        let modelInput = ModelInput(name: "input", shape: inputShape, dtype: features == nil ? "int64" : "float32")
        var layers: [any Layer] = []
        var shape = inputShape
        // Builds one Keras layer from its config with the loader's factory, then sets its weights.
        func add(_ className: String, _ config: [String: Any], _ weights: [Tensor]) throws {
            var layer = try KerasLayerFactory.make(try KerasLayerConfig(["class_name": className, "config": config]), inputs: [shape])
            let expected = try layer.expectedWeightShapes(inputs: [shape])
            guard expected.count == weights.count else {
                throw RNNKitError.missingWeights(layer: layer.name, detail: "\(weights.count) weights converted, \(expected.count) expected")
            }
            for (e, t) in zip(expected, weights) where e.shape != t.shape {
                throw RNNKitError.weightShapeMismatch(layer: layer.name, weight: e.name, expected: e.shape, found: t.shape)
            }
            layer.setWeights(weights)
            shape = try layer.outputShapes(inputs: [shape])[0]
            layers.append(layer)
        }
        for (index, spec) in specs.enumerated() {
            guard let module = spec["module"] as? String, let type = spec["type"] as? String else {
                throw fail("architecture layer \(index) lacks module/type")
            }
            switch type {
            case "Embedding":
                guard index == 0, features == nil else { throw fail("an Embedding must be the first layer, on token ids (input features null)") }
                let e = try tensor("\(module).weight", module)
                guard e.rank == 2 else { throw RNNKitError.weightShapeMismatch(layer: module, weight: "weight", expected: [-1, -1], found: e.shape) }
                try add("Embedding", ["name": module, "input_dim": e.shape[0], "output_dim": e.shape[1]], [e])
            case "RNN", "LSTM", "GRU":
                if has("\(module).weight_ih_l0_reverse") { throw RNNKitError.unsupportedOption(layer: module, option: "bidirectional", value: "True") }
                if has("\(module).weight_hr_l0") { throw RNNKitError.unsupportedOption(layer: module, option: "proj_size", value: "> 0") }
                let output = (spec["output"] as? String) ?? "last"
                guard output == "last" || output == "sequence" else {
                    throw RNNKitError.unsupportedOption(layer: module, option: "output", value: output + " (last or sequence)")
                }
                var count = 0
                while has("\(module).weight_ih_l\(count)") { count += 1 }
                guard count > 0 else { throw RNNKitError.missingWeights(layer: module, detail: "no state_dict entry \(module).weight_ih_l0") }
                let gates = type == "RNN" ? 1 : type == "LSTM" ? 4 : 3
                for l in 0..<count {
                    let wi = try tensor("\(module).weight_ih_l\(l)", module), wh = try tensor("\(module).weight_hh_l\(l)", module)
                    guard wh.rank == 2, wh.shape[0] % gates == 0, wh.shape[0] / gates == wh.shape[1], wi.rank == 2, wi.shape[0] == wh.shape[0] else {
                        throw RNNKitError.weightShapeMismatch(layer: module, weight: "weight_hh_l\(l)", expected: [gates * max(wh.shape.last ?? 0, 1), wh.shape.last ?? 0], found: wh.shape)
                    }
                    let H = wh.shape[1]
                    let useBias = has("\(module).bias_ih_l\(l)")
                    let bi = useBias ? try tensor("\(module).bias_ih_l\(l)", module) : nil
                    let bh = useBias ? try tensor("\(module).bias_hh_l\(l)", module) : nil
                    let name = count == 1 ? module : "\(module)_l\(l)"
                    var config: [String: Any] = ["name": name, "units": H, "use_bias": useBias,
                                                 "return_sequences": l < count - 1 || output == "sequence"]
                    // PyTorch row blocks → Keras column blocks: LSTM same order; GRU (r, z, n) → (z, r, h~).
                    let order = type == "GRU" ? [1, 0, 2] : Array(0..<gates)
                    var weights = [transposeBlocks(wi, blocks: order, size: H), transposeBlocks(wh, blocks: order, size: H)]
                    switch type {
                    case "GRU":
                        config["reset_after"] = true
                        if let bi, let bh {
                            weights.append(Tensor(shape: [2, 3 * H], data: reorder(bi, order, H).data + reorder(bh, order, H).data))
                        }
                    default:
                        if type == "RNN" {
                            let nl = (spec["nonlinearity"] as? String) ?? "tanh"
                            guard nl == "tanh" || nl == "relu" else { throw RNNKitError.unsupportedOption(layer: module, option: "nonlinearity", value: nl) }
                            config["activation"] = nl
                        }
                        // Keras has one bias: b_ih + b_hh (one float32 rounding, far below 1e-5).
                        if let bi, let bh { weights.append(Tensor(shape: [gates * H], data: zip(bi.data, bh.data).map { $0 + $1 })) }
                    }
                    try add(type == "RNN" ? "SimpleRNN" : type, config, weights)
                }
            case "Linear":
                let w = try tensor("\(module).weight", module)
                guard w.rank == 2 else { throw RNNKitError.weightShapeMismatch(layer: module, weight: "weight", expected: [-1, -1], found: w.shape) }
                let useBias = has("\(module).bias")
                let activation = (spec["activation"] as? String) ?? "linear"
                guard ["linear", "softmax", "sigmoid"].contains(activation) else {
                    throw RNNKitError.unsupportedOption(layer: module, option: "activation", value: activation + " (linear, softmax or sigmoid)")
                }
                try add("Dense", ["name": module, "units": w.shape[0], "activation": activation, "use_bias": useBias],
                        [transposeBlocks(w, blocks: [0], size: w.shape[0])] + (useBias ? [try tensor("\(module).bias", module)] : []))
            default:
                throw RNNKitError.unsupportedLayer(kind: "torch.nn.\(type)", name: module)
            }
        }
        // A weight no layer used means the architecture record does not describe the model.
        if let extra = unused.sorted().first {
            throw fail("state_dict/\(extra) is used by no layer of the architecture (\(unused.count) unused)")
        }
        return try Model.sequential(name: "pytorch", input: modelInput, layers: layers)
    }
}

/// `[blocks·size, D]` (PyTorch's stacked gate rows) → `[D, blocks·size]` with the row blocks
/// taken in `blocks` order (Keras's columns).
func transposeBlocks(_ w: Tensor, blocks: [Int], size: Int) -> Tensor {
    let D = w.shape[1]
    var out = [Float](repeating: 0, count: D * blocks.count * size)
    let width = blocks.count * size
    for (j, b) in blocks.enumerated() {
        for r in 0..<size {
            let src = (b * size + r) * D, col = j * size + r
            for d in 0..<D { out[d * width + col] = w.data[src + d] }
        }
    }
    return Tensor(shape: [D, width], data: out)
}

/// A bias vector's blocks in `order`.
func reorder(_ b: Tensor, _ order: [Int], _ size: Int) -> Tensor {
    Tensor(shape: [order.count * size], data: order.flatMap { b.data[($0 * size)..<(($0 + 1) * size)] })
}
