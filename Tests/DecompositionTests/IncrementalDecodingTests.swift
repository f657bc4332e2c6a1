import Foundation
import Testing
@testable import Decomposition
import RNNKit
import TestSupport

/// Step-wise greedy decoding (`StepwiseRun`, `GreedyDecoder.translate`) against re-running the
/// whole model on every prefix (`translateByRerunning`): the same tokens, the same bits.
struct IncrementalDecodingTests {
    /// A decoder configuration of the random encoder-decoders below.
    struct Decoder: CustomTestStringConvertible, Sendable {
        var cell: Recurrent.Cell
        var activation: Activation = .tanh
        var depth = 1
        /// The target input's declared width (nil: free width).
        var width: Int? = nil
        var maskZero = true
        /// Dense(linear) → Dropout → Activation(softmax) instead of Dense(softmax).
        var softmaxLayer = false
        var testDescription: String {
            "\(cell.kerasClassName)\(cell == .gru(resetAfter: true) ? "(reset_after)" : "")-\(activation.rawValue)×\(depth), width \(width.map(String.init) ?? "free")"
                + (maskZero ? ", mask_zero" : "") + (softmaxLayer ? ", softmax layer" : "")
        }
    }

    static let vocab = 13, sourceVocab = 11, sourceLength = 6, units = 8

    /// Embeddings → `depth` encoder layers (final states) → `depth` decoder layers started from
    /// them → softmax over the target vocabulary; seeded random weights.
    static func model(_ d: Decoder, decoderStateFromDecoder: Bool = false) throws -> Model {
        let H = units
        var nodes = [Node(layer: Tiny.randomize(Embedding(name: "enc_emb", inputDim: sourceVocab, outputDim: 5, maskZero: true), seed: 1),
                          inputs: [TensorRef(layer: "source")])]
        var previous = TensorRef(layer: "enc_emb")
        for i in 0..<d.depth {
            let r = Recurrent(name: "enc\(i)", cell: d.cell, inputDim: i == 0 ? 5 : H, units: H, activation: d.activation,
                              returnSequences: i < d.depth - 1, returnState: true)
            nodes.append(Node(layer: Tiny.randomize(r, seed: 10 + UInt64(i)), inputs: [previous]))
            previous = TensorRef(layer: "enc\(i)")
        }
        nodes.append(Node(layer: Tiny.randomize(Embedding(name: "dec_emb", inputDim: vocab, outputDim: 5, maskZero: d.maskZero), seed: 2),
                          inputs: [TensorRef(layer: "target")]))
        previous = TensorRef(layer: "dec_emb")
        for i in 0..<d.depth {
            // The second decoder layer may start from the first one's final state (not steppable).
            let source = decoderStateFromDecoder && i > 0 ? "dec\(i - 1)" : "enc\(i)"
            let states = (1...d.cell.stateCount).map { TensorRef(layer: source, index: $0) }
            let r = Recurrent(name: "dec\(i)", cell: d.cell, inputDim: i == 0 ? 5 : H, units: H, activation: d.activation,
                              returnSequences: true, returnState: decoderStateFromDecoder)
            nodes.append(Node(layer: Tiny.randomize(r, seed: 20 + UInt64(i)), inputs: [previous] + states))
            previous = TensorRef(layer: "dec\(i)")
        }
        let dense = Tiny.randomize(Dense(name: "out", inputDim: H, units: vocab, activation: d.softmaxLayer ? .linear : .softmax,
                                         timeDistributed: d.softmaxLayer), seed: 30)
        nodes.append(Node(layer: dense, inputs: [previous]))
        var output = TensorRef(layer: "out")
        if d.softmaxLayer {
            nodes.append(Node(layer: Dropout(name: "drop", rate: 0.5), inputs: [output]))
            nodes.append(Node(layer: ActivationLayer(name: "softmax", activation: .softmax), inputs: [TensorRef(layer: "drop")]))
            output = TensorRef(layer: "softmax")
        }
        return try Model(name: "s2s", isSequential: false,
                         inputs: [ModelInput(name: "source", shape: [nil, sourceLength], dtype: "int32"),
                                  ModelInput(name: "target", shape: [nil, d.width], dtype: "int32")],
                         nodes: nodes, outputs: [output])
    }

