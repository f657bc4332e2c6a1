import Foundation
import HDF5Kit
import RNNKit
import Testing
import TestSupport

/// `decompose` and `evaluate` on each output head (docs/METHOD.md "Heads"), on kit-built models
/// with the same weights: a softmax Dense, a linear Dense + Activation("softmax"), a linear Dense
/// (logits), and a sigmoid multi-label Dense on a hand-written multi-label dataset file.
struct HeadsCLITests {
    let s: Scratch
    init() throws { s = try Scratch() }

    enum Head { case softmax, activationLayer, logits }

    /// The smoke synthetic M:1 model of `syntheticClassifier`, with its head written three ways.
    func model(_ head: Head, data: String) throws -> String {
        let base = try Model.loadKeras(path: s.path("model.h5"))
        var layers = base.layers
        var dense = layers[2] as! Dense
        if head != .softmax { dense.activation = .linear }
        layers[2] = dense
        if head == .activationLayer { layers.append(ActivationLayer(name: "softmax", activation: .softmax)) }
        let path = s.path("model-\(head).h5")
        try Model.sequential(name: "m", input: base.inputs[0], layers: layers).saveKeras(path: path)
        return path
    }

    func evaluate(_ model: String, _ modules: String, _ data: String) throws -> [String: Any] {
        let e = try CLIRunner.run(["evaluate", model, "--modules", modules, "--data", data, "--json"])
        guard e.status == 0 else { throw CLIFailure(message: e.stderr) }
        return try #require(try JSONSerialization.jsonObject(with: Data(e.stdout.utf8)) as? [String: Any])
    }

