import Testing
@testable import RNNKit
@testable import Zoo
import Corpora
import TestSupport

/// The output layer computes only the rows the loss counts (LossRows.swift): every gradient,
/// the loss and the counted rows' probabilities must keep the bits of the full computation.
struct LossRowsTests {
    static let tasks: [Task] = [.manyToMany, .encoderDecoder]
    let B = 6, T = 7, vocab = 11, classes = 40

    /// One fused training step on `graph`, with or without the loss's rows named; `inHead`: the
    /// head scores the loss and back-propagates it itself, as the trainer's step does
    /// (Dense+FusedLoss.swift).
    func step(_ graph: TrainingGraph<Float>, _ feeds: [String: Batch<Float>], _ labels: [Int32], skip: Bool, inHead: Bool = false) throws
        -> (loss: CrossEntropyResult<Float>, probabilities: [Float], grads: [[UInt32]]) {
        graph.zeroGradients()
        let context = ForwardContext(training: true, seed: 9, lossRows: skip ? LossRows(labels: labels, ignoreLabel: 0) : nil,
                                     headEvaluatesLoss: inHead)
        let out = try graph.forward(feeds, context: context)
        let others = [[Float]?](repeating: nil, count: out.count - 1)
        let loss: CrossEntropyResult<Float>
        if inHead {
            loss = try #require(try graph.headLoss(labels: labels), "the head kept the counted rows")
            #expect(out[0].count == 0, "the full output is not formed")
            graph.backward([[]] + others)
        } else {
            loss = try SoftmaxCrossEntropy.evaluate(out[0], labels: labels, ignoreLabel: 0, wrtLogits: true)
            graph.backward([loss.gradient] + others)
        }
        let grads = graph.parameters.map { p in (0..<p.weight.count).map { p.grad.p[$0].bitPattern } }
        return (loss, out[0].data, grads)
    }

    @Test("the head's own loss and column-block backward keep every bit", arguments: tasks, [8, 300, 600])
    func headLossSameBits(_ task: Task, classes: Int) throws {
        // 300 and 600 classes: more than one column block (DenseOp.columnBlock), the last one partial.
        #expect(DenseOp<Float>.columnBlock < 300)
        let steps = task == .encoderDecoder ? 5 : T
        let arch = Architecture(task: task, cell: .lstm, layers: 1, units: 8, embed: 4, vocabulary: vocab, classes: classes,
                                inputLength: T, outputSteps: steps, maskZero: true)
        let model = try arch.build().kerasInitialized(seed: 3)
        var feeds: [String: Batch<Float>] = [:]
        let target: [Double]
        if task == .encoderDecoder {
            feeds["source"] = Batch(shape: [B, T], data: TestData.tokens(batch: B, steps: T, vocab: vocab, seed: 1, postPad: 3).map(Float.init))
            target = TestData.tokens(batch: B, steps: steps, vocab: classes, seed: 2, postPad: 3)
            feeds["target"] = Batch(shape: [B, steps], data: target.map(Float.init))
        } else {
            target = TestData.tokens(batch: B, steps: T, vocab: vocab, seed: 1, prePad: 3)
            feeds["input_1"] = Batch(shape: [B, T], data: target.map(Float.init))
        }
        let labels = zip(target, TestData.labels(B * steps, classes: classes - 1, seed: 4)).enumerated()
            .map { i, e in e.0 == 0 || i % 5 == 0 ? Int32(0) : Int32(e.1 + 1) }
        let graph = try TrainingGraph<Float>(model: model)
        let full = try step(graph, feeds, labels, skip: false)
        let head = try step(graph, feeds, labels, skip: true, inHead: true)
        #expect(head.loss.counted == full.loss.counted && head.loss.counted < B * steps)
        #expect(head.loss.lossSum.bitPattern == full.loss.lossSum.bitPattern && head.loss.correct == full.loss.correct)
        #expect(head.grads == full.grads)
        // A non-zero gradient before the step (as after a shard's accumulation) takes the full path: still the same bits.
        let primed = { (g: TrainingGraph<Float>) in for p in g.parameters { p.grad.p[0] = 0.25 } }
        graph.zeroGradients(); primed(graph)
        let viaLoss = try SoftmaxCrossEntropy.evaluate(try graph.forward(feeds, context: ForwardContext(training: true, seed: 9))[0],
                                                       labels: labels, ignoreLabel: 0, wrtLogits: true)
        graph.backward([viaLoss.gradient])
        let fullPrimed = graph.parameters.map { p in (0..<p.weight.count).map { p.grad.p[$0].bitPattern } }
        graph.zeroGradients(); primed(graph)
        _ = try graph.forward(feeds, context: ForwardContext(training: true, seed: 9, lossRows: LossRows(labels: labels, ignoreLabel: 0),
                                                             headEvaluatesLoss: true))
        _ = try #require(try graph.headLoss(labels: labels))
        graph.backward([[]])
        #expect(graph.parameters.map { p in (0..<p.weight.count).map { p.grad.p[$0].bitPattern } } == fullPrimed)
    }

