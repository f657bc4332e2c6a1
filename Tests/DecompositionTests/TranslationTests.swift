import Corpora
import Foundation
import TestSupport
import Metrics
import Testing
@testable import Decomposition
import DecompositionInputs
import Experiments
import RNNKit

/// Encoder-decoder decomposition into per-language modules, and greedy decoding.
struct TranslationTests {
    /// The synthetic translation task and a random LSTM encoder-decoder that fits it.
    func setUp() throws -> (Model, TranslationData, TranslationData) {
        let d = try SyntheticTasks.make(.encoderDecoder, profile: .smoke, seed: 3)
        let t = try #require(d.translation)
        let (sv, tv) = (t.sourceVocabSize, t.targetVocabSize)
        let H = 12
        var layers: [String: any Layer] = [
            "enc_emb": Embedding(name: "enc_emb", inputDim: sv, outputDim: 6, maskZero: true),
            "dec_emb": Embedding(name: "dec_emb", inputDim: tv, outputDim: 6, maskZero: true),
            "encoder": Recurrent(name: "encoder", cell: .lstm, inputDim: 6, units: H, returnState: true),
            "decoder": Recurrent(name: "decoder", cell: .lstm, inputDim: 6, units: H, returnSequences: true),
            "out": Dense(name: "out", inputDim: H, units: tv, activation: .softmax),
        ]
        for k in layers.keys { layers[k] = Tiny.randomize(layers[k]!, seed: UInt64(k.count * 7)) }
        let nodes = [Node(layer: layers["enc_emb"]!, inputs: [TensorRef(layer: "source")]),
                     Node(layer: layers["dec_emb"]!, inputs: [TensorRef(layer: "target")]),
                     Node(layer: layers["encoder"]!, inputs: [TensorRef(layer: "enc_emb")]),
                     Node(layer: layers["decoder"]!, inputs: [TensorRef(layer: "dec_emb"), TensorRef(layer: "encoder", index: 1), TensorRef(layer: "encoder", index: 2)]),
                     Node(layer: layers["out"]!, inputs: [TensorRef(layer: "decoder")])]
        let m = try Model(name: "s2s", isSequential: false,
                          inputs: [ModelInput(name: "source", shape: [nil, nil], dtype: "int64"), ModelInput(name: "target", shape: [nil, nil], dtype: "int64")],
                          nodes: nodes, outputs: [TensorRef(layer: "out")])
        return (m, try TranslationData(d, split: "train"), try TranslationData(d, split: "test"))
    }

    @Test("one module per target language; greedy decoding; BLEU per language", arguments: DecompositionConfig.Mode.allCases)
    func perLanguageModules(mode: DecompositionConfig.Mode) throws {
        let (m, train, test) = try setUp()
        var c = DecompositionConfig.paper
        c.mode = mode; c.samplesPerClass = 30
        let result = try Decomposer(model: m, config: c).decomposeTranslation(train: train)
        #expect(result.modules.map(\.concern) == Array(train.languages.indices))
        #expect(result.modules.contains { $0.structuralJaccard < 1 })
        #expect(result.modules.allSatisfy { ($0.removed["decoder"]?.count ?? 0) == (mode == .unrolled ? train.steps : 1) && $0.removed["encoder"] == nil })
        let e = try TranslationEvaluation.evaluate(model: m, modules: result.modules, test: test, maxLength: test.steps, preset: .paper)
        // The activations file holds per-step groups of different sizes and reads back intact.
        let path = TestScratch.root.appendingPathComponent("s2s-\(UUID().uuidString).h5").path
        try ActivationsFile.write(result, sourceSHA256: "s", to: path)
        #expect(try ActivationsFile.read(from: path, layers: ["decoder"]).observations == result.observations)
        #expect(e.pairs.map(\.language) == test.languages)
        #expect(e.pairs.allSatisfy { (0...1).contains($0.monolithicBLEU) && (0...1).contains($0.composedBLEU) && $0.sentences > 0 })
    }

