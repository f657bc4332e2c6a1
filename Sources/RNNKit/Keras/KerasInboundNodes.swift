import Foundation

/// The tensors a Functional layer consumes, from its `inbound_nodes` in either format:
/// tf.keras 2 lists `[layer, node, index, kwargs]` entries; Keras 3 writes one
/// `{"args": […], "kwargs": {…}}` object per call, each tensor a `__keras_tensor__` whose
/// `keras_history` is `[layer, node, index]`. Initial states (`initial_state=`) follow the
/// main input, as the kit's recurrent layers take them.
extension Model {
    static func inboundRefs(_ e: KerasLayerConfig) throws -> [TensorRef] {
        guard let nodes = e.raw["inbound_nodes"] as? [Any], !nodes.isEmpty else {
            throw RNNKitError.invalidConfig("layer '\(e.name)' has no inbound_nodes")
        }
        guard nodes.count == 1 else { throw RNNKitError.unsupportedOption(layer: e.name, option: "shared layer (inbound nodes)", value: "\(nodes.count)") }
        if let call = nodes[0] as? [String: Any] { return try keras3Call(call, layer: e.name) }
        guard let entries = nodes[0] as? [Any] else {
            throw RNNKitError.invalidConfig("layer '\(e.name)': inbound node is \(jsonText(nodes[0])), neither a Keras 2 list nor a Keras 3 {args, kwargs} object")
        }
        var refs: [TensorRef] = []
        for entry in entries {
            guard let a = entry as? [Any], a.count >= 3, let layer = a[0] as? String, let node = jsonInt(a[1]), let idx = jsonInt(a[2]), idx >= 0 else {
                throw RNNKitError.invalidConfig("layer '\(e.name)': malformed inbound entry \(jsonText(entry))")
            }
            guard node == 0 else { throw RNNKitError.unsupportedOption(layer: e.name, option: "input from node", value: "\(node) of \(layer)") }
            refs.append(TensorRef(layer: layer, index: idx))
            if a.count > 3, let kwargs = a[3] as? [String: Any] {
                refs += try callKeywords(kwargs, layer: e.name) { s in
                    guard let s = s as? [Any], s.count >= 3, let l = s[0] as? String, let i = jsonInt(s[2]), i >= 0 else {
                        throw RNNKitError.invalidConfig("layer '\(e.name)': malformed initial_state entry")
                    }
                    return TensorRef(layer: l, index: i)
                }
            }
        }
        return refs
    }

    /// A Keras 3 call: tensors among the positional `args` (a tensor or a list of them), then
    /// `initial_state`. Any other argument changes the call and is refused.
    private static func keras3Call(_ call: [String: Any], layer: String) throws -> [TensorRef] {
        var refs: [TensorRef] = []
        for arg in call["args"] as? [Any] ?? [] {
            if let list = arg as? [Any] { refs += try list.map { try keras3Tensor($0, layer: layer) } } else { refs.append(try keras3Tensor(arg, layer: layer)) }
        }
        guard !refs.isEmpty else { throw RNNKitError.invalidConfig("layer '\(layer)': a Keras 3 call without tensor arguments") }
        return refs + (try callKeywords(call["kwargs"] as? [String: Any] ?? [:], layer: layer) { try keras3Tensor($0, layer: layer) })
    }

    private static func keras3Tensor(_ v: Any, layer: String) throws -> TensorRef {
        guard let d = v as? [String: Any], d["class_name"] as? String == "__keras_tensor__",
              let h = (d["config"] as? [String: Any])?["keras_history"] as? [Any], h.count >= 3,
              let l = h[0] as? String, let node = jsonInt(h[1]), let i = jsonInt(h[2]), i >= 0 else {
            throw RNNKitError.unsupportedOption(layer: layer, option: "call argument", value: jsonText(v))
        }
        guard node == 0 else { throw RNNKitError.unsupportedOption(layer: layer, option: "input from node", value: "\(node) of \(l)") }
        return TensorRef(layer: l, index: i)
    }

    /// Keyword arguments of a call: `initial_state` (tensors), `training` (inference ignores
    /// it) and a null `mask`; anything else is refused by name.
    private static func callKeywords(_ kwargs: [String: Any], layer: String, tensor: (Any) throws -> TensorRef) throws -> [TensorRef] {
        var refs: [TensorRef] = []
        for (k, v) in kwargs.sorted(by: { $0.key < $1.key }) {
            switch k {
            case "initial_state":
                if v is NSNull { continue }
                // One tensor (Keras 3 object or a Keras 2 entry list) or a list of them.
                let items: [Any] = (v as? [Any]).map { $0.first is String ? [$0] : $0 } ?? [v]
                refs += try items.map(tensor)
            case "training": continue
            case "mask" where v is NSNull: continue
            default: throw RNNKitError.unsupportedOption(layer: layer, option: "call argument \(k)", value: jsonText(v))
            }
        }
        return refs
    }
}
