import Testing
import Metrics

// All expected numbers are counted by hand in the comments.
@Suite struct AccuracyTests {
    @Test func oneOutput() throws {
        // 3 of 4 equal.
        #expect(try accuracy(predicted: [0, 1, 2, 2], truth: [0, 1, 2, 1]) == 0.75)
        #expect(try accuracy(predicted: [5], truth: [5]) == 1)
        #expect(try accuracy(predicted: [4, 4, 4], truth: [1, 2, 3]) == 0)
    }

    @Test func oneOutputErrors() {
        #expect(throws: MetricsError.countMismatch(metric: "accuracy", what: "predicted", expected: 3, found: 2)) {
            try accuracy(predicted: [1, 2], truth: [1, 2, 3])
        }
        #expect(throws: MetricsError.empty(metric: "accuracy", detail: "no labels")) {
            try accuracy(predicted: [], truth: [])
        }
    }

    // Two sequences, padding class 0.
    //   truth      [3, 1, 0, 0]   [2, 2, 1]
    //   predicted  [3, 2, 0, 4]   [2, 0, 1]
    // .skipTrueLabel(0): counted (0,0) (0,1) (1,0) (1,1) (1,2); correct (0,0) (1,0) (1,2) → 3/5.
    //   (1,1) predicted the padding label for a real class: wrong.
    // .countAll: 7 positions, correct (0,0) (0,2) (1,0) (1,2) → 4/7.
    // .skipPredictedLabel(0): drop (0,2) and (1,1); 5 counted, correct (0,0) (1,0) (1,2) → 3/5
    //   ((0,3), predicted 4 where the truth is padding, is counted and wrong).
    static let truth = [[3, 1, 0, 0], [2, 2, 1]]
    static let predicted = [[3, 2, 0, 4], [2, 0, 1]]

    @Test func manyOutputSkipsTruePadding() throws {
        #expect(try accuracy(predicted: Self.predicted, truth: Self.truth, paddingLabel: 0) == 3.0 / 5.0)
        #expect(try accuracy(predicted: Self.predicted, truth: Self.truth, skipping: .skipTrueLabel(0)) == 0.6)
    }

    @Test func manyOutputOtherRules() throws {
        #expect(try accuracy(predicted: Self.predicted, truth: Self.truth, skipping: .countAll) == 4.0 / 7.0)
        #expect(try accuracy(predicted: Self.predicted, truth: Self.truth, skipping: .skipPredictedLabel(0)) == 3.0 / 5.0)
        // Padding label 2 instead: truth (1,0) (1,1) skipped; counted 5, correct (0,0) (0,2) (1,2) → 3/5.
        #expect(try accuracy(predicted: Self.predicted, truth: Self.truth, paddingLabel: 2) == 0.6)
        // .skipPredictedLabel(4): drops (0,3); 6 counted, correct 4 → 2/3.
        #expect(try accuracy(predicted: Self.predicted, truth: Self.truth, skipping: .skipPredictedLabel(4)) == 4.0 / 6.0)
    }

    @Test func manyOutputErrors() {
        #expect(throws: MetricsError.countMismatch(metric: "accuracy", what: "predicted[1] (time steps)",
                                                   expected: 3, found: 2)) {
            try accuracy(predicted: [[1], [1, 2]], truth: [[1], [1, 2, 3]], paddingLabel: 0)
        }
        #expect(throws: MetricsError.countMismatch(metric: "accuracy", what: "predicted (sequences)",
                                                   expected: 2, found: 1)) {
            try accuracy(predicted: [[1]], truth: [[1], [2]], paddingLabel: 0)
        }
        // Everything is padding: nothing to measure.
        #expect(throws: MetricsError.self) {
            try accuracy(predicted: [[1, 2]], truth: [[0, 0]], paddingLabel: 0)
        }
    }

    @Test func confusionMatrixOneOutput() throws {
        // truth     0 0 1 1 1 2
        // predicted 0 1 1 1 0 1
        let m = try ConfusionMatrix(predicted: [0, 1, 1, 1, 0, 1], truth: [0, 0, 1, 1, 1, 2], classCount: 4)
        #expect(m.counts == [[1, 1, 0, 0], [1, 2, 0, 0], [0, 1, 0, 0], [0, 0, 0, 0]])
        #expect(m.total == 6)
        #expect(m.correct == 3)
        #expect(m.accuracy == 0.5)
        #expect(m.support(of: 1) == 3)
        #expect(m.support(of: 9) == 0)
        let perClass = m.perClassAccuracy
        #expect(perClass.count == 4)
        #expect(perClass[0] == 0.5)
        #expect(perClass[1] == 2.0 / 3.0)
        #expect(perClass[2] == 0)
        #expect(perClass[3] == nil)     // class 3 never occurs in the truth
    }

    @Test func confusionMatrixManyOutputAgreesWithAccuracy() throws {
        let m = try ConfusionMatrix(predicted: Self.predicted, truth: Self.truth, classCount: 5,
                                    skipping: .skipTrueLabel(0))
        #expect(m.total == 5)
        #expect(m.correct == 3)
        #expect(m.accuracy == 0.6)
        // truth 1: (0,1)→2 wrong, (1,2)→1 right; truth 2: (1,0) right, (1,1)→0 wrong; truth 3: right.
        #expect(m.perClassAccuracy == [nil, 0.5, 0.5, 1.0, nil])
        #expect(m.counts[2][0] == 1)
    }

    @Test func confusionMatrixErrors() throws {
        #expect(throws: MetricsError.labelOutOfRange(metric: "confusion matrix", label: 3, classCount: 3)) {
            try ConfusionMatrix(predicted: [0, 3], truth: [0, 1], classCount: 3)
        }
        #expect(throws: MetricsError.invalidArgument(metric: "confusion matrix",
                                                     detail: "classCount must be at least 1, got 0")) {
            try ConfusionMatrix(classCount: 0)
        }
        let empty = try ConfusionMatrix(classCount: 2)
        #expect(empty.accuracy == nil)
        #expect(empty.total == 0)
    }
}