    /// `n` seeded source sentences (tokens 1..<sourceVocab, post-padded), start tokens 3 or 4,
    /// end tokens 1 or 2.
    static func sentences(_ n: Int, seed: UInt64 = 5) -> (source: Tensor, start: [Int], end: [Int]) {
        var g = SeededRandom(seed: seed)
        var source = [Float](repeating: 0, count: n * sourceLength)
        for i in 0..<n {
            for t in 0..<(2 + g.below(sourceLength - 1)) { source[i * sourceLength + t] = Float(1 + g.below(sourceVocab - 1)) }
        }
        return (Tensor(shape: [n, sourceLength], data: source), (0..<n).map { 3 + $0 % 2 }, (0..<n).map { 1 + ($0 / 2) % 2 })
    }

    static let decoders: [Decoder] = [
        Decoder(cell: .lstm), Decoder(cell: .gru(resetAfter: true)), Decoder(cell: .gru(resetAfter: false)), Decoder(cell: .simple),
        Decoder(cell: .simple, activation: .relu),
        Decoder(cell: .lstm, depth: 2), Decoder(cell: .gru(resetAfter: false), depth: 2, width: 7),
        Decoder(cell: .simple, activation: .relu, depth: 2, width: 9, maskZero: false),
        Decoder(cell: .lstm, width: 7, maskZero: false), Decoder(cell: .gru(resetAfter: true), width: 9, softmaxLayer: true),
    ]

    @Test("step-wise greedy decoding gives the tokens of re-running the model on every prefix",
          arguments: decoders, Precision.allCases)
    func sameTokensAsRerunning(decoder: Decoder, precision: Precision) throws {
        let m = try Self.model(decoder)
        // The target embedding, the decoder layers and the head.
        #expect(try StepwiseRun.steppedNodes(m, stepped: "target").count == 1 + decoder.depth + (decoder.softmaxLayer ? 3 : 1))
        let (source, start, end) = Self.sentences(300)   // two chunks of rows
        for maxLength in [1, 5, 12] {
            let new = try GreedyDecoder.translate(m, source: source, start: start, end: end, maxLength: maxLength, precision: precision)
            let old = try GreedyDecoder.translateByRerunning(m, source: source, start: start, end: end, maxLength: maxLength, precision: precision)
            #expect(new == old, "maxLength \(maxLength)")
            #expect(new.allSatisfy { $0.count <= min(maxLength, decoder.width ?? maxLength) })
        }
    }

    @Test("the random decoders produce sentences of several lengths (the comparison is not trivial)", arguments: decoders)
    func nontrivialOutputs(decoder: Decoder) throws {
        let m = try Self.model(decoder)
        let (source, start, end) = Self.sentences(300)
        let out = try GreedyDecoder.translate(m, source: source, start: start, end: end, maxLength: 12)
        #expect(Set(out.map(\.count)).count >= 2, "lengths \(Set(out.map(\.count)).sorted())")
    }

    @Test("a step's output probabilities are the full forward's at that position, bit for bit (a masked step included)",
          arguments: [Decoder(cell: .lstm, depth: 2), Decoder(cell: .gru(resetAfter: true)), Decoder(cell: .gru(resetAfter: false), width: 6),
                      Decoder(cell: .simple, activation: .relu), Decoder(cell: .simple, activation: .relu, width: 6, maskZero: false),
                      Decoder(cell: .lstm, softmaxLayer: true)], Precision.allCases)
    func bitIdenticalSteps(decoder: Decoder, precision: Precision) throws {
        let m = try Self.model(decoder)
        let (n, L) = (40, 6)
        let (source, _, _) = Self.sentences(n, seed: 9)
        var g = SeededRandom(seed: 3)
        // Token 0 at step 3 of every third row: masked with mask_zero (the previous output repeats).
        let tokens = (0..<(n * L)).map { i in i % L == 3 && (i / L) % 3 == 0 ? Float(0) : Float(1 + g.below(Self.vocab - 1)) }
        let full = try m.predict(["source": source, "target": Tensor(shape: [n, L], data: tokens)], precision: precision).prediction
        var run = try StepwiseRun(m, fixed: ["source": source], stepped: "target", precision: precision)
        for t in 0..<L {
            let p = try run.step(Tensor(shape: [n, 1], data: (0..<n).map { tokens[$0 * L + t] }))[0]
            #expect(p.shape == [n, 1, Self.vocab])
            let V = Self.vocab
            var expected: [UInt32] = []
            for b in 0..<n { expected += full.data[((b * L + t) * V)..<((b * L + t + 1) * V)].map { $0.bitPattern } }
            #expect(p.data.map { $0.bitPattern } == expected, "step \(t)")
        }
        #expect(run.steps == L)
    }