    @Test("the three softmax-like heads give the same modules and the same MMA, CMA and removals; logits are scored by their softmax")
    func softmaxLikeHeads() throws {
        let (_, data) = try s.syntheticClassifier()
        var results: [Head: [String: Any]] = [:]
        for head in [Head.softmax, .activationLayer, .logits] {
            let m = try model(head, data: data), out = s.path("mods-\(head)")
            let d = try CLIRunner.run(["decompose", m, "--data", data, "--samples", "40", "--out", out])
            #expect(d.status == 0, "\(d.stderr)")
            #expect(d.stdout.contains(["head: softmax Dense", "head: Dense + softmax activation layer",
                                       "head: logits (linear Dense; softmax applied for scoring)"][[Head.softmax, .activationLayer, .logits].firstIndex(of: head)!]), "\(d.stdout)")
            results[head] = try evaluate(m, out, data)
        }
        let ref = results[.softmax]!
        for head in [Head.activationLayer, .logits] {
            let r = results[head]!
            #expect(r["mma"] as? Double == ref["mma"] as? Double, "\(head)")
            #expect(abs((r["cma"] as! Double) - (ref["cma"] as! Double)) < Tolerance.float64Arithmetic, "\(head)")
            let units = { (x: [String: Any]) in (x["modules"] as! [[String: Any]]).map { $0["removed_units"] as! Int } }
            #expect(units(r) == units(ref), "\(head)")
        }
        #expect(results[.logits]!["head"] as? String == "logits" && (results[.logits]!["scoring"] as? String)?.contains("softmax of the modules' logits") == true)
        // Module files: the activation layer is kept; a logits module outputs logits whose softmax is the softmax module's output.
        let withLayer = try Model.loadKeras(path: s.path("mods-activationLayer/module_1.h5"))
        #expect(withLayer.layers.last is ActivationLayer && (withLayer.layers[2] as! Dense).units == 2)
        let xt = try HDF5File(path: data).root.openDataset("x_test")
        let steps = try xt.shape()[1]
        let x = Tensor(shape: [5, steps], data: Array(try xt.read(Int32.self).prefix(5 * steps)).map(Float.init))
        let run = { (m: Model) in try m.predict([m.inputs[0].name: x]).prediction }
        let p = try run(try Model.loadKeras(path: s.path("mods-softmax/module_1.h5")))
        let z = try run(try Model.loadKeras(path: s.path("mods-logits/module_1.h5")))
        for i in 0..<5 {
            let soft = 1 / (1 + exp(Double(z.data[2 * i]) - Double(z.data[2 * i + 1])))
            #expect(abs(soft - Double(p.data[2 * i + 1])) < Tolerance.float32Rounding, "row \(i): softmax of logits \(soft), softmax head \(p.data[2 * i + 1])")
        }
    }

    /// A hand-written multi-label dataset: label k is present when token k + 1 occurs in the
    /// sequence (K = 3, T = 6, tokens 1…6); only the required attributes and `multi_label`.
    func multiLabelData() throws -> String {
        let path = s.path("multi.h5")
        func split(_ n: Int, _ salt: Int) -> ([Int32], [Int32]) {
            var x: [Int32] = [], y: [Int32] = []
            var g = UInt64(salt)
            for _ in 0..<n {
                let row = (0..<6).map { _ -> Int32 in g = g &* 6364136223846793005 &+ 1442695040888963407; return Int32((g >> 33) % 6 + 1) }
                x += row; y += (0..<3).map { k in row.contains(Int32(k + 1)) ? 1 : 0 }
            }
            return (x, y)
        }
        try HDF5File.writeAtomically(to: path) { f in
            let r = f.root
            for (name, n, salt) in [("train", 300, 1), ("test", 120, 2)] {
                let (x, y) = split(n, salt)
                try r.createDataset("x_\(name)", shape: [n, 6], values: x)
                try r.createDataset("y_\(name)", shape: [n, 3], values: y)
            }
            try r.setAttribute("task", string: "many_to_one")
            for (k, v) in [("num_classes", 3), ("vocab_size", 7), ("padding_label", -1), ("multi_label", 1)] { try r.setAttribute(k, values: [Int64(v)], shape: []) }
            try r.setAttribute("label_names", string: "[\"has1\", \"has2\", \"has3\"]")
        }
        return path
    }

    func multiLabelModel() throws -> String {
        var layers: [any Layer] = [Embedding(name: "embedding", inputDim: 7, outputDim: 4),
                                   Recurrent(name: "gru", cell: .gru(resetAfter: true), inputDim: 4, units: 12),
                                   Dense(name: "labels", inputDim: 12, units: 3, activation: .sigmoid)]
        for i in layers.indices {
            layers[i].setWeights(layers[i].weights.map { w in Tensor(shape: w.tensor.shape, data: (0..<w.tensor.count).map { Float(($0 * 31 + i * 7) % 23 - 11) / 15 }) })
        }
        let path = s.path("multi-model.h5")
        try Model.sequential(name: "multi", input: ModelInput(name: "tokens", shape: [nil, 6], dtype: "int32"), layers: layers).saveKeras(path: path)
        return path
    }

    @Test("sigmoid multi-label: one Dense(1, sigmoid) module per label; with nothing removed each module decides exactly as the model")
    func multiLabel() throws {
        let data = try multiLabelData(), model = try multiLabelModel()
        // --max-remove 0: no unit goes, so every decision must be the model's.
        let same = s.path("mods-0")
        let d0 = try CLIRunner.run(["decompose", model, "--data", data, "--samples", "60", "--max-remove", "0", "--out", same])
        #expect(d0.status == 0, "\(d0.stderr)")
        #expect(d0.stdout.contains("head: sigmoid Dense (multi-label"), "\(d0.stdout)")
        let e0 = try evaluate(model, same, data)
        #expect(e0["mma"] as? Double == e0["cma"] as? Double && e0["exact_match_monolithic"] as? Double == e0["exact_match_composed"] as? Double)
        #expect((e0["modules"] as! [[String: Any]]).map { $0["label"] as! String } == ["has1", "has2", "has3"])
        // Default cap: units go; each module is a one-column sigmoid head that tf.keras loads as a model.
        let out = s.path("mods")
        let d = try CLIRunner.run(["decompose", model, "--data", data, "--samples", "60", "--max-remove", "0.5", "--out", out])
        #expect(d.status == 0, "\(d.stderr)")
        let e = try evaluate(model, out, data)
        let mods = e["modules"] as! [[String: Any]]
        #expect(mods.count == 3 && mods.contains { ($0["removed_units"] as! Int) > 0 })
        #expect((0...1).contains(e["cma"] as! Double) && abs((e["delta"] as! Double) - ((e["cma"] as! Double) - (e["mma"] as! Double))) < Tolerance.float64Arithmetic)
        let m = try Model.loadKeras(path: out + "/module_2.h5")
        let head = try #require(m.layers.last as? Dense)
        #expect(head.units == 1 && head.activation == .sigmoid)
        #expect(try HDF5File(path: out + "/module_2.h5").root.stringAttribute("label") == "has3")
        // Multi-label data with a softmax model, and a sigmoid model with single-label data, are refused.
        let (softmaxModel, syn) = try s.syntheticClassifier()
        let r1 = try CLIRunner.run(["decompose", softmaxModel, "--data", data, "--out", s.path("never1")])
        #expect(r1.status != 0 && r1.stderr.contains("multi-label"), "\(r1.stderr)")
        let r2 = try CLIRunner.run(["decompose", model, "--data", syn, "--out", s.path("never2")])
        #expect(r2.status != 0 && r2.stderr.contains("not multi-label"), "\(r2.stderr)")
    }
}