    @Test("several caps from one monitoring pass give each cap's own decomposition; a given monolithic score is the one evaluate computes",
          arguments: DecompositionConfig.Mode.allCases)
    func capsFromOnePass(mode: DecompositionConfig.Mode) throws {
        let (m, train, test) = try setUp()
        var c = DecompositionConfig.paper
        c.mode = mode; c.samplesPerClass = 30
        let caps = [0.0, 0.1, 0.3]
        let together = try Decomposer(model: m, config: c).decomposeTranslation(train: train, caps: caps)
        #expect(together.count == caps.count)
        for (k, cap) in caps.enumerated() {
            var alone = c
            alone.maxRemoveFraction = cap
            let single = try Decomposer(model: m, config: alone).decomposeTranslation(train: train).modules
            #expect(together[k].map(\.removed) == single.map(\.removed))
            #expect(together[k].map(\.jaccard) == single.map(\.jaccard))
            let (src, tgt) = test.rows(Array(0..<min(8, test.count)))
            for (a, b) in zip(together[k], single) {
                #expect(try a.model.predict(["source": src, "target": tgt]).prediction.data == b.model.predict(["source": src, "target": tgt]).prediction.data)
            }
        }
        // The caps differ in what they remove (else the comparison above proves little).
        #expect(Set(together.map { $0.map(\.removedUnitCount).reduce(0, +) }).count == caps.count)
        let mono = try TranslationEvaluation.monolithic(model: m, test: test, maxLength: test.steps, preset: .paper)
        let given = try TranslationEvaluation.evaluate(model: m, modules: together[1], test: test, maxLength: test.steps, preset: .paper, monolithic: mono)
        let computed = try TranslationEvaluation.evaluate(model: m, modules: together[1], test: test, maxLength: test.steps, preset: .paper)
        #expect(given == computed)
        #expect(throws: DecompositionError.self) {
            try TranslationEvaluation.evaluate(model: m, modules: together[1], test: test, maxLength: test.steps, preset: .paper, monolithic: [:])
        }
    }

    @Test("greedy decoding stops at the end token and agrees with the teacher-forced model on its own output")
    func greedy() throws {
        let (m, _, test) = try setUp()
        let n = 5
        let src = Tensor(shape: [n] + test.source.shape.dropFirst(), data: Array(test.source.data.prefix(n * test.source.shape[1])))
        let start = (0..<n).map { test.startToken[test.language[$0]] }, end = (0..<n).map { test.endToken[test.language[$0]] }
        let out = try GreedyDecoder.translate(m, source: src, start: start, end: end, maxLength: 6)
        #expect(out.allSatisfy { $0.count <= 6 && !$0.contains(0) })
        // Re-running the model on start + output must predict the same tokens at each step.
        for i in 0..<n where !out[i].isEmpty {
            let prefix = [start[i]] + out[i].dropLast()
            let p = try m.predict(["source": Tensor(shape: [1, src.shape[1]], data: Array(src.data[(i * src.shape[1])..<((i + 1) * src.shape[1])])),
                                   "target": Tensor(shape: [1, prefix.count], data: prefix.map(Float.init))]).prediction
            #expect(p.argmaxLastAxis() == out[i])
        }
    }

    @Test("BLEU per language: the kit's 4-gram score and the paper's measure (1-gram, tags counted) follow their definitions")
    func bleuDefinitions() throws {
        let (m, _, test) = try setUp()
        let l = 1
        let idx = (0..<test.count).filter { test.language[$0] == l }
        let sub = try test.subset(idx)
        let hyps = try GreedyDecoder.translate(m, source: sub.source, start: idx.map { _ in test.startToken[l] },
                                               end: idx.map { _ in test.endToken[l] }, maxLength: test.steps)
        let refs = idx.indices.map { sub.reference($0).map(String.init) }
        let (s, e) = (String(test.startToken[l]), String(test.endToken[l]))
        let plain = try corpusBLEU(references: refs.map { [$0] }, hypotheses: hyps.map { $0.map(String.init) })
        let tagged = try corpusBLEU(references: refs.map { [[s] + $0 + [e]] },
                                    hypotheses: hyps.map { [s] + $0.map(String.init) + ($0.count < test.steps ? [e] : []) }, maxN: 1)
        let r = try #require(try test.bleu(of: m, language: l))
        #expect(r.sentences == idx.count)
        #expect(r.bleu == plain && r.paperMeasure == tagged)
        // A limit translates the first sentences only; a language without sentences gives nil.
        #expect(try test.bleu(of: m, language: l, limit: 3)?.sentences == 3)
        #expect(try sub.bleu(of: m, language: 0) == nil)
    }
}
