import Foundation
import HDF5Kit

/// Import of Keras legacy HDF5 models (what tf.keras 2.x `model.save("x.h5")` writes):
/// the `model_config` JSON attribute gives the graph, `model_weights/<layer>` with its
/// `weight_names` attribute gives the weights. `optimizer_weights` is ignored.
extension Model {
    /// Reads the model in the file at `path`: `model_config` and `model_weights` (tf.keras 2 or
    /// Keras 3 `.h5`), or a Keras `.keras` archive. With `config` (a JSON file: `to_json()`
    /// or a `.keras` archive's `config.json`) the architecture comes from there and `path` may
    /// hold weights only: a Keras 3 `.weights.h5`, a tf.keras `save_weights` `.h5`.
    /// See KerasModel+Files.swift.
    public static func loadKeras(path: String, config: String? = nil) throws -> Model {
        try loadKerasFile(path: path, config: config)
    }

    /// Reads a model from an open file; `configAttribute` names the root attribute holding
    /// the Keras config (kit files that Keras must not load use another name).
    public static func loadKeras(file: HDF5File, configAttribute: String = "model_config") throws -> Model {
        let path = file.path
        guard file.root.hasAttribute(configAttribute) else {
            throw RNNKitError.notAKerasModel(path: path, reason: "no \(configAttribute) attribute on the root group")
        }
        let top = try parseKerasConfig(try file.root.stringAttribute(configAttribute), path: path, attribute: configAttribute)
        let weights: HDF5Group = file.root.contains("model_weights") ? try file.root.openGroup("model_weights") : file.root
        let version = try? file.root.stringAttribute("keras_version")
        var model = try fromKerasConfig(top, weights: .legacy(weights), keras3: KerasDialect.isKeras3(version: version, config: top))
        model.kerasVersion = version
        model.backend = try? file.root.stringAttribute("backend")
        return model
    }

    /// Builds a model from the text of a `model_config` attribute, its weights from `weights`
    /// (a file's `model_weights` group; without it every layer that has weights is refused
    /// with `RNNKitError.missingWeights`). Bad JSON is `RNNKitError.notAKerasModel`.
    /// `kerasVersion` decides version-dependent names (`hard_sigmoid`); without it the config's
    /// own `keras_version` or Keras 3 markers do (`KerasDialect`).
    public static func fromKerasConfig(json: String, weights: HDF5Group?, kerasVersion: String? = nil) throws -> Model {
        let top = try parseKerasConfig(json, path: "model_config", attribute: "model_config")
        return try fromKerasConfig(top, weights: weights.map { .legacy($0) }, keras3: KerasDialect.isKeras3(version: kerasVersion, config: top))
    }