    @Test("skipping uncounted rows keeps every bit", arguments: tasks, CellKind.allCases)
    func sameBits(_ task: Task, _ cell: CellKind) throws {
        let steps = task == .encoderDecoder ? 5 : T
        let arch = Architecture(task: task, cell: cell, layers: 1, units: 8, embed: 4, vocabulary: vocab, classes: classes,
                                inputLength: T, outputSteps: steps, maskZero: true)
        let model = try arch.build().kerasInitialized(seed: 3)
        var feeds: [String: Batch<Float>] = [:]
        let target: [Double]
        if task == .encoderDecoder {
            feeds["source"] = Batch(shape: [B, T], data: TestData.tokens(batch: B, steps: T, vocab: vocab, seed: 1, postPad: 3).map(Float.init))
            target = TestData.tokens(batch: B, steps: steps, vocab: classes, seed: 2, postPad: 3)
            feeds["target"] = Batch(shape: [B, steps], data: target.map(Float.init))
        } else {
            target = TestData.tokens(batch: B, steps: T, vocab: vocab, seed: 1, prePad: 3)
            feeds["input_1"] = Batch(shape: [B, T], data: target.map(Float.init))
        }
        // Padding positions are masked or labelled 0 (ignored); some real positions are ignored too.
        let labels = zip(target, TestData.labels(B * steps, classes: classes - 1, seed: 4)).enumerated()
            .map { i, e in e.0 == 0 || i % 5 == 0 ? Int32(0) : Int32(e.1 + 1) }
        let graph = try TrainingGraph<Float>(model: model)
        #expect(graph.fusesSoftmaxLoss)
        let full = try step(graph, feeds, labels, skip: false)
        let short = try step(graph, feeds, labels, skip: true)
        #expect(short.loss.counted == full.loss.counted && short.loss.counted > 0 && short.loss.counted < B * steps)
        #expect(short.loss.lossSum.bitPattern == full.loss.lossSum.bitPattern && short.loss.correct == full.loss.correct)
        #expect(short.loss.gradient.map { $0.bitPattern } == full.loss.gradient.map { $0.bitPattern })
        #expect(short.grads == full.grads)
        // The skipped rows were not computed (zero), the full pass's are probabilities.
        let rows = LossRows(labels: labels, ignoreLabel: 0).counted(rows: B * steps, mask: nil) ?? []
        let skipped = Set(0..<(B * steps)).subtracting(rows).filter { r in labels[r] == 0 }
        #expect(!skipped.isEmpty)
        for r in skipped {
            #expect(short.probabilities[(r * classes)..<((r + 1) * classes)].allSatisfy { $0 == 0 })
            #expect(full.probabilities[(r * classes)..<((r + 1) * classes)].reduce(0, +) > 0.99)
        }
    }