    @Test("rows kept after a step (finished sentences dropped, the rest reordered) continue bit for bit as in the whole batch",
          arguments: [Decoder(cell: .lstm, depth: 2), Decoder(cell: .gru(resetAfter: true), width: 6), Decoder(cell: .simple, activation: .relu)],
          Precision.allCases)
    func keptRowsContinue(decoder: Decoder, precision: Precision) throws {
        let m = try Self.model(decoder)
        let (n, L) = (20, 5)
        let (source, _, _) = Self.sentences(n, seed: 4)
        var g = SeededRandom(seed: 5)
        let tokens = (0..<(n * L)).map { _ in Float(1 + g.below(Self.vocab - 1)) }
        var whole = try StepwiseRun(m, fixed: ["source": source], stepped: "target", precision: precision)
        var part = whole
        var rows = Array(0..<n)   // part's rows, as rows of the whole batch
        for t in 0..<L {
            let p = try whole.step(Tensor(shape: [n, 1], data: (0..<n).map { tokens[$0 * L + t] }))[0]
            let q = try part.step(Tensor(shape: [rows.count, 1], data: rows.map { tokens[$0 * L + t] }))[0]
            #expect(q.data.map(\.bitPattern) == p.gather(batch: rows).data.map(\.bitPattern), "step \(t)")
            // Drop every third row still there and reverse the order of the rest.
            let kept = Array(rows.indices.filter { $0 % 3 != 1 }.reversed())
            try part.keep(rows: kept)
            rows = kept.map { rows[$0] }
        }
        #expect(rows.count < n / 2)
        #expect(throws: RNNKitError.self) { try part.keep(rows: [rows.count]) }
    }

