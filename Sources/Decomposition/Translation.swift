import Metrics
import RNNKit

// MARK: - Encoder-decoder models: one module per target language
//
// The concern of a translation model is the target language, given by the start token the
// decoder is fed first. Sampling and identification work as for classification, on the
// decoder's recurrent layers at the real (unpadded) decoder steps; the output layer keeps
// its vocabulary (there is nothing to channel) and only loses the rows of removed units.
// A module translates into its own language by greedy decoding.

/// Translation pairs as the decoder sees them under teacher forcing.
public struct TranslationData: Sendable {
    public var source: Tensor
    public var decoderInput: Tensor
    /// `[N, T]` next-token targets (0 = padding).
    public var decoderOutput: [Int]
    public var language: [Int]
    public var languages: [String]
    /// Per language: the ids of its `[startXX]` and `[endXX]` tokens.
    public var startToken: [Int]
    public var endToken: [Int]

    public init(source: Tensor, decoderInput: Tensor, decoderOutput: [Int], language: [Int], languages: [String],
                startToken: [Int], endToken: [Int]) throws {
        let n = source.shape[0]
        guard decoderInput.shape[0] == n, decoderOutput.count == decoderInput.count, language.count == n,
              startToken.count == languages.count, endToken.count == languages.count else {
            throw DecompositionError.dataMismatch("translation arrays disagree on their sizes")
        }
        self.source = source; self.decoderInput = decoderInput; self.decoderOutput = decoderOutput
        self.language = language; self.languages = languages; self.startToken = startToken; self.endToken = endToken
    }

    public var count: Int { source.shape[0] }
    public var steps: Int { decoderInput.shape[1] }

    /// The reference translation of pair i: the target tokens before the end token.
    public func reference(_ i: Int) -> [Int] {
        Array(decoderOutput[(i * steps)..<((i + 1) * steps)].prefix { $0 != 0 && $0 != endToken[language[i]] })
    }

    /// The pairs `indices`, in that order.
    public func subset(_ indices: [Int]) throws -> TranslationData {
        let (s, t) = rows(indices)
        return try TranslationData(source: s, decoderInput: t, decoderOutput: indices.flatMap { decoderOutput[($0 * steps)..<(($0 + 1) * steps)] },
                                   language: indices.map { language[$0] }, languages: languages, startToken: startToken, endToken: endToken)
    }

    func rows(_ indices: [Int]) -> (Tensor, Tensor) {
        func take(_ t: Tensor) -> Tensor {
            let w = t.count / t.shape[0]
            return Tensor(shape: [indices.count] + t.shape.dropFirst(), data: indices.flatMap { t.data[($0 * w)..<(($0 + 1) * w)] })
        }
        return (take(source), take(decoderInput))
    }
}

/// The decoder side of an encoder-decoder model: recurrent layers on the path from the
/// second (target) input to the output Dense.
struct Seq2SeqAnatomy {
    var decoder: [Int]
    var output: Int
    var sourceInput: String
    var targetInput: String

    init(_ model: Model) throws {
        guard model.inputs.count == 2, model.outputs.count == 1 else {
            throw DecompositionError.unsupportedModel("an encoder-decoder has two inputs (source, target) and one output")
        }
        sourceInput = model.inputs[0].name; targetInput = model.inputs[1].name
        // Layers whose main input descends from the target input.
        var decoderSide: Set<String> = [targetInput]
        for n in model.nodes where decoderSide.contains(n.inputs[0].layer) { decoderSide.insert(n.layer.name) }
        decoder = model.nodes.indices.filter { model.nodes[$0].layer is Recurrent && decoderSide.contains(model.nodes[$0].layer.name) }
        guard !decoder.isEmpty, let out = model.nodes.indices.last(where: { model.nodes[$0].layer is Dense }), out > decoder.last! else {
            throw DecompositionError.unsupportedModel("no decoder recurrent layer before the output Dense")
        }
        output = out
        for i in decoder.dropLast() where !(model.nodes[i].layer as! Recurrent).returnSequences {
            throw DecompositionError.unsupportedModel("decoder layer \(model.nodes[i].layer.name) must return sequences")
        }
    }
}

