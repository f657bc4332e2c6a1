import Foundation
import Testing
import TestSupport
@testable import Decomposition
import RNNKit

/// Bidirectional and go_backwards models decompose per direction (docs/METHOD.md "Directions"):
/// each direction is observed in the order it processes the steps, loses its own units, and the
/// module keeps the wrapper (merge mode included).
struct DirectionDecompositionTests {
    static let steps = 5

    /// Embedding(12, 4) → Bidirectional(LSTM(8), merge) → Dense(4 softmax); many-output returns
    /// sequences into TimeDistributed.
    static func bidirectional(_ merge: Bidirectional.MergeMode, cell: Recurrent.Cell = .lstm, manyOutput: Bool = false) throws -> Model {
        let inner = Recurrent(name: "lstm", cell: cell, inputDim: 4, units: 8, recurrentActivation: .hardSigmoid, returnSequences: manyOutput)
        let bi = Tiny.randomize(Bidirectional(name: "bidirectional", layer: inner, mergeMode: merge), seed: 10)
        let width = merge == .concat ? 16 : 8
        return try Model.sequential(name: "bi", input: ModelInput(name: "tokens", shape: [nil, steps], dtype: "int32"), layers: [
            Tiny.randomize(Embedding(name: "embedding", inputDim: 12, outputDim: 4), seed: 1), bi,
            Tiny.randomize(Dense(name: "out", inputDim: width, units: 4, activation: .softmax, timeDistributed: manyOutput), seed: 99)])
    }

    /// Embedding → LSTM(8, go_backwards) → Dense(4 softmax).
    static func backwards() throws -> Model {
        var r = Recurrent(name: "lstm", cell: .lstm, inputDim: 4, units: 8, recurrentActivation: .hardSigmoid)
        r.goBackwards = true
        return try Model.sequential(name: "back", input: ModelInput(name: "tokens", shape: [nil, steps], dtype: "int32"), layers: [
            Tiny.randomize(Embedding(name: "embedding", inputDim: 12, outputDim: 4), seed: 1), Tiny.randomize(r, seed: 10),
            Tiny.randomize(Dense(name: "out", inputDim: 8, units: 4, activation: .softmax), seed: 99)])
    }

    static func config(_ mode: DecompositionConfig.Mode, cap: Double = 0.2) -> DecompositionConfig {
        var c = DecompositionConfig.paper
        c.mode = mode; c.samplesPerClass = 60; c.maxRemoveFraction = cap
        return c
    }

    /// The hidden states of one direction run as a model of its own (Embedding → that
    /// direction as a plain layer), `[N, T, H]` in the order the direction processes the steps.
    static func directionStates(_ model: Model, _ direction: Recurrent, _ x: Tensor) throws -> Tensor {
        var r = direction
        r.name = "probe"; r.zeroOutputForMask = false
        let m = try Model.sequential(name: "probe", input: model.inputs[0], layers: [model.nodes[0].layer, r])
        return try m.predict([m.inputs[0].name: x], taps: true).hidden["probe"]!
    }

    /// Rows `rows` of `[N, T, H]` at step `s`, flattened row-major as observations hold them.
    static func slice(_ t: Tensor, rows: [Int], step s: Int) -> [Float] {
        let (T, H) = (t.shape[1], t.shape[2])
        return rows.flatMap { r in (0..<H).map { t.data[(r * T + s) * H + $0] } }
    }

    @Test("each direction's observations are its own hidden states in processing order (the backward one reversed)",
          arguments: [DecompositionConfig.Mode.rolled, .unrolled])
    func observationsPerDirection(mode: DecompositionConfig.Mode) throws {
        let m = try Self.bidirectional(.concat)
        let data = try Tiny.data(count: 120)
        let r = try Decomposer(model: m, config: Self.config(mode)).decompose(train: data)
        let b = try #require(m.nodes[1].layer as? Bidirectional)
        let f = try Self.directionStates(m, b.forwardLayer, data.x), bw = try Self.directionStates(m, b.backwardLayer, data.x)
        for groups in r.observations {
            let obs = groups[0]
            #expect(obs.layers.map(\.layer) == ["bidirectional/forward_lstm", "bidirectional/backward_lstm"])
            for (layer, states) in zip(obs.layers, [f, bw]) {
                #expect(layer.steps == Array(0..<Self.steps) && layer.units == 8)
                for s in 0..<Self.steps {
                    #expect(layer.positive[s] == Self.slice(states, rows: obs.samples.positives, step: s))
                    #expect(layer.negative[s] == Self.slice(states, rows: obs.samples.negatives, step: s))
                }
            }
        }
        // The backward direction's first processed step reads the last input: its state there
        // differs from the forward direction's reversed order (the taps were not left aligned).
        #expect(r.observations[0][0].layers[1].positive[0] != Self.slice(bw, rows: r.observations[0][0].samples.positives, step: Self.steps - 1))
    }