    @Test("a decoder layer started from another decoder layer's final state is refused step by step, and decoding falls back")
    func unsupportedFallsBack() throws {
        let m = try Self.model(Decoder(cell: .gru(resetAfter: true), depth: 2, width: 8), decoderStateFromDecoder: true)
        #expect(throws: StepwiseRun.Unsupported(layer: "dec1", reason: "it reads output 1 (a final state) of dec0, which depends on target")) {
            try StepwiseRun.steppedNodes(m, stepped: "target")
        }
        #expect(throws: StepwiseRun.Unsupported.self) { try StepwiseRun(m, fixed: [:], stepped: "target") }
        let (source, start, end) = Self.sentences(50)
        let new = try GreedyDecoder.translate(m, source: source, start: start, end: end, maxLength: 8)
        #expect(new == (try GreedyDecoder.translateByRerunning(m, source: source, start: start, end: end, maxLength: 8)))
        #expect(new.contains { !$0.isEmpty })
    }

    @Test("step inputs are checked: one step, the fixed inputs' batch")
    func stepShapes() throws {
        let m = try Self.model(Decoder(cell: .lstm))
        let (source, _, _) = Self.sentences(4)
        var run = try StepwiseRun(m, fixed: ["source": source], stepped: "target")
        #expect(throws: RNNKitError.inputShapeMismatch(layer: "target", expected: "[batch, 1, …] (one time step)", found: [4, 2])) {
            try run.step(Tensor(shape: [4, 2], data: [Float](repeating: 1, count: 8)))
        }
        #expect(throws: RNNKitError.batchMismatch("target has 3 rows, the fixed inputs 4")) {
            try run.step(Tensor(shape: [3, 1], data: [1, 1, 1]))
        }
        #expect(throws: RNNKitError.missingInput(name: "source", source: "the fixed inputs given")) {
            try StepwiseRun(m, fixed: [:], stepped: "target")
        }
        #expect(run.steps == 0 && run.unrolledLength == nil)
    }

    /// Both decoders' tokens, or both errors' descriptions.
    func bothDecoders(_ m: Model, _ source: Tensor, _ start: [Int], _ end: [Int], maxLength: Int, precision: Precision = .auto) -> (String, String) {
        func run(_ f: () throws -> [[Int]]) -> String { do { return "\(try f())" } catch { return "error: \(error)" } }
        return (run { try GreedyDecoder.translate(m, source: source, start: start, end: end, maxLength: maxLength, precision: precision) },
                run { try GreedyDecoder.translateByRerunning(m, source: source, start: start, end: end, maxLength: maxLength, precision: precision) })
    }

    @Test("decomposed translation modules (rolled and unrolled) decode alike step-wise, past their unrolled length too",
          arguments: DecompositionConfig.Mode.allCases)
    func decomposedModules(mode: DecompositionConfig.Mode) throws {
        let (m, train, test) = try TranslationTests().setUp()
        var c = DecompositionConfig.paper
        c.mode = mode; c.samplesPerClass = 30
        let modules = try Decomposer(model: m, config: c).decomposeTranslation(train: train).modules
        let n = min(test.count, 120)
        let (source, _) = test.rows(Array(0..<n))
        for module in modules {
            let l = module.concern
            let (start, end) = ([Int](repeating: test.startToken[l], count: n), [Int](repeating: test.endToken[l], count: n))
            if mode == .unrolled {
                #expect(try StepwiseRun(module.model, fixed: ["source": source], stepped: "target").unrolledLength == test.steps)
            }
            for maxLength in [test.steps, test.steps + 3] {
                let (new, old) = bothDecoders(module.model, source, start, end, maxLength: maxLength)
                #expect(new == old, "language \(l), maxLength \(maxLength)")
            }
        }
        // Past an unrolled module's length with every row running: the full run's shape error.
        if mode == .unrolled, let module = modules.first {
            let never = [Int](repeating: -1, count: n), start = [Int](repeating: test.startToken[module.concern], count: n)
            var untrained = module.model
            // A constant output bias wins every step: no row ends.
            var dense = untrained.nodes.last!.layer as! Dense
            dense.stepWeights = dense.stepWeights?.map { w in
                Dense.StepWeights(kernel: Tensor(zeros: w.kernel.shape), bias: Tensor(shape: w.bias.shape, data: (0..<w.bias.count).map { $0 == 7 ? 1 : 0 }))
            }
            untrained.nodes[untrained.nodes.count - 1].layer = dense
            let (new, old) = bothDecoders(untrained, source, start, never, maxLength: test.steps + 1)
            #expect(new == old)
            #expect(new.hasPrefix("error: layer 'decoder' expects input at most \(test.steps) time steps (unrolled weights)"), "\(new.prefix(200))")
        }
    }

    @Test("the Keras-written encoder-decoder fixtures decode alike step-wise", .requiresShared(Shared.kerasFixtures),
          arguments: ["encdec_gru", "encdec_lstm", "encdec_simplernn"], Precision.allCases)
    func kerasFixtures(name: String, precision: Precision) throws {
        let m = try Model.loadKeras(path: KerasFixtures.model(name))
        _ = try StepwiseRun.steppedNodes(m, stepped: m.inputs[1].name)   // decoded step-wise, not by the fallback
        let sourceVocab = try #require(m.nodes.first { $0.inputs[0].layer == m.inputs[0].name }?.layer as? Embedding).inputDim
        let targetVocab = try #require(m.nodes.last?.layer as? Dense).units
        let length = m.inputs[0].shape.count > 1 ? (m.inputs[0].shape[1] ?? 7) : 7
        var g = SeededRandom(seed: 11)
        let n = 64
        let source = Tensor(shape: [n, length], data: (0..<(n * length)).map { _ in Float(1 + g.below(sourceVocab - 1)) })
        let start = (0..<n).map { 1 + $0 % min(3, targetVocab - 1) }, end = (0..<n).map { _ in 1 + g.below(targetVocab - 1) }
        let (new, old) = bothDecoders(m, source, start, end, maxLength: 10, precision: precision)
        #expect(new == old)
        #expect(!new.hasPrefix("error"), "\(new.prefix(200))")
    }
}