    /// The top-level JSON object of a `model_config` text.
    static func parseKerasConfig(_ json: String, path: String, attribute: String) throws -> [String: Any] {
        guard let parsed = try? JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed]) else {
            throw RNNKitError.notAKerasModel(path: path, reason: "\(attribute) is not JSON")
        }
        guard let top = parsed as? [String: Any] else {
            let found = parsed is [Any] ? "a list" : parsed is String ? "a string" : parsed is NSNumber ? "a number" : "null"
            throw RNNKitError.notAKerasModel(path: path, reason: "\(attribute) is JSON but \(found), not an object")
        }
        return top
    }

    /// Builds the graph from a parsed `model_config` and fills weights from `weights`.
    static func fromKerasConfig(_ top: [String: Any], weights: KerasWeightStore?, keras3: Bool? = false) throws -> Model {
        guard let cls = top["class_name"] as? String, top["config"] != nil else {
            throw RNNKitError.invalidConfig("no class_name/config at the top level")
        }
        // Keras <= 2.1 wrote a Sequential's config as the bare list of its layers.
        let cfg: [String: Any]
        if cls == "Sequential", let list = top["config"] as? [Any] {
            cfg = ["name": "sequential", "layers": list]
        } else {
            guard let c = top["config"] as? [String: Any] else { throw RNNKitError.invalidConfig("the top-level config of \(cls) is not an object") }
            cfg = c
        }
        try KerasLayerConfig(["class_name": cls, "config": cfg], keras3: keras3).checkDType()
        let name = (cfg["name"] as? String) ?? "model"
        guard let layerList = cfg["layers"] as? [Any] else { throw RNNKitError.invalidConfig("no layer list") }
        guard layerList.count <= KerasLimits.maxLayers else {
            throw RNNKitError.invalidConfig("\(layerList.count) layers, more than the kit's bound of \(KerasLimits.maxLayers)")
        }
        let entries = try layerList.map { try KerasLayerConfig($0, keras3: keras3) }
        // Keras: "All layer names should be unique."
        var seen = Set<String>()
        for e in entries where !seen.insert(e.name).inserted {
            throw RNNKitError.invalidConfig("two layers are named '\(e.name)' (Keras requires unique layer names)")
        }
        switch cls {
        case "Sequential": return try sequential(name: name, entries, weights: weights)
        case "Functional", "Model": return try functional(name: name, cfg, entries, weights: weights)
        default: throw RNNKitError.invalidConfig("model class \(cls) (expected Sequential or Functional)")
        }
    }

    private static func sequential(name: String, _ entries: [KerasLayerConfig], weights: KerasWeightStore?) throws -> Model {
        guard let first = entries.first else { throw RNNKitError.invalidConfig("Sequential model without layers") }
        let input: ModelInput
        var rest = entries[...]
        if first.className == "InputLayer" {
            try first.checkFields(); try first.checkDType()
            guard let shape = try first.batchInputShape() else { throw RNNKitError.invalidConfig("InputLayer without batch_input_shape") }
            input = ModelInput(name: first.name, shape: shape, dtype: first.string("dtype", default: "float32"))
            rest = rest.dropFirst()
        } else {
            guard let shape = try first.batchInputShape() else { throw RNNKitError.invalidConfig("first layer '\(first.name)' has no batch_input_shape") }
            input = ModelInput(name: first.name + "_input", shape: shape, dtype: first.string("dtype", default: "float32"))
        }
        var previous = TensorRef(layer: input.name)
        var shapes: [TensorRef: Shape] = [previous: input.shape]
        var nodes: [Node] = []
        for e in rest {
            let node = try buildNode(e, inputs: [previous], shapes: &shapes, weights: weights)
            nodes.append(node)
            previous = TensorRef(layer: e.name)
        }
        return try Model(name: name, isSequential: true, inputs: [input], nodes: nodes, outputs: [previous])
    }

    private static func functional(name: String, _ cfg: [String: Any], _ entries: [KerasLayerConfig], weights: KerasWeightStore?) throws -> Model {
        var inputs: [ModelInput] = []
        var shapes: [TensorRef: Shape] = [:]
        var pending: [(KerasLayerConfig, [TensorRef])] = []
        for e in entries {
            if e.className == "InputLayer" {
                try e.checkFields(); try e.checkDType()
                guard let shape = try e.batchInputShape() else { throw RNNKitError.invalidConfig("InputLayer '\(e.name)' without batch_input_shape") }
                inputs.append(ModelInput(name: e.name, shape: shape, dtype: e.string("dtype", default: "float32")))
                shapes[TensorRef(layer: e.name)] = shape
            } else {
                // The class first: an unsupported layer's call (a TFOpLambda slice) may be in a form the kit cannot parse.
                guard KerasLayerFactory.supportedClasses.contains(e.className) else { throw RNNKitError.unsupportedLayer(kind: e.className, name: e.name) }
                pending.append((e, try inboundRefs(e)))
            }
        }
        // Keras lists layers in creation order, which may not be topological: place each
        // layer once everything it consumes exists, the earliest listed first among those
        // ready (Kahn's algorithm with a heap: linear-logarithmic, 30k layers in milliseconds).
        var producer: [String: Int] = [:]
        for (i, p) in pending.enumerated() { producer[p.0.name] = i }
        var waitingOn = [Int](repeating: 0, count: pending.count)
        var consumers = [[Int]](repeating: [], count: pending.count)
        for (i, p) in pending.enumerated() {
            for producerIndex in Set(p.1.compactMap { producer[$0.layer] }) {
                waitingOn[i] += 1
                consumers[producerIndex].append(i)
            }
        }
        var ready = MinHeap(pending.indices.filter { waitingOn[$0] == 0 })
        var nodes: [Node] = []
        nodes.reserveCapacity(pending.count)
        while let i = ready.pop() {
            let (e, refs) = pending[i]
            if let missing = refs.first(where: { shapes[$0] == nil }) {
                throw RNNKitError.invalidConfig("layer '\(e.name)' consumes \(missing.layer)[\(missing.index)], which nothing produces")
            }
            nodes.append(try buildNode(e, inputs: refs, shapes: &shapes, weights: weights))
            for c in consumers[i] {
                waitingOn[c] -= 1
                if waitingOn[c] == 0 { ready.push(c) }
            }
        }
        if nodes.count < pending.count {
            let stuck = pending.indices.filter { waitingOn[$0] > 0 }.prefix(5).map { pending[$0].0.name }
            throw RNNKitError.invalidConfig("layers \(stuck)\(pending.count - nodes.count > 5 ? " and others" : "") consume tensors nothing produces (a cycle?)")
        }
        // `input_layers` fixes the order of the model's inputs.
        let order = try refList(cfg["input_layers"], "input_layers").map(\.layer)
        inputs.sort { (order.firstIndex(of: $0.name) ?? .max) < (order.firstIndex(of: $1.name) ?? .max) }
        let outputs = try refList(cfg["output_layers"], "output_layers")
        return try Model(name: name, isSequential: false, inputs: inputs, nodes: nodes, outputs: outputs)
    }

    private static func refList(_ v: Any?, _ what: String) throws -> [TensorRef] {
        guard let list = v as? [Any] else { throw RNNKitError.invalidConfig("\(what) missing") }
        // A single ref may be written unwrapped: ["name", 0, 0].
        let items: [Any] = (list.first is String) ? [list] : list
        return try items.map { item in
            guard let a = item as? [Any], a.count >= 3, let l = a[0] as? String, let i = jsonInt(a[2]), i >= 0 else {
                throw RNNKitError.invalidConfig("malformed entry in \(what)")
            }
            return TensorRef(layer: l, index: i)
        }
    }

    /// Builds one layer for the given input shapes, loads and checks its weights, records
    /// its output shapes.
    private static func buildNode(_ e: KerasLayerConfig, inputs: [TensorRef], shapes: inout [TensorRef: Shape],
                                  weights: KerasWeightStore?) throws -> Node {
        let inShapes = try inputs.map { ref -> Shape in
            guard let s = shapes[ref] else { throw RNNKitError.invalidConfig("layer '\(e.name)' consumes \(ref.layer)[\(ref.index)], which nothing produces") }
            return s
        }
        try KerasLayerFactory.validate(e)
        // Sizes in the config are compared with the weights really stored before the layer
        // (and its weight tensors) is built: a forged `units` costs nothing.
        if let declared = KerasLayerFactory.declaredParameters(e, inputs: inShapes) {
            guard let weights else { throw RNNKitError.missingWeights(layer: e.name, detail: "no weights in the file") }
            // A small disagreement is left to the per-weight shape check, whose message is precise.
            let stored = try storedParameterCount(of: e.name, in: weights)
            guard stored == declared || declared <= cheapToBuild else {
                throw RNNKitError.missingWeights(layer: e.name, detail: "model_config declares \(declared == .max ? "more than Int.max" : "\(declared)") parameters, the file stores \(stored)")
            }
        }
        var layer = try KerasLayerFactory.make(e, inputs: inShapes)
        let expected = try layer.expectedWeightShapes(inputs: inShapes)
        if !expected.isEmpty {
            guard let weights else { throw RNNKitError.missingWeights(layer: layer.name, detail: "no weights in the file") }
            layer.setWeights(try readWeights(of: layer.name, expected: expected, from: weights))
        }
        for (i, s) in try layer.outputShapes(inputs: inShapes).enumerated() { shapes[TensorRef(layer: layer.name, index: i)] = s }
        return Node(layer: layer, inputs: inputs)
    }

    /// Parameters a layer may declare beyond what the file stores and still be built (16 MiB
    /// of float32) before the per-weight shape check refuses it.
    static let cheapToBuild = 1 << 22

    /// Elements of the layer's stored weights (shapes only, nothing read).
    static func storedParameterCount(of layer: String, in store: KerasWeightStore) throws -> Int {
        var total = 0
        for (name, ds) in try store.datasets(of: layer) {
            let shape = try ds.shape()
            var n = 1
            for d in shape {
                let (p, o) = n.multipliedReportingOverflow(by: d)
                guard !o else { throw RNNKitError.missingWeights(layer: layer, detail: "weight \(name) declares shape \(shape), too large") }
                n = p
            }
            let (t, o) = total.addingReportingOverflow(n)
            guard !o else { throw RNNKitError.missingWeights(layer: layer, detail: "weights too large") }
            total = t
        }
        return total
    }

    /// Reads the layer's stored weights, in Keras order, checked against `expected`. Every
    /// value must be finite: NaN (and ±Inf, which turns into NaN at the first 0·∞ or ∞−∞ of a
    /// GEMM) would make every prediction and every decomposition number meaningless.
    static func readWeights(of layer: String, expected: [(name: String, shape: [Int])], from store: KerasWeightStore) throws -> [Tensor] {
        let stored = try store.datasets(of: layer)
        guard stored.count == expected.count else {
            throw RNNKitError.missingWeights(layer: layer, detail: "\(stored.count) weights stored, \(expected.count) expected (\(expected.map(\.name).joined(separator: ", ")))")
        }
        return try zip(stored, expected).map { stored, want in
            let (name, ds) = stored
            let shape = try ds.shape()
            guard shape == want.shape else {
                throw RNNKitError.weightShapeMismatch(layer: layer, weight: name, expected: want.shape, found: shape)
            }
            guard case .float(32) = try ds.elementType() else {
                throw RNNKitError.refusedValue(layer: layer, field: "weight \(name)", value: "\(try ds.elementType())", reason: "the kit reads float32 weights only")
            }
            let values = try ds.read(Float.self)
            if let bad = values.firstIndex(where: { !$0.isFinite }) {
                throw RNNKitError.nonFiniteWeight(layer: layer, weight: name, index: bad, value: "\(values[bad])")
            }
            return Tensor(shape: shape, data: values)
        }
    }
}

/// The smallest-first heap of indices Kahn's algorithm takes ready layers from.
struct MinHeap {
    private var a: [Int]
    init(_ xs: [Int]) { a = []; a.reserveCapacity(xs.count); for x in xs { push(x) } }
    mutating func push(_ x: Int) {
        a.append(x)
        var i = a.count - 1
        while i > 0, a[(i - 1) / 2] > a[i] { a.swapAt(i, (i - 1) / 2); i = (i - 1) / 2 }
    }
    mutating func pop() -> Int? {
        guard let top = a.first else { return nil }
        a.swapAt(0, a.count - 1)
        a.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < a.count, a[l] < a[m] { m = l }
            if r < a.count, a[r] < a[m] { m = r }
            if m == i { return top }
            a.swapAt(i, m); i = m
        }
    }
}
