import Foundation
import Testing
@testable import Decomposition
import RNNKit

/// Which weights a removal zeroes, and how the output layer is channeled.
struct ModularizationTests {
    /// Embedding(12, 4) → LSTM(2) → Dense(3): small enough to list every weight.
    func lstmModel() throws -> (Model, ModelAnatomy) {
        let m = try Tiny.model(.lstm, classes: 3, steps: 3)
        var small = m
        var r = Tiny.randomize(Recurrent(name: "rnn0", cell: .lstm, inputDim: 4, units: 2, recurrentActivation: .hardSigmoid), seed: 3)
        r.returnSequences = false
        small.nodes[1].layer = r
        small.nodes[2].layer = Tiny.randomize(Dense(name: "out", inputDim: 2, units: 3, activation: .softmax), seed: 4)
        return (small, try ModelAnatomy(small))
    }

    @Test("hiddenState removal of unit 1: columns 1, 3, 5, 7 of W, U, b; row 1 of U; row 1 of the next kernel")
    func hiddenStateRemoval() throws {
        let (m, a) = try lstmModel()
        var c = DecompositionConfig.paper
        c.maxRemoveFraction = 1
        let module = try ModuleBuilder.build(m, a, concern: 2, removals: [[[1]]], config: c, paddingLabel: nil, sourceSHA256: "x")
        let before = m.nodes[1].layer as! Recurrent, after = module.model.nodes[1].layer as! Recurrent
        for row in 0..<4 { for col in 0..<8 {
            let v = after.kernel.data[row * 8 + col]
            #expect(col % 2 == 1 ? v == 0 : v == before.kernel.data[row * 8 + col], "W[\(row), \(col)]")
        } }
        for row in 0..<2 { for col in 0..<8 {
            let v = after.recurrentKernel.data[row * 8 + col]
            #expect(row == 1 || col % 2 == 1 ? v == 0 : v == before.recurrentKernel.data[row * 8 + col], "U[\(row), \(col)]")
        } }
        #expect((0..<8).allSatisfy { after.bias.data[$0] == ($0 % 2 == 1 ? 0 : before.bias.data[$0]) })
        // The head: Dense(2) over [non-dominant 0, concern 2]; row 1 (unit 1) is zero.
        let head = module.model.nodes[2].layer as! Dense
        #expect(head.units == 2 && module.classIDs == [0, 2])
        #expect(head.kernel.data[2] == 0 && head.kernel.data[3] == 0)
        #expect(module.removed["rnn0"] == [[1]])
    }

