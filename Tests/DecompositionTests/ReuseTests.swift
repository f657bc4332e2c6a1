import Corpora
@testable import Decomposition
import DecompositionInputs
import Experiments
import Foundation
import RNNKit
import Testing

@Suite("Reuse (RQ2) helpers")
struct ReuseTests {
    @Test func allPairsAreOrderedAndComplete() {
        let p = ReusePairs.all([1, 2, 3, 4])
        #expect(p.map(\.classes) == [[1, 2], [1, 3], [1, 4], [2, 3], [2, 4], [3, 4]])
        #expect(ReusePairs.all(Array(0..<10)).count == 45)
        #expect(ReusePairs.all(Array(1..<13)).count == 66)
    }

    @Test func spreadPicksEvenlyAndDeterministically() {
        let classes = Array(0..<6)          // 15 pairs
        let two = ReusePairs.spread(classes, count: 2)
        #expect(two == [ReusePair(0, 1), ReusePair(1, 4)])   // pairs 0 and 7
        #expect(ReusePairs.spread(classes, count: 3) == [ReusePair(0, 1), ReusePair(1, 2), ReusePair(2, 4)])  // 0, 5, 10
        #expect(ReusePairs.spread(classes, count: nil).count == 15)
        #expect(ReusePairs.spread(classes, count: 99).count == 15)
        #expect(ReusePairs.spread(classes, count: 0).isEmpty)
    }

    @Test func scoringCountsOnlyThePairsPositions() {
        // truth: 0 is padding / other, only 2 and 5 are scored
        let s = ReuseScoring.score(predicted: [2, 5, 5, 2, 0, 2], truth: [2, 5, 2, 0, 3, 5], pair: ReusePair(2, 5))
        #expect(s.total == 4)
        #expect(s.correct == 2)
    }

    @Test func composedPairOfTinyModulesPredictsOnlyThePair() throws {
        let model = try Tiny.model(.lstm, classes: 4)
        let train = try Tiny.data(count: 200), test = try Tiny.data(count: 80, seed: 11)
        var config = DecompositionConfig.paper
        config.samplesPerClass = 40
        let modules = try Decomposer(model: model, config: config).decompose(train: train, concerns: [1, 3]).modules
        #expect(modules.map(\.concern) == [1, 3])
        let pair = ReusePair(1, 3)
        let rows = ReuseScoring.rows(test, pair)
        #expect(rows.count == (0..<test.count).filter { [1, 3].contains(test.label($0)) }.count)
        let predicted = try ComposedModel(modules: modules).predict(test.inputs(rows))
        #expect(Set(predicted).isSubset(of: [1, 3]))
        let expected = zip(predicted, rows.map { test.label($0) }).filter { $0 == $1 }.count
        let s = try ReuseScoring.composed(modules, test: test, pair: pair)
        #expect(s.total == rows.count)
        #expect(s.correct == expected)
    }

    @Test func trainedModelIsScoredOverThePairsSlotsOnly() throws {
        // A 3-slot many-output model: slot 0 (padding) must never be predicted.
        let model = try Tiny.model(.gru(resetAfter: false), classes: 3, manyOutput: true)
        let test = try Tiny.data(count: 30, classes: 3, manyOutput: true, seed: 5)
        let pair = ReusePair(1, 2)
        let p = try model.predict([model.inputs[0].name: test.x]).prediction
        var expected = 0, total = 0
        for i in 0..<(test.count * test.outputSteps) where [1, 2].contains(test.labels[i]) {
            total += 1
            let guess = p.data[i * 3 + 1] >= p.data[i * 3 + 2] ? 1 : 2
            if guess == test.labels[i] { expected += 1 }
        }
        let s = try ReuseScoring.trained(model, slots: [nil, 1, 2], test: test, pair: pair)
        #expect(s.total == total)
        #expect(s.correct == expected)
    }

    @Test func twoClassSequencesRelabelsAndDropsSamples() throws {
        let x = Int32Tensor(rows: 3, columns: 2, values: [1, 2, 3, 4, 5, 6])
        let y = Int32Tensor(rows: 3, columns: 3, values: [0, 4, 2, 0, 3, 3, 1, 1, 4])
        let d = Dataset(name: "t", task: .manyToMany, train: Split(x: x, y: y), test: Split(x: x, y: y), numClasses: 5,
                        vocabSize: 7, paddingLabel: 0, labelNames: ["<pad>", "a", "b", "c", "d"],
                        recipe: .object([:]), synthetic: true, source: "synthetic")
        let r = try d.twoClassSequences(ReusePair(2, 4))
        #expect(r.numClasses == 3)
        #expect(r.labelNames == ["<pad>", "b", "d"])
        #expect(r.train.y.values == [0, 2, 1, 0, 0, 2])     // sample 1 has neither 2 nor 4: dropped
        #expect(r.train.x.values == [1, 2, 5, 6])
        #expect(throws: (any Error).self) { try d.twoClassSequences(ReusePair(0, 2)) }
    }

    @Test func paperTable3HasEveryIntraCell() throws {
        let t = try PaperResults.load()
        for io in ["one_to_one", "many_to_one", "one_to_many", "many_to_many", "encoder_decoder"] {
            for cell in ["vanilla", "lstm", "gru"] {
                #expect(t.cell(table: 3, kind: "intra", io: io, cell: cell)?.mean != nil, "\(io) \(cell)")
            }
        }
        #expect(t.cell(table: 3, kind: "intra", io: "many_to_one", cell: "lstm")?.mean == -0.82)
        #expect(t.number("intro_reuse_accuracy_change") == -2.38)
        #expect(t.number("rq2_intra_overall_mean") == -0.58)
    }
}
