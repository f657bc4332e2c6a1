@testable import Decomposition
import Foundation
import RNNKit
import Testing

/// The authors' way of scoring many-output models (ALGORITHMS.md §2b: `skipDummyLabel=False`,
/// modules for every class 0…K−1): every position counts, padding included, and a module of
/// the padding class votes beside the others. Checked against the same quantities computed
/// here from the model's argmax and the modules' own scores.
struct PaddingCountedTests {
    /// Many-output data with padding: tokens 1–3 are labelled padding (class 0).
    func padded(count: Int, classes: Int, steps: Int = 5, seed: UInt64) throws -> LabeledData {
        var g = SeededRandom(seed: seed)
        let x = (0..<(count * steps)).map { _ in Float(1 + g.next() % 11) }
        let labels = x.map { $0 <= 3 ? 0 : Int($0) % (classes - 1) + 1 }
        return try LabeledData(x: Tensor(shape: [count, steps], data: x), labels: labels, outputSteps: steps, numClasses: classes, paddingLabel: 0)
    }

    @Test("padding counted: MMA over every position, CMA from the vote with the padding module", arguments: [DecompositionConfig.Mode.rolled, .unrolled])
    func counted(_ mode: DecompositionConfig.Mode) throws {
        let model = try Tiny.model(.lstm, classes: 5, manyOutput: true)
        let train = try padded(count: 300, classes: 5, seed: 3), test = try padded(count: 100, classes: 5, seed: 9)
        var config = DecompositionConfig.paper
        config.mode = mode; config.samplesPerClass = 40
        let all = try Decomposer(model: model, config: config).decompose(train: train, concerns: [0] + train.concerns).modules
        let pad = all[0], modules = Array(all.dropFirst())
        #expect(pad.concern == 0 && pad.classIDs == [1, 0], "the padding module: padding against the mean of the rest, two slots")
        let e = try DecompositionEvaluation.evaluate(model: model, modules: modules, test: test, preset: .paper, paddingModule: pad)

        let argmax = try model.predict([model.inputs[0].name: test.x]).prediction.argmaxLastAxis()
        let mma = Double(zip(argmax, test.labels).filter { $0 == $1 }.count) / Double(test.labels.count)
        #expect(e.mmaWithPadding == mma)
        let scores = try ([pad] + modules).map { try $0.dominantProbability(test.x) }
        let concerns = [0] + modules.map(\.concern)
        let voted = test.labels.indices.map { i in concerns[scores.indices.max { scores[$0][i] < scores[$1][i] || (scores[$0][i] == scores[$1][i] && $0 > $1) }!] }
        let cma = Double(zip(voted, test.labels).filter { $0 == $1 }.count) / Double(test.labels.count)
        #expect(e.cmaWithPadding == cma)
        #expect(try ComposedModel(modules: modules).predict(test.x, withPaddingModule: pad) == voted)
        // A padding module that always wins: every position is voted padding, and CMA is the
        // padding share of all positions.
        var loud = pad
        let node = loud.model.nodes.indices.last!
        var dense = try #require(loud.model.nodes[node].layer as? Dense)
        dense.bias.data[1] = 1e4
        dense.stepWeights = dense.stepWeights?.map { var w = $0; w.bias.data[1] = 1e4; return w }
        loud.model.nodes[node].layer = dense
        let shouted = try DecompositionEvaluation.evaluate(model: model, modules: modules, test: test, preset: .paper, paddingModule: loud)
        let share = Double(test.labels.filter { $0 == 0 }.count) / Double(test.labels.count)
        #expect(shouted.cmaWithPadding == share && share > 0.1)
        // The padding-skipped scores are unchanged by the padding module.
        let skipped = try DecompositionEvaluation.evaluate(model: model, modules: modules, test: test, preset: .paper)
        #expect(skipped.cma == e.cma && skipped.mma == e.mma && skipped.mmaWithPadding == nil)
        // The other modules do not depend on whether the padding class was decomposed too.
        let alone = try Decomposer(model: model, config: config).decompose(train: train).modules
        #expect(alone.map(\.removed) == modules.map(\.removed))
    }

    @Test("a padding module for one-output data, or of another class, is refused")
    func refused() throws {
        let model = try Tiny.model(.lstm, classes: 5, manyOutput: true)
        let train = try padded(count: 300, classes: 5, seed: 3), test = try padded(count: 60, classes: 5, seed: 9)
        var config = DecompositionConfig.paper
        config.samplesPerClass = 30
        let modules = try Decomposer(model: model, config: config).decompose(train: train).modules
        #expect(throws: DecompositionError.self) {
            try DecompositionEvaluation.evaluate(model: model, modules: modules, test: test, preset: .paper, paddingModule: modules[0])
        }
    }
}