    /// Expected removals of each direction from its own states, by the unidirectional rule.
    static func expectedRemovals(_ m: Model, _ r: DecompositionResult, concern k: Int, config: DecompositionConfig) throws -> [[[Int]]] {
        let b = m.nodes[1].layer as! Bidirectional
        let obs = r.observations[k][0]
        return zip([b.forwardLayer, b.backwardLayer], obs.layers).map { layer, o in
            config.mode.copySteps(Self.steps).map { Identification.removals(layer, o, steps: $0, config: config) }
        }
    }

    @Test("per-direction removal: each direction loses the units identified in it (W, U, b columns; U rows), the rest untouched",
          arguments: [DecompositionConfig.Mode.rolled, .unrolled])
    func removalPerDirection(mode: DecompositionConfig.Mode) throws {
        let m = try Self.bidirectional(.concat)
        let c = Self.config(mode)
        let r = try Decomposer(model: m, config: c).decompose(train: Tiny.data(count: 120))
        let b = m.nodes[1].layer as! Bidirectional
        var removedSomewhere = 0
        for module in r.modules {
            let expected = try Self.expectedRemovals(m, r, concern: module.concern, config: c)
            #expect(module.removed == ["bidirectional/forward_lstm": expected[0], "bidirectional/backward_lstm": expected[1]])
            let mb = try #require(module.model.nodes[1].layer as? Bidirectional)
            #expect(mb.mergeMode == .concat && mb.forwardLayer.name == "forward_lstm" && mb.backwardLayer.name == "backward_lstm")
            for (d, (original, edited)) in [(b.forwardLayer, mb.forwardLayer), (b.backwardLayer, mb.backwardLayer)].enumerated() {
                let copies = mode == .rolled ? [edited.sharedStepWeights] : try #require(edited.stepWeights)
                #expect(copies.count == (mode == .rolled ? 1 : Self.steps))
                for (s, w) in copies.enumerated() {
                    let gone = Set(expected[d][s])
                    removedSomewhere += gone.count
                    #expect(w.kernel.shape == [4, 32] && w.recurrentKernel.shape == [8, 32] && w.bias.shape == [32])
                    for j in 0..<32 {
                        let removed = gone.contains(j % 8)
                        let col = (0..<4).map { w.kernel.data[$0 * 32 + j] }, orig = (0..<4).map { original.kernel.data[$0 * 32 + j] }
                        #expect(removed ? col.allSatisfy { $0 == 0 } && w.bias.data[j] == 0 : col == orig && w.bias.data[j] == original.bias.data[j])
                        for i in 0..<8 {
                            let u = w.recurrentKernel.data[i * 32 + j]
                            #expect(removed || gone.contains(i) ? u == 0 : u == original.recurrentKernel.data[i * 32 + j])
                        }
                    }
                }
            }
            // The output reads the final states: forward unit n is row n, backward unit n row 8 + n.
            let last = mode == .rolled ? 0 : Self.steps - 1
            let rows = Set(expected[0][last] + expected[1][last].map { $0 + 8 })
            let dense = try #require(module.model.nodes.last?.layer as? Dense)
            #expect(dense.kernel.shape == [16, 2])
            for row in 0..<16 { #expect((dense.kernel.data[row * 2] == 0 && dense.kernel.data[row * 2 + 1] == 0) == rows.contains(row), "row \(row)") }
        }
        #expect(removedSomewhere > 0)
    }

    @Test("a removed unit's state is 0 at every step in the module, in both directions")
    func removedStatesAreZero() throws {
        let m = try Self.bidirectional(.concat)
        let data = try Tiny.data(count: 120)
        let r = try Decomposer(model: m, config: Self.config(.rolled)).decompose(train: data)
        let module = try #require(r.modules.first { $0.removedUnitCount > 0 })
        let mb = module.model.nodes[1].layer as! Bidirectional
        for (d, name) in [(mb.forwardLayer, "bidirectional/forward_lstm"), (mb.backwardLayer, "bidirectional/backward_lstm")] {
            let h = try Self.directionStates(module.model, d, data.x)
            let gone = module.removed[name]![0]
            let values = stride(from: 0, to: h.count, by: 8).flatMap { base in gone.map { h.data[base + $0] } }
            #expect(!values.isEmpty && values.allSatisfy { $0 == 0 })
        }
    }

    @Test("merge mode decides the output rows: concat both directions' units, sum/ave where both lost a unit, mul where either did",
          arguments: [Bidirectional.MergeMode.concat, .sum, .ave, .mul])
    func mergeModes(merge: Bidirectional.MergeMode) throws {
        let m = try Self.bidirectional(merge)
        let r = try Decomposer(model: m, config: Self.config(.rolled, cap: 0.4)).decompose(train: Tiny.data(count: 120))
        var zeroRowCount = 0
        for module in r.modules {
            let f = Set(module.removed["bidirectional/forward_lstm"]![0]), b = Set(module.removed["bidirectional/backward_lstm"]![0])
            let expected: Set<Int> = switch merge {
            case .concat: f.union(b.map { $0 + 8 })
            case .sum, .ave: f.intersection(b)
            case .mul: f.union(b)
            }
            let dense = module.model.nodes.last!.layer as! Dense
            let zero = Set((0..<dense.kernel.shape[0]).filter { row in (0..<2).allSatisfy { dense.kernel.data[row * 2 + $0] == 0 } })
            #expect(zero == expected, "concern \(module.concern): f \(f.sorted()) b \(b.sorted())")
            #expect((module.model.nodes[1].layer as! Bidirectional).mergeMode == merge)
            zeroRowCount += zero.count
        }
        #expect(zeroRowCount > 0)
    }

    @Test("channeling only (cap 0): the composition predicts exactly what the model predicts, per merge mode and mode",
          arguments: [Bidirectional.MergeMode.concat, .sum, .ave, .mul], [DecompositionConfig.Mode.rolled, .unrolled])
    func channelingOnlyComposesToTheModel(merge: Bidirectional.MergeMode, mode: DecompositionConfig.Mode) throws {
        let m = try Self.bidirectional(merge)
        let train = try Tiny.data(count: 120), test = try Tiny.data(count: 200, seed: 8)
        let r = try Decomposer(model: m, config: Self.config(mode, cap: 0)).decompose(train: train)
        #expect(r.modules.allSatisfy { $0.removedUnitCount == 0 })
        let monolithic = try m.predict([m.inputs[0].name: test.x]).prediction.argmaxLastAxis()
        #expect(try ComposedModel(modules: r.modules).predict(test.x) == monolithic)
        let e = try DecompositionEvaluation.evaluate(model: m, modules: r.modules, test: test, preset: .paper)
        #expect(e.cma == e.mma)
    }

    @Test("many-output: output step t is observed at forward step t and backward step T−1−t")
    func manyOutputSteps() throws {
        let m = try Self.bidirectional(.concat, manyOutput: true)
        let data = try Tiny.data(count: 120, manyOutput: true)
        let r = try Decomposer(model: m, config: Self.config(.rolled)).decompose(train: data)
        for groups in r.observations {
            for g in groups {
                let t = try #require(g.samples.step)
                #expect(g.layers[0].steps == [t] && g.layers[1].steps == [Self.steps - 1 - t])
            }
        }
        let test = try Tiny.data(count: 100, manyOutput: true, seed: 8)
        let e = try DecompositionEvaluation.evaluate(model: m, modules: r.modules, test: test, preset: .paper)
        #expect(e.cma > 0 && e.mma > 0 && r.modules.contains { $0.removedUnitCount > 0 })
    }

    @Test("modules round-trip through their files: rolled as a Keras file (Bidirectional kept), unrolled with per-direction step copies",
          arguments: [DecompositionConfig.Mode.rolled, .unrolled])
    func moduleFiles(mode: DecompositionConfig.Mode) throws {
        let m = try Self.bidirectional(.concat)
        let test = try Tiny.data(count: 50, seed: 8)
        let r = try Decomposer(model: m, config: Self.config(mode)).decompose(train: Tiny.data(count: 120))
        let dir = TestScratch.root.appendingPathComponent("bi-modules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for module in r.modules {
            let path = dir.appendingPathComponent("module_\(module.concern).h5").path
            try module.save(to: path)
            let back = try Module.load(from: path)
            #expect(back.removed == module.removed)
            #expect(try back.dominantProbability(test.x) == module.dominantProbability(test.x))
            let b = try #require(back.model.nodes[1].layer as? Bidirectional)
            #expect(b.forwardLayer.stepWeights?.count == (mode == .unrolled ? Self.steps : nil))
            #expect(b.backwardLayer.stepWeights == (module.model.nodes[1].layer as! Bidirectional).backwardLayer.stepWeights)
            if mode == .rolled {
                // A plain Keras file: loaded as a model, it predicts what the module predicts.
                let keras = try Model.loadKeras(path: path)
                #expect(try keras.predict([keras.inputs[0].name: test.x]).prediction == module.model.predict([module.model.inputs[0].name: test.x]).prediction)
            }
        }
    }

    @Test("go_backwards: observed in its run order, removal from those states, composition exact at cap 0",
          arguments: [DecompositionConfig.Mode.rolled, .unrolled])
    func goBackwards(mode: DecompositionConfig.Mode) throws {
        let m = try Self.backwards()
        let data = try Tiny.data(count: 120)
        let c = Self.config(mode)
        let r = try Decomposer(model: m, config: c).decompose(train: data)
        let layer = m.nodes[1].layer as! Recurrent
        let h = try m.predict([m.inputs[0].name: data.x], taps: true).hidden["lstm"]!
        var removed = 0
        for (k, module) in r.modules.enumerated() {
            let obs = r.observations[k][0].layers[0]
            #expect(obs.layer == "lstm")
            for s in 0..<Self.steps { #expect(obs.positive[s] == Self.slice(h, rows: r.observations[k][0].samples.positives, step: s)) }
            let expected = c.mode.copySteps(Self.steps).map { Identification.removals(layer, obs, steps: $0, config: c) }
            #expect(module.removed == ["lstm": expected])
            removed += module.removedUnitCount
            #expect((module.model.nodes[1].layer as! Recurrent).goBackwards)
        }
        #expect(removed > 0)
        let test = try Tiny.data(count: 200, seed: 8)
        let exact = try Decomposer(model: m, config: Self.config(mode, cap: 0)).decompose(train: data)
        #expect(try ComposedModel(modules: exact.modules).predict(test.x) == m.predict([m.inputs[0].name: test.x]).prediction.argmaxLastAxis())
    }

    @Test("unrolled backward direction: copy s is identified from processing step s alone")
    func unrolledBackwardCopies() throws {
        let m = try Self.bidirectional(.concat)
        let c = Self.config(.unrolled, cap: 0.3)
        let r = try Decomposer(model: m, config: c).decompose(train: Tiny.data(count: 120))
        let b = m.nodes[1].layer as! Bidirectional
        for (k, module) in r.modules.enumerated() {
            let obs = r.observations[k][0].layers[1]
            let perStep = (0..<Self.steps).map { Identification.removals(b.backwardLayer, obs, steps: [$0], config: c) }
            #expect(module.removed["bidirectional/backward_lstm"] == perStep)
        }
        // The copies differ between steps somewhere (else per-step identification shows nothing).
        #expect(r.modules.contains { Set(($0.removed["bidirectional/backward_lstm"] ?? []).map { $0 }).count > 1 })
    }

    @Test("tf.keras's stacked, masked Bidirectional(LSTM) → Bidirectional(GRU): the second layer's both directions lose the rows of the first's removed units")
    func stackedKerasFile() throws {
        let m = try Model.loadKeras(path: "\(DirectionRefusalTests.dir)/tk_bi_concat.h5")
        let a = try ModelAnatomy(m)
        #expect(a.parts.count == 4 && a.parts.map(\.direction) == [.forward, .backward, .forward, .backward])
        // Tokens 1…19 with 0–2 padding steps at the end, as the fixture's; labels from the first token.
        var g = SeededRandom(seed: 5)
        let n = 150
        var x = [Float](repeating: 0, count: n * 5)
        for r in 0..<n { for t in 0..<(5 - r % 3) { x[r * 5 + t] = Float(1 + g.next() % 19) } }
        let data = try LabeledData(x: Tensor(shape: [n, 5], data: x), labels: (0..<n).map { Int(x[$0 * 5]) % 3 }, numClasses: 3)
        let r = try Decomposer(model: m, config: Self.config(.rolled, cap: 0.3)).decompose(train: data)
        let first = m.nodes[a.recurrent[0]].layer as! Bidirectional, second = m.nodes[a.recurrent[1]].layer as! Bidirectional
        var zeroed = 0
        for module in r.modules {
            let f = module.removed["\(first.name)/\(first.forwardLayer.name)"]![0], b = module.removed["\(first.name)/\(first.backwardLayer.name)"]![0]
            let rows = Set(f + b.map { $0 + first.forwardLayer.units })
            let s = module.model.nodes[a.recurrent[1]].layer as! Bidirectional
            for d in [s.forwardLayer, s.backwardLayer] {
                let w = d.kernel.shape[1]
                for row in 0..<d.kernel.shape[0] {
                    let zero = (0..<w).allSatisfy { d.kernel.data[row * w + $0] == 0 }
                    #expect(zero == rows.contains(row), "row \(row) of \(d.name)")
                }
            }
            zeroed += rows.count
        }
        #expect(zeroed > 0 && second.forwardLayer.units == 4)
        let exact = try Decomposer(model: m, config: Self.config(.rolled, cap: 0)).decompose(train: data)
        #expect(try ComposedModel(modules: exact.modules).predict(data.x) == m.predict([m.inputs[0].name: data.x]).prediction.argmaxLastAxis())
    }

    @Test("per gate: each direction's observations are its own activated gates in processing order; a removed gate unit is its column alone, no output row goes")
    func perGatePerDirection() throws {
        let m = try Self.bidirectional(.concat)
        let data = try Tiny.data(count: 120)
        var c = Self.config(.rolled)
        c.gates = .perGate
        let r = try Decomposer(model: m, config: c).decompose(train: data)
        let b = m.nodes[1].layer as! Bidirectional
        func gates(_ d: Recurrent) throws -> Tensor {
            var probe = d
            probe.name = "probe"
            let pm = try Model.sequential(name: "probe", input: m.inputs[0], layers: [m.nodes[0].layer, probe])
            return try pm.predict([pm.inputs[0].name: data.x], taps: true).gates["probe"]!
        }
        let taps = try [gates(b.forwardLayer), gates(b.backwardLayer)]
        var removed = 0
        for (k, module) in r.modules.enumerated() {
            let obs = r.observations[k][0]
            for (layer, t) in zip(obs.layers, taps) {
                #expect(layer.units == 32)
                for s in 0..<Self.steps { #expect(layer.positive[s] == Self.slice(t, rows: obs.samples.positives, step: s)) }
            }
            let mb = module.model.nodes[1].layer as! Bidirectional
            for (d, name) in [(mb.forwardLayer, "bidirectional/forward_lstm"), (mb.backwardLayer, "bidirectional/backward_lstm")] {
                let gone = Set(module.removed[name]![0])
                removed += gone.count
                for j in 0..<32 { #expect((d.bias.data[j] == 0 && (0..<4).allSatisfy { d.kernel.data[$0 * 32 + j] == 0 }) == gone.contains(j)) }
            }
            let dense = module.model.nodes.last!.layer as! Dense
            #expect((0..<16).allSatisfy { row in dense.kernel.data[row * 2] != 0 || dense.kernel.data[row * 2 + 1] != 0 })
        }
        #expect(removed > 0)
    }

    @Test("an activations file names each direction and gives back what was monitored")
    func activationsFile() throws {
        let m = try Self.bidirectional(.sum)
        let r = try Decomposer(model: m, config: Self.config(.unrolled)).decompose(train: Tiny.data(count: 120))
        let path = TestScratch.root.appendingPathComponent("bi-activations-\(UUID().uuidString).h5").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ActivationsFile.write(r, sourceSHA256: "x", to: path)
        let back = try ActivationsFile.read(from: path, layers: ["bidirectional/forward_lstm", "bidirectional/backward_lstm"])
        #expect(back.observations == r.observations)
        #expect(try Decomposer(model: m, config: Self.config(.unrolled)).modules(from: back.observations).map(\.removed) == r.modules.map(\.removed))
    }
}

