/// The order tf.keras gives a Functional model's layers (`model.layers`, and so the
/// `layer_names` it saves and the positions `load_model` matches weights by): Keras's
/// `_map_graph_network`. A depth-first walk from the outputs numbers layers in traversal
/// order; a layer's depth is 0 at an output and otherwise one more than the deepest of its
/// consumers; layers are listed by decreasing depth, ties in traversal order. Input layers
/// are included (they are the deepest).
extension Model {
    func kerasLayerOrder() -> [String] {
        var traversal: [String: Int] = [:], finished = Set<String>(), finishOrder: [String] = []
        // By name once, so the walk stays linear in the number of layers.
        var inputsOf: [String: [TensorRef]] = [:]
        for n in nodes { inputsOf[n.layer.name] = n.inputs }
        func visit(_ layer: String) {
            guard !finished.contains(layer) else { return }
            if traversal[layer] == nil { traversal[layer] = traversal.count }
            for ref in inputsOf[layer] ?? [] { visit(ref.layer) }
            finished.insert(layer)
            finishOrder.append(layer)
        }
        for o in outputs { visit(o.layer) }
        var depth: [String: Int] = [:]
        for layer in finishOrder.reversed() {
            let d = depth[layer, default: 0]
            depth[layer] = d
            for ref in inputsOf[layer] ?? [] { depth[ref.layer] = max(d + 1, depth[ref.layer] ?? 0) }
        }
        return finishOrder.sorted { a, b in
            depth[a]! != depth[b]! ? depth[a]! > depth[b]! : traversal[a]! < traversal[b]!
        }
    }
}