extension Decomposer {
    /// One module per target language of an encoder-decoder model (`languages` defaults to all).
    public func decomposeTranslation(train: TranslationData, languages: [Int]? = nil) throws -> DecompositionResult {
        let (m, precision) = AuthorsSemantics.prepare(model, preset: config.preset)
        let a = try Seq2SeqAnatomy(m)
        let view = try LabeledData(x: train.source, labels: train.language, numClasses: train.languages.count)
        var modules: [Module] = [], observations: [[ConcernObservations]] = []
        for l in languages ?? Array(train.languages.indices) {
            let samples = try Sampler.samples(view, concern: l, step: nil, config: config)
            let obs = try observeDecoder(m, a, train, samples, precision)
            let removals: [[[Int]]] = a.decoder.indices.map { i in
                let layer = m.nodes[a.decoder[i]].layer as! Recurrent
                switch config.mode {
                case .rolled: return [Identification.removals(layer, obs.layers[i], steps: nil, config: config)]
                case .unrolled:
                    return (0..<train.steps).map { t in
                        obs.layers[i].steps.contains(t) ? Identification.removals(layer, obs.layers[i], steps: [t], config: config) : []
                    }
                }
            }
            modules.append(try translationModule(m, a, language: l, removals: removals, steps: train.steps))
            observations.append([obs])
        }
        return DecompositionResult(modules: modules, observations: observations, config: config)
    }

    /// Decoder observations at real (non-padding) decoder input positions.
    private func observeDecoder(_ m: Model, _ a: Seq2SeqAnatomy, _ data: TranslationData, _ samples: ConcernSamples,
                                _ precision: Precision) throws -> ConcernObservations {
        func run(_ idx: [Int]) throws -> (ForwardResult, Tensor) {
            let (s, t) = data.rows(idx)
            return (try m.predict([a.sourceInput: s, a.targetInput: t], taps: true, precision: precision), t)
        }
        let (pos, posIn) = try run(samples.positives), (neg, negIn) = try run(samples.negatives)
        let T = data.steps
        let layers = a.decoder.map { node -> LayerObservations in
            let r = m.nodes[node].layer as! Recurrent
            let perGate = config.gates == .perGate
            let units = perGate ? r.gateCount * r.units : r.units
            func take(_ f: ForwardResult, _ input: Tensor) -> [[Float]] {
                let v = perGate ? f.gates[r.name]! : f.hidden[r.name]!
                return (0..<T).map { t in
                    var out: [Float] = []
                    for b in 0..<input.shape[0] where input.data[b * T + t] != 0 {
                        let start = (b * T + t) * units
                        out += v.data[start..<(start + units)]
                    }
                    return out
                }
            }
            return LayerObservations(layer: r.name, units: units, steps: Array(0..<T), positive: take(pos, posIn), negative: take(neg, negIn))
        }
        return ConcernObservations(samples: samples, layers: layers)
    }

    private func translationModule(_ m: Model, _ a: Seq2SeqAnatomy, language l: Int, removals: [[[Int]]], steps: Int) throws -> Module {
        let pruned = ModuleBuilder.prune(m, recurrent: a.decoder, steps: a.decoder.map { _ in steps }, removals: removals, config: config)
        var module = pruned.model
        guard var dense = m.nodes[a.output].layer as? Dense else { throw DecompositionError.unsupportedModel("no output Dense") }
        let last = a.decoder.count - 1
        let copies = config.mode == .unrolled ? steps : 1
        let outputs = (0..<copies).map { s -> Dense.StepWeights in
            var k = dense.kernel
            ModuleBuilder.zeroRows(&k, pruned.hiddenRemoved(last, s))
            return Dense.StepWeights(kernel: k, bias: dense.bias)
        }
        dense.kernel = outputs[0].kernel
        dense.stepWeights = copies > 1 ? outputs : nil
        module.nodes[a.output].layer = dense
        return try ModuleBuilder.module(m, module, concern: l, classIDs: [], recurrent: a.decoder, copies: pruned.copies,
                                        outputNode: a.output, outputs: outputs, removals: removals, config: config, sourceSHA256: sourceSHA256)
    }
}

/// Greedy decoding: from each pair's start token, feed back the most probable next token
/// until the language's end token or `maxLength` tokens.
public enum GreedyDecoder {
    public static func translate(_ model: Model, source: Tensor, start: [Int], end: [Int], maxLength: Int,
                                 precision: Precision = .auto) throws -> [[Int]] {
        let a = try Seq2SeqAnatomy(model)
        let n = source.shape[0]
        // A decoder declared with a fixed length gets its prefix post-padded with 0 (masked, and
        // a recurrent step never sees later positions); one of free length gets the prefix alone.
        let fixed = model.inputs[1].shape.count > 1 ? model.inputs[1].shape[1] : nil
        let steps = min(maxLength, fixed ?? maxLength)
        var prefix = start.map { [$0] }
        var done = [Bool](repeating: false, count: n)
        var out = [[Int]](repeating: [], count: n)
        for t in 0..<steps where done.contains(false) {
            let width = fixed ?? (t + 1)
            let target = Tensor(shape: [n, width], data: prefix.flatMap { $0.map(Float.init) + [Float](repeating: 0, count: width - $0.count) })
            let p = try model.predict([a.sourceInput: source, a.targetInput: target], precision: precision).prediction
            let next = p.argmaxLastAxis()
            for i in 0..<n {
                let token = done[i] ? 0 : next[i * width + t]   // finished rows are padded
                if !done[i] { if token == end[i] || token == 0 { done[i] = true } else { out[i].append(token) } }
                prefix[i].append(token)
            }
        }
        return out
    }
}

