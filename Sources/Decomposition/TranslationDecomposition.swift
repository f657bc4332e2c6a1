import RNNKit

// MARK: - Encoder-decoder models: one module per target language
//
// The concern of a translation model is the target language, given by the start token the
// decoder is fed first. Sampling and identification work as for classification, on the
// decoder's recurrent layers at the real (unpadded) decoder steps; the output layer keeps
// its vocabulary (there is nothing to channel) and only loses the rows of removed units.
// A module translates into its own language by greedy decoding.

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
            let f = try m.predict([a.sourceInput: s, a.targetInput: t], taps: true, precision: precision)
            for node in a.decoder {
                let r = m.nodes[node].layer as! Recurrent
                let perGate = config.gates == .perGate
                try Monitor.requireFinite(perGate ? f.gates[r.name]! : f.hidden[r.name]!, layer: r.name, steps: data.steps,
                                          units: perGate ? r.gateCount * r.units : r.units) { idx[$0] }
            }
            return (f, t)
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