    /// The one case where the short chain differs: a product that underflows to −0 in a counted
    /// row, then (in the full chain) fma(1, +0, −0) = +0 in a skipped row. `refineZeros` gives +0.
    @Test func zeroSignOfAnUnderflowIsTheFullChains() throws {
        let dense = TestData.randomized(Dense(name: "dense", inputDim: 1, units: 2, activation: .softmax), seed: 1)
        let model = try Model.sequential(name: "m", input: ModelInput(name: "x", shape: [nil, 1]), layers: [dense])
        let graph = try TrainingGraph<Float>(model: model)
        let feeds = ["x": Batch<Float>(shape: [2, 1], data: [-1e-30, 1])]
        let labels: [Int32] = [1, 0]
        var results: [[UInt32]] = []
        for skip in [false, true] {
            graph.zeroGradients()
            _ = try graph.forward(feeds, context: ForwardContext(training: true, seed: 1, lossRows: skip ? LossRows(labels: labels, ignoreLabel: 0) : nil))
            // ∂logits of the counted row 0 chosen so x·p underflows: −1e-30 · 1e-20 → −0.
            graph.backward([[1e-20, -1e-20, 0, 0]])
            results.append((0..<2).map { graph.parameters[0].grad.p[$0].bitPattern } + (0..<2).map { graph.parameters[1].grad.p[$0].bitPattern })
        }
        #expect(results[0] == results[1])
        #expect(results[0][0] == Float(0).bitPattern, "the full chain ends +0")
    }

    /// The chains known without running them (`refineZeros`): a row of ∂W whose input is ±0 in
    /// every row (a silent ReLU unit) and a column whose P is ±0 in every counted row (an
    /// underflowed probability) are +0, as the full chains give them; the rest is refined as before.
    @Test func silentInputsAndZeroColumnsAreTheFullChains() throws {
        let dense = TestData.randomized(Dense(name: "dense", inputDim: 3, units: 4, activation: .softmax), seed: 2)
        let model = try Model.sequential(name: "m", input: ModelInput(name: "x", shape: [nil, 3]), layers: [dense])
        let graph = try TrainingGraph<Float>(model: model)
        // Input 1 is ±0 in every row; rows 1 and 3 are not counted (label 0).
        let feeds = ["x": Batch<Float>(shape: [4, 3], data: [0.5, 0, -1, 2, -0.0, 0.25, -0.75, -0.0, 1.5, 3, 0, -2])]
        let labels: [Int32] = [1, 0, 2, 0]
        // ∂logits: column 3 is ±0 in both counted rows; an underflow (−1e-30 · 1e-20 → −0) in column 0.
        let gradient: [Float] = [1e-20, 0.5, -0.25, -0.0,   0, 0, 0, 0,   0, 0.125, 1, 0,   0, 0, 0, 0]
        var results: [[UInt32]] = []
        for (skip, x) in [(false, feeds), (true, feeds), (false, ["x": Batch<Float>(shape: [4, 3], data: feeds["x"]!.data.map { $0 == 0.5 ? -1e-30 : $0 })]),
                          (true, ["x": Batch<Float>(shape: [4, 3], data: feeds["x"]!.data.map { $0 == 0.5 ? -1e-30 : $0 })])] {
            graph.zeroGradients()
            _ = try graph.forward(x, context: ForwardContext(training: true, seed: 1, lossRows: skip ? LossRows(labels: labels, ignoreLabel: 0) : nil))
            graph.backward([gradient])
            results.append((0..<12).map { graph.parameters[0].grad.p[$0].bitPattern })
        }
        #expect(results[0] == results[1] && results[2] == results[3])
        let plusZero = Float(0).bitPattern
        #expect((4..<8).allSatisfy { results[1][$0] == plusZero }, "the silent input's row is +0")
        #expect([3, 7, 11].allSatisfy { results[1][$0] == plusZero }, "the zero column is +0")
        #expect(results[3][0] == plusZero && results[1][0] != plusZero, "an underflow elsewhere is still refined to the full chain's +0")
    }

    @Test func countedRows() {
        let rows = LossRows(labels: [3, 0, 2, 5], ignoreLabel: 0)
        #expect(rows.counted(rows: 4, mask: [true, true, false, true]) == [0, 3])
        #expect(rows.counted(rows: 4, mask: nil) == [0, 2, 3])
        #expect(LossRows(labels: [3, 2], ignoreLabel: 0).counted(rows: 2, mask: nil) == nil, "all rows count")
        #expect(rows.counted(rows: 4, mask: [false, true, false, false]) == nil, "no row counts")
        #expect(rows.counted(rows: 5, mask: nil) == nil, "labels do not line up")
        #expect(rows.counted(rows: 4, mask: [true]) == nil, "mask does not line up")
    }
}
