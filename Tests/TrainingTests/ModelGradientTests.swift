import Testing
import Corpora
@testable import RNNKit
@testable import Zoo
import TestSupport

/// Finite-difference checks of whole paper-shaped models (the zoo's architectures, tiny) under
/// the training loss: mean softmax cross-entropy, fused as in training. Two recurrent layers,
/// so gradients cross a layer boundary (and, for encoder-decoder, two state hand-offs).
struct ModelGradientTests {
    static let shapes: [Task] = [.oneToOne, .manyToOne, .oneToMany, .manyToMany, .encoderDecoder]
    let B = 3, T = 5, vocab = 9, classes = 4

    func architecture(_ task: Task, _ cell: CellKind) -> Architecture {
        Architecture(task: task, cell: cell, layers: 2, units: 4, embed: 3, vocabulary: vocab, classes: classes, inputLength: T,
                     outputSteps: task == .oneToMany ? 3 : task == .encoderDecoder ? 4 : 1, maskZero: task == .manyToMany)
    }

    @Test("full model, every weight", arguments: shapes, CellKind.allCases)
    func model(_ task: Task, _ cell: CellKind) throws {
        let arch = architecture(task, cell)
        var model = try arch.build()
        for i in model.nodes.indices { model.nodes[i].layer = TestData.randomized(model.nodes[i].layer, seed: 100 + UInt64(i)) }
        var feeds: [String: Batch<Double>] = [:]
        var labels: [Int32]
        var ignore: Int? = nil
        switch task {
        case .manyToMany:
            // Pre-padded sentences (mask_zero), padding targets ignored.
            let x = TestData.tokens(batch: B, steps: T, vocab: vocab, seed: 1, prePad: 3)
            feeds["input_1"] = Batch(shape: [B, T], data: x)
            labels = zip(x, TestData.labels(B * T, classes: classes - 1, seed: 2)).map { $0 == 0 ? 0 : $1 + 1 }
            ignore = 0
        case .encoderDecoder:
            let steps = arch.outputSteps
            feeds["source"] = Batch(shape: [B, T], data: TestData.tokens(batch: B, steps: T, vocab: vocab, seed: 3, postPad: 2))
            let target = TestData.tokens(batch: B, steps: steps, vocab: classes, seed: 4, postPad: 2)
            feeds["target"] = Batch(shape: [B, steps], data: target)
            labels = zip(target, TestData.labels(B * steps, classes: classes - 1, seed: 5)).map { $0 == 0 ? 0 : $1 + 1 }
            ignore = 0
        default:
            feeds["input_1"] = Batch(shape: [B, T], data: TestData.tokens(batch: B, steps: T, vocab: vocab, seed: 6))
            labels = TestData.labels(B * (task == .oneToMany ? arch.outputSteps : 1), classes: classes, seed: 7)
        }
        let r = try GradientCheck.run("\(task.rawValue) \(cell.rawValue)-2", model, inputs: feeds, fuse: true,
                                      loss: GradientCheck.crossEntropy(labels, ignoreLabel: ignore, fused: true))
        #expect(r.worstRelative < Tolerance.finiteDifference, "\(r)")
        #expect(r.checked > 100 && r.kinks <= 2, "\(r)")
    }
}
