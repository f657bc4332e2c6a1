import Foundation
import HDF5Kit
import RNNKit

// MARK: - Module files (docs/FORMATS.md "Module")
//
// Rolled: a Keras legacy HDF5 model (tf.keras loads it: its head is Dense(2) or
// TimeDistributed(Dense(3)) over `class_ids`) plus kit attributes on the root.
// Unrolled: the same, except that the config is stored as `kit_model_config` (so Keras
// refuses the file rather than silently running shared weights), `model_weights` keeps the
// source model's recurrent weights, and `/unrolled/<layer>/step_<t>/…` holds the per-step
// copies the module actually uses (a Bidirectional's under `/unrolled/<layer>/<direction>/`,
// indexed by the step the direction processes).

extension Module {
    public func save(to path: String) throws {
        try HDF5File.writeAtomically(to: path) { f in
            let unrolled = mode == .unrolled
            var shared = model
            if unrolled {
                // model_weights: the shared weights; the per-step copies go under /unrolled.
                for i in shared.nodes.indices {
                    if var r = shared.nodes[i].layer as? Recurrent, r.stepWeights != nil { r.stepWeights = nil; shared.nodes[i].layer = r }
                    if var d = shared.nodes[i].layer as? Dense, d.stepWeights != nil { d.stepWeights = nil; shared.nodes[i].layer = d }
                    if var b = shared.nodes[i].layer as? Bidirectional {
                        b.forwardLayer.stepWeights = nil; b.backwardLayer.stepWeights = nil; shared.nodes[i].layer = b
                    }
                }
            }
            try shared.writeKeras(to: f.root, configAttribute: unrolled ? "kit_model_config" : "model_config")
            let root = f.root
            try root.setAttribute("kit_module", string: mode.rawValue)
            try root.setAttribute("dominant_class", values: [Int64(concern)], shape: [])
            try root.setAttribute("class_ids", values: classIDs.map(Int64.init))
            try root.setAttribute("source_model_sha256", string: sourceModelSHA256)
            try root.setAttribute("config", string: try config.json())
            try root.setAttribute("removed_units", string: try jsonString(removed))
            try root.setAttribute("jaccard", values: [jaccard, structuralJaccard])
            if let labelName { try root.setAttribute("label", string: labelName) }
            // How to read the head: logits are turned into scores by softmax (docs/METHOD.md "Heads").
            try root.setAttribute("scores", string: outputsLogits ? "softmax of the output logits" : "the output probabilities")
            guard unrolled else { return }
            func write(_ r: Recurrent, under path: String) throws {
                guard let steps = r.stepWeights else { return }
                for (t, w) in steps.enumerated() {
                    let g = try root.createGroup("\(path)/step_\(t)")
                    try g.createDataset("kernel", shape: w.kernel.shape, values: w.kernel.data)
                    try g.createDataset("recurrent_kernel", shape: w.recurrentKernel.shape, values: w.recurrentKernel.data)
                    try g.createDataset("bias", shape: w.bias.shape, values: w.bias.data)
                }
            }
            for n in model.nodes {
                if let b = n.layer as? Bidirectional {
                    for d in [b.forwardLayer, b.backwardLayer] { try write(d, under: "unrolled/\(b.name)/\(d.name)") }
                }
                if let r = n.layer as? Recurrent { try write(r, under: "unrolled/\(r.name)") }
                if let d = n.layer as? Dense, let steps = d.stepWeights {
                    for (t, w) in steps.enumerated() {
                        let g = try root.createGroup("unrolled/\(d.name)/step_\(t)")
                        try g.createDataset("kernel", shape: w.kernel.shape, values: w.kernel.data)
                        try g.createDataset("bias", shape: w.bias.shape, values: w.bias.data)
                    }
                }
            }
        }
    }

