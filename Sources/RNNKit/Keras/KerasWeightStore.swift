import HDF5Kit

/// Where each layer's weights are in a file, in Keras order.
enum KerasWeightStore {
    /// tf.keras 2 (and Keras 3 legacy `.h5`): `model_weights/<layer>` — or the root of a
    /// `save_weights` file — with a `weight_names` attribute naming its datasets.
    case legacy(HDF5Group)
    /// Keras 3 `.weights.h5` (also `model.weights.h5` in a `.keras` archive): one group per
    /// layer under `layers/`, keyed by class (`dense_1` may sit under `layers/dense`), whose
    /// `vars` group carries the layer's real name; weights are `vars/0`, `vars/1`, … then a
    /// recurrent cell's `cell/vars/…`, a wrapped layer's `layer/vars/…`, or a Bidirectional's
    /// `forward_layer/cell/vars/…` then `backward_layer/cell/vars/…`. `paths` maps layer
    /// names to dataset paths below `root`; `unknown` the layers with weights the kit does
    /// not know where to put (refused when the layer's weights are asked for).
    case keras3(root: HDF5Group, paths: [String: [String]], unknown: [String: String])

    /// The stored weights of `layer`: their names (for messages) and datasets.
    func datasets(of layer: String) throws -> [(String, HDF5Dataset)] {
        switch self {
        case let .legacy(group):
            guard group.kind(of: layer) == .group else { throw RNNKitError.missingWeights(layer: layer, detail: "no group '\(layer)'") }
            let g = try group.openGroup(layer)
            return try g.stringArrayAttribute("weight_names").map { name in
                // Present but not a plain dataset (an external link): openDataset says why.
                guard g.contains(name) else { throw RNNKitError.missingWeights(layer: layer, detail: "no dataset '\(name)' named in weight_names") }
                return (name, try g.openDataset(name))
            }
        case let .keras3(root, paths, unknown):
            if let detail = unknown[layer] { throw RNNKitError.missingWeights(layer: layer, detail: detail) }
            guard let p = paths[layer] else {
                throw RNNKitError.missingWeights(layer: layer, detail: "no group under layers/ whose vars are named '\(layer)'")
            }
            return try p.map { ($0, try root.openDataset($0)) }
        }
    }

    /// Indexes a Keras 3 weights file. Weights in a sub-group the kit does not know (an
    /// activation object's own, e.g. PReLU's alpha) are refused rather than left out.
    static func keras3(_ root: HDF5Group, file: String) throws -> KerasWeightStore {
        guard root.kind(of: "layers") == .group else {
            throw RNNKitError.notAKerasModel(path: file, reason: "no layers group (not a Keras 3 .weights.h5)")
        }
        let layers = try root.openGroup("layers")
        var paths: [String: [String]] = [:], unknown: [String: String] = [:]
        for key in try layers.childNames() where layers.kind(of: key) == .group {
            let g = try layers.openGroup(key)
            var name = key
            if g.kind(of: "vars") == .group, let n = try? g.openGroup("vars").stringAttribute("name") { name = n }
            var found = try vars(g, "layers/\(key)")
            // A Bidirectional's two directions: forward_layer/ then backward_layer/, each with its cell/.
            let known: [String: [String]] = ["cell": [], "layer": [], "forward_layer": ["cell"], "backward_layer": ["cell"]]
            let order = ["cell", "layer", "forward_layer", "backward_layer"]
            for sub in try g.childNames().sorted(by: { (order.firstIndex(of: $0) ?? .max, $0) < (order.firstIndex(of: $1) ?? .max, $1) })
            where sub != "vars" && g.kind(of: sub) == .group {
                let sg = try g.openGroup(sub)
                var more = try vars(sg, "layers/\(key)/\(sub)")
                for inner in try sg.childNames() where inner != "vars" && sg.kind(of: inner) == .group {
                    let deeper = try vars(try sg.openGroup(inner), "layers/\(key)/\(sub)/\(inner)")
                    guard known[sub]?.contains(inner) == true || deeper.isEmpty else {
                        unknown[name] = "layers/\(key)/\(sub)/\(inner) holds \(deeper.count) weights the kit does not know"
                        continue
                    }
                    more += deeper
                }
                guard known[sub] != nil || more.isEmpty else {
                    unknown[name] = "layers/\(key)/\(sub) holds \(more.count) weights the kit does not know"
                    continue
                }
                found += more
            }
            guard paths[name] == nil else { throw RNNKitError.invalidConfig("two weight groups are named '\(name)' in \(file)") }
            paths[name] = found
        }
        return .keras3(root: root, paths: paths, unknown: unknown)
    }

    /// `<path>/vars/0`, `1`, … in numeric order, and the same below nested groups other than
    /// `vars` (a cell inside a cell).
    private static func vars(_ g: HDF5Group, _ path: String) throws -> [String] {
        guard g.kind(of: "vars") == .group else { return [] }
        let v = try g.openGroup("vars")
        let names = try v.childNames()
        let indices = names.compactMap(Int.init).sorted()
        guard indices.count == names.count, indices == Array(0..<indices.count) else {
            throw RNNKitError.invalidConfig("\(path)/vars holds \(names), expected datasets 0…n-1")
        }
        return indices.map { "\(path)/vars/\($0)" }
    }
}

/// Whether a config is Keras 3's: `keras_version` when the file gives one, else what only
/// Keras 3 writes (`DTypePolicy` objects, `__keras_tensor__` call arguments); nil when nothing
/// says (then version-dependent names are refused).
enum KerasDialect {
    static func isKeras3(version: String?, config: [String: Any]) -> Bool? {
        if let v = version ?? (config["keras_version"] as? String), let major = Int(v.prefix { $0.isNumber }) { return major >= 3 }
        return hasKeras3Marker(config, depth: 0) ? true : nil
    }

    private static func hasKeras3Marker(_ v: Any, depth: Int) -> Bool {
        guard depth < 64 else { return false }
        if let d = v as? [String: Any] {
            if let c = d["class_name"] as? String, ["DTypePolicy", "FloatDTypePolicy", "__keras_tensor__"].contains(c) { return true }
            return d.values.contains { hasKeras3Marker($0, depth: depth + 1) }
        }
        if let a = v as? [Any] { return a.contains { hasKeras3Marker($0, depth: depth + 1) } }
        return false
    }
}
