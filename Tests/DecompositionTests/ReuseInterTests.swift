import Corpora
@testable import Decomposition
import DecompositionInputs
import Experiments
import Foundation
import RNNKit
import Testing

@Suite("Inter-type reuse helpers")
struct ReuseInterTests {
    static func dataset(_ name: String, _ task: Task, x: [Int32], width: Int, y: [Int32], steps: Int, vocabulary: [String], classes: Int) -> Dataset {
        let n = x.count / width
        let s = Split(x: Int32Tensor(rows: n, columns: width, values: x), y: steps == 1 ? Int32Tensor(y) : Int32Tensor(rows: n, columns: steps, values: y))
        return Dataset(name: name, task: task, train: s, test: s, numClasses: classes, vocabSize: vocabulary.count,
                       paddingLabel: task == .oneToOne ? -1 : 0, labelNames: (0..<classes).map { "c\($0)" }, vocabulary: vocabulary,
                       recipe: .object([:]), synthetic: true, source: "synthetic")
    }

    @Test func sharedVocabularyRemapsThroughWordsAndPads() throws {
        let a = Self.dataset("a", .oneToOne, x: [1, 2, 0, 2, 3, 1], width: 3, y: [0, 1], steps: 1, vocabulary: ["", "the", "cat", "sat"], classes: 2)
        let b = Self.dataset("b", .manyToMany, x: [3, 1, 2, 0], width: 2, y: [1, 2, 2, 0], steps: 2, vocabulary: ["", "dog", "the", "ran"], classes: 3)
        let (ma, mb) = try SharedVocabulary.merge(a, b)
        #expect(ma.vocabulary == ["", "the", "cat", "sat", "dog", "ran"])
        #expect(mb.vocabSize == 6)
        #expect(ma.train.x.values == [1, 2, 0, 2, 3, 1])           // A keeps its ids
        #expect(mb.train.x.values == [5, 4, 0, 1, 0, 0])           // ran dog · the · , padded to 3
        #expect(mb.train.y.values == [1, 2, 0, 2, 0, 0])           // M:N labels padded with 0 alongside
    }

    @Test func decisionStepIsLastTokenForTaggingAndLastStepOtherwise() throws {
        let x = Tensor(shape: [2, 4], data: [3, 4, 0, 0, 0, 0, 5, 6])
        let d = try LabeledData(x: x, labels: Array(repeating: 1, count: 8), outputSteps: 4, numClasses: 2, paddingLabel: 0)
        #expect(DecisionStep.steps(d, task: .manyToMany) == [1, 3])
        #expect(DecisionStep.steps(d, task: .oneToMany) == [3, 3])
    }

    @Test func interExamplesStackBothDataSets() throws {
        let one = try LabeledData(x: Tensor(shape: [3, 2], data: [1, 1, 2, 2, 3, 3]), labels: [0, 1, 0], numClasses: 2)
        let many = try LabeledData(x: Tensor(shape: [2, 2], data: [4, 4, 5, 0]), labels: [1, 2, 2, 0], outputSteps: 2, numClasses: 3, paddingLabel: 0)
        let (x, truth) = InterScoring.examples(one: one, a: 0, many: many, manyTask: .manyToMany, b: 2)
        #expect(truth == [0, 0, 1, 1])                 // A rows 0, 2; B row 0 (tag 2 at step 1), row 1 (tag 2 at step 0)
        #expect(x.data == [1, 1, 3, 3, 4, 4, 5, 0])
    }
}