    @Test("perGate removal of gate unit 5 (c~ of unit 1) zeroes that column only")
    func perGateRemoval() throws {
        let (m, a) = try lstmModel()
        var c = DecompositionConfig.paper
        c.gates = .perGate
        let module = try ModuleBuilder.build(m, a, concern: 1, removals: [[[5]]], config: c, paddingLabel: nil, sourceSHA256: "x")
        let before = m.nodes[1].layer as! Recurrent, after = module.model.nodes[1].layer as! Recurrent
        for i in 0..<before.kernel.count { #expect(after.kernel.data[i] == (i % 8 == 5 ? 0 : before.kernel.data[i])) }
        for i in 0..<before.recurrentKernel.count { #expect(after.recurrentKernel.data[i] == (i % 8 == 5 ? 0 : before.recurrentKernel.data[i])) }
        #expect(after.bias.data[5] == 0 && after.bias.data[4] == before.bias.data[4])
    }

    @Test("channeling: the non-dominant slot is the mean of the other columns, the rest zeroed")
    func channeling() {
        let k = Tensor(shape: [1, 3], data: [1, 2, 4]), b = Tensor(shape: [3], data: [0.5, 1, 3])
        let c2 = ModuleBuilder.channel(kernel: k, bias: b, concern: 2, nonDominant: 0, padding: nil)
        #expect(c2.kernel.data == [1.5, 0, 4] && c2.bias.data == [0.75, 0, 3])
        let c0 = ModuleBuilder.channel(kernel: k, bias: b, concern: 0, nonDominant: 1, padding: nil)
        #expect(c0.kernel.data == [1, 3, 0] && c0.bias.data == [0.5, 2, 0])
        // Many-output: the padding column 0 is left as it is and takes no part in the mean.
        let k4 = Tensor(shape: [1, 4], data: [9, 1, 2, 5]), b4 = Tensor(shape: [4], data: [7, 1, 1, 3])
        let m = ModuleBuilder.channel(kernel: k4, bias: b4, concern: 2, nonDominant: 1, padding: 0)
        #expect(m.kernel.data == [9, 3, 2, 0] && m.bias.data == [7, 2, 1, 0])
        #expect(ModuleBuilder.classIDs(2, 1, 0) == [0, 1, 2])
        #expect(ModuleBuilder.nonDominant(1, paddingLabel: 0, classes: 4) == 2)
    }

    @Test("NumPy's float32 mean: pairwise sum of 8 accumulators, then the remainder")
    func numpyMean() {
        #expect(ModuleBuilder.numpyMean([1, 2, 3]) == 2)
        let v: [Float] = [1e8, 1, -1e8, 1, 0.5, 0.25, 3, 7, 11]
        // ((1e8+1)+(−1e8+1)) + ((0.5+0.25)+(3+7)) = 0 + 10.75 in float32 (1e8 + 1 rounds to 1e8), + 11 → 21.75 / 9.
        #expect(ModuleBuilder.numpyMean(v) == Float(21.75) / 9)
    }

    @Test("unrolled: one weight copy per step, each with its own removals; the output reads the last step's")
    func unrolledCopies() throws {
        let (m, a) = try lstmModel()
        var c = DecompositionConfig.paper
        c.mode = .unrolled
        let module = try ModuleBuilder.build(m, a, concern: 0, removals: [[[0], [], [1]]], config: c, paddingLabel: nil, sourceSHA256: "x")
        let r = module.model.nodes[1].layer as! Recurrent
        let steps = try #require(r.stepWeights)
        #expect(steps.count == 3)
        #expect(steps[0].kernel.data[0] == 0 && steps[0].kernel.data[1] != 0)
        #expect(steps[1].kernel == (m.nodes[1].layer as! Recurrent).kernel)
        #expect(steps[2].kernel.data[1] == 0 && steps[2].kernel.data[0] != 0)
        let head = module.model.nodes[2].layer as! Dense
        #expect(head.kernel.data[2] == 0 && head.kernel.data[3] == 0 && head.kernel.data[0] != 0, "row 1 of the last step removed")
        // It runs, and differs from the rolled module with step 0's removals only.
        let x = try Tiny.data(count: 6, classes: 3, steps: 3).x
        #expect(try module.dominantProbability(x).count == 6)
    }
}

/// End-to-end decompositions on small models, for every variant.
struct DecompositionRunTests {
    static let variants: [(Recurrent.Cell, Activation, DecompositionConfig.Mode, DecompositionConfig.GateStrategy)] = [
        (.simple, .tanh, .rolled, .hiddenState), (.simple, .relu, .unrolled, .hiddenState),
        (.lstm, .tanh, .rolled, .perGate), (.lstm, .tanh, .unrolled, .hiddenState),
        (.gru(resetAfter: false), .tanh, .rolled, .hiddenState), (.gru(resetAfter: true), .tanh, .unrolled, .perGate),
    ]

    @Test("nothing removed: structural JI is 1, the authors' JI only reflects channeling, the composition predicts what the model does",
          arguments: [false, true])
    func nothingRemoved(manyOutput: Bool) throws {
        let m = try Tiny.model(.lstm, depth: 2, manyOutput: manyOutput)
        var c = DecompositionConfig.paper
        c.maxRemoveFraction = 0
        c.samplesPerClass = 40
        let train = try Tiny.data(count: 200, manyOutput: manyOutput), test = try Tiny.data(count: 100, manyOutput: manyOutput, seed: 8)
        let result = try Decomposer(model: m, config: c).decompose(train: train)
        #expect(result.modules.allSatisfy { $0.structuralJaccard == 1 && $0.removed.values.allSatisfy { $0.allSatisfy(\.isEmpty) } })
        // The authors' JI of a module that lost nothing: only its channeled head differs.
        for module in result.modules {
            let a = try ModelAnatomy(m)
            let head = module.model.nodes[a.output].layer as! Dense, original = m.nodes[a.output].layer as! Dense
            #expect(module.jaccard < 1 && module.jaccard > 0.5)
            #expect(head.kernel.count == original.kernel.count / original.units * module.classIDs.count)
        }
        // With all units kept, module c scores σ(z_c − mean of the other logits), which is
        // largest for the model's argmax: the composition must agree position by position.
        let composed = try ComposedModel(modules: result.modules).predict(test.x)
        let monolithic = try m.predict(["tokens": test.x]).prediction.argmaxLastAxis()
        if manyOutput {
            // The composition never predicts padding (class 0); compare where the model does not either.
            #expect(zip(composed, monolithic).allSatisfy { $1 == 0 || $0 == $1 })
        } else {
            #expect(composed == monolithic)
        }
        let e = try DecompositionEvaluation.evaluate(model: m, modules: result.modules, test: test, preset: .paper)
        #expect(e.structuralJaccardMean == 1)
        if !manyOutput { #expect(e.cma == e.mma) }
    }

    @Test("every variant decomposes and composes; the default removes units (JI < 1)", arguments: variants)
    func variant(_ v: (Recurrent.Cell, Activation, DecompositionConfig.Mode, DecompositionConfig.GateStrategy)) throws {
        for manyOutput in [false, true] {
            let m = try Tiny.model(v.0, activation: v.1, depth: 2, manyOutput: manyOutput)
            var c = DecompositionConfig.paper
            c.mode = v.2; c.gates = v.3; c.samplesPerClass = 30
            if v.1 == .relu { c.maxRemoveFraction = 0.5 }
            let train = try Tiny.data(count: 150, manyOutput: manyOutput)
            let result = try Decomposer(model: m, config: c).decompose(train: train)
            #expect(result.modules.map(\.concern) == (manyOutput ? [1, 2, 3] : [0, 1, 2, 3]))
            // (The ReLU scripts rule needs an activity gap of 0.5, which this random model's
            // per-step labels do not produce: there only the one-output case must remove units.)
            let mustRemove = !(v.1 == .relu && manyOutput)
            if mustRemove { #expect(result.modules.contains { $0.structuralJaccard < 1 }, "\(v) manyOutput \(manyOutput): something removed") }
            let steps = result.modules[0].removed["rnn0"]!.count
            #expect(steps == (v.2 == .unrolled ? 5 : 1))
            let e = try DecompositionEvaluation.evaluate(model: m, modules: result.modules, test: try Tiny.data(count: 60, manyOutput: manyOutput, seed: 9), preset: .paper)
            #expect((0...1).contains(e.cma) && e.jaccardMean < 1 && (!mustRemove || e.structuralJaccardMean < 1))
        }
    }

    @Test("the same seed gives the same modules; another seed other samples")
    func seeded() throws {
        let m = try Tiny.model(.gru(resetAfter: false))
        var c = DecompositionConfig.paper
        c.samplesPerClass = 10
        let train = try Tiny.data(count: 200)
        let a = try Decomposer(model: m, config: c).decompose(train: train)
        let b = try Decomposer(model: m, config: c).decompose(train: train)
        #expect(a.observations == b.observations)
        c.seed = 2
        let d = try Decomposer(model: m, config: c).decompose(train: train)
        #expect(a.observations[0][0].samples != d.observations[0][0].samples)
    }
}