    public static func load(from path: String) throws -> Module {
        let f = try HDF5File(path: path)
        let root = f.root
        guard root.hasAttribute("kit_module"), let mode = DecompositionConfig.Mode(rawValue: try root.stringAttribute("kit_module")) else {
            throw DecompositionError.invalidModuleFile(path: path, reason: "no kit_module attribute")
        }
        var model = try Model.loadKeras(file: f, configAttribute: mode == .unrolled ? "kit_model_config" : "model_config")
        if mode == .unrolled {
            for i in model.nodes.indices {
                let name = model.nodes[i].layer.name
                guard root.contains("unrolled/\(name)") else { continue }
                // Each step's weight must have the shared weight's shape and finite values.
                func steps(_ group: String, _ layer: any Layer) throws -> (count: Int, weight: (Int, String) throws -> Tensor) {
                    let g = try root.openGroup(group)
                    let count = try g.childNames().count
                    guard count <= KerasLimits.maxDimension else {
                        throw DecompositionError.invalidModuleFile(path: path, reason: "\(group) holds \(count) steps")
                    }
                    let shared = Dictionary(layer.weights.map { ($0.name, $0.tensor.shape) }, uniquingKeysWith: { a, _ in a })
                    return (count, { s, w in
                        let d = try g.openDataset("step_\(s)/\(w)")
                        let shape = try d.shape()
                        guard shape == shared[w] ?? shape else {
                            throw DecompositionError.invalidModuleFile(path: path, reason: "\(group)/step_\(s)/\(w) has shape \(shape), expected \(shared[w] ?? [])")
                        }
                        let values = try d.read(Float.self)
                        if let bad = values.firstIndex(where: { !$0.isFinite }) {
                            throw DecompositionError.invalidModuleFile(path: path, reason: "\(group)/step_\(s)/\(w) holds \(values[bad]) at flat index \(bad)")
                        }
                        return Tensor(shape: shape, data: values)
                    })
                }
                func read(_ r: inout Recurrent, _ group: String) throws {
                    let (count, t) = try steps(group, r)
                    r.stepWeights = try (0..<count).map { try Recurrent.StepWeights(kernel: t($0, "kernel"), recurrentKernel: t($0, "recurrent_kernel"), bias: t($0, "bias")) }
                }
                if var r = model.nodes[i].layer as? Recurrent {
                    try read(&r, "unrolled/\(name)")
                    model.nodes[i].layer = r
                } else if var b = model.nodes[i].layer as? Bidirectional {
                    for group in ["unrolled/\(name)/\(b.forwardLayer.name)", "unrolled/\(name)/\(b.backwardLayer.name)"] where !root.contains(group) {
                        throw DecompositionError.invalidModuleFile(path: path, reason: "unrolled/\(name) lacks \(group)")
                    }
                    try read(&b.forwardLayer, "unrolled/\(name)/\(b.forwardLayer.name)")
                    try read(&b.backwardLayer, "unrolled/\(name)/\(b.backwardLayer.name)")
                    model.nodes[i].layer = b
                } else if var d = model.nodes[i].layer as? Dense {
                    let (count, t) = try steps("unrolled/\(name)", d)
                    d.stepWeights = try (0..<count).map { try Dense.StepWeights(kernel: t($0, "kernel"), bias: t($0, "bias")) }
                    model.nodes[i].layer = d
                }
            }
        }
        let configJSON = try root.stringAttribute("config")
        let removedJSON = try root.stringAttribute("removed_units")
        func fail(_ why: String) -> DecompositionError { .invalidModuleFile(path: path, reason: why) }
        let ji = try root.numericAttribute("jaccard", as: Double.self)
        guard ji.count == 2 else { throw fail("jaccard must hold 2 values") }
        let dominant = try root.numericAttribute("dominant_class", as: Int64.self)
        guard dominant.count == 1, let concern = Int(exactly: dominant[0]), concern >= 0 else {
            throw fail("dominant_class must be one non-negative integer, found \(dominant)")
        }
        let classIDs = try root.numericAttribute("class_ids", as: Int64.self).map { Int($0) }
        // Empty for a translation module (its concern is a target language).
        guard classIDs.allSatisfy({ $0 >= 0 }), classIDs.isEmpty || classIDs.last == concern else {
            throw fail("class_ids \(classIDs) must be non-negative and end with the dominant class \(concern)")
        }
        guard let config = try? JSONDecoder().decode(DecompositionConfig.self, from: Data(configJSON.utf8)) else { throw fail("config is not a decomposition config (JSON)") }
        guard let removed = try? JSONDecoder().decode([String: [[Int]]].self, from: Data(removedJSON.utf8)) else { throw fail("removed_units is not a JSON object of unit lists") }
        return Module(concern: concern, classIDs: classIDs, model: model, mode: mode, config: config, removed: removed,
                      sourceModelSHA256: try root.stringAttribute("source_model_sha256"),
                      jaccard: ji[0], structuralJaccard: ji[1],
                      labelName: root.hasAttribute("label") ? try root.stringAttribute("label") : nil)
    }
}

func jsonString<T: Encodable>(_ value: T) throws -> String {
    let e = JSONEncoder()
    e.outputFormatting = [.sortedKeys]
    return String(decoding: try e.encode(value), as: UTF8.self)
}