extension TranslationData {
    /// 4-gram corpus BLEU (NLTK's, token ids as words) of `model`'s greedy translations of the
    /// pairs whose target is language `l` (at most `limit` of them, the first in order), and
    /// how many were translated; nil when there are none. Every BLEU of the kit comes from here.
    /// `paperMeasure` is the paper's Table V measure: 1-gram corpus BLEU (their
    /// `corpus_bleu(weights=(1, 0, 0, 0))`) with the start and end tags counted as words on both
    /// sides, as the authors' `get_bleu` does (the end tag on a hypothesis that stopped before
    /// the length limit); it is shown only beside theirs.
    public func bleu(of model: Model, language l: Int, limit: Int? = nil, maxLength: Int? = nil,
                     precision: Precision = .auto) throws -> (sentences: Int, bleu: Double, paperMeasure: Double)? {
        var idx = (0..<count).filter { language[$0] == l }
        if let limit { idx = Array(idx.prefix(limit)) }
        guard !idx.isEmpty else { return nil }
        let (source, _) = rows(idx)
        let length = maxLength ?? steps
        let hyps = try GreedyDecoder.translate(model, source: source, start: idx.map { _ in startToken[l] }, end: idx.map { _ in endToken[l] },
                                               maxLength: length, precision: precision)
        let refs = idx.map { [reference($0).map(String.init)] }
        let (s, e) = (String(startToken[l]), String(endToken[l]))
        let taggedRefs = refs.map { [[s] + $0[0] + [e]] }
        let taggedHyps = hyps.map { [s] + $0.map(String.init) + ($0.count < length ? [e] : []) }
        return (idx.count, try corpusBLEU(references: refs, hypotheses: hyps.map { $0.map(String.init) }, maxN: 4),
                try corpusBLEU(references: taggedRefs, hypotheses: taggedHyps, maxN: 1))
    }
}

/// BLEU of the monolithic model and of the per-language modules, per target language.
public struct TranslationEvaluation: Sendable, Equatable {
    public struct Pair: Sendable, Equatable {
        public var language: String
        public var sentences: Int
        public var monolithicBLEU: Double
        public var composedBLEU: Double
        /// The same translations by the paper's measure (1-gram BLEU with the tags counted,
        /// `TranslationData.bleu`'s `paperMeasure`).
        public var monolithicPaperMeasure: Double
        public var composedPaperMeasure: Double
        public var delta: Double { (composedBLEU - monolithicBLEU) * 100 }
    }
    public var pairs: [Pair]
    public var jaccardMean: Double
    public var structuralJaccardMean: Double

    /// 4-gram corpus BLEU (NLTK's) of greedy translations of `test`, token ids as words.
    public static func evaluate(model: Model, modules: [Module], test: TranslationData, maxLength: Int,
                                preset: DecompositionConfig.Preset) throws -> TranslationEvaluation {
        let (m, precision) = AuthorsSemantics.prepare(model, preset: preset)
        var pairs: [Pair] = []
        for (l, name) in test.languages.enumerated() where test.language.contains(l) {
            guard let module = modules.first(where: { $0.concern == l }) else {
                throw DecompositionError.moduleMismatch("no module for target language \(name)")
            }
            let mono = try test.bleu(of: m, language: l, maxLength: maxLength, precision: precision)!
            let composed = try test.bleu(of: module.model, language: l, maxLength: maxLength, precision: precision)!
            pairs.append(Pair(language: name, sentences: mono.sentences, monolithicBLEU: mono.bleu, composedBLEU: composed.bleu,
                              monolithicPaperMeasure: mono.paperMeasure, composedPaperMeasure: composed.paperMeasure))
        }
        return TranslationEvaluation(pairs: pairs, jaccardMean: try Statistics.mean(modules.map(\.jaccard)),
                                     structuralJaccardMean: try Statistics.mean(modules.map(\.structuralJaccard)))
    }
}
