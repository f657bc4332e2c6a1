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
        let (modules, observations) = try translationModules(train, languages, caps: [config.maxRemoveFraction])
        return DecompositionResult(modules: modules[0], observations: observations, config: config)
    }

    /// Modules at several removal caps, `[cap][language]`, from one sampling and monitoring
    /// pass and one scoring per layer and step copy (none of which depends on the cap): the
    /// same modules as a decomposition at each cap alone.
    public func decomposeTranslation(train: TranslationData, languages: [Int]? = nil, caps: [Double]) throws -> [[Module]] {
        try translationModules(train, languages, caps: caps).modules
    }

    private func translationModules(_ train: TranslationData, _ languages: [Int]?, caps: [Double]) throws
        -> (modules: [[Module]], observations: [[ConcernObservations]]) {
        let (m, precision) = AuthorsSemantics.prepare(model, preset: config.preset)
        let a = try Seq2SeqAnatomy(m)
        let view = try LabeledData(x: train.source, labels: train.language, numClasses: train.languages.count)
        let chosen = languages ?? Array(train.languages.indices)
        // Sampling for every language, then one monitoring pass over all samples.
        let samples = try chosen.map { try Sampler.samples(view, concern: $0, step: nil, config: config) }
        let observed = try observeDecoder(m, a, train, samples, precision)
        let layers = a.decoder.map { m.nodes[$0].layer as! Recurrent }
        var modules = [[Module]](repeating: [], count: caps.count), observations: [[ConcernObservations]] = []
        for (l, obs) in zip(chosen, observed) {
            let scores = layers.enumerated().map { i, layer in Identification.copyScores(layer, obs.layers[i], steps: train.steps, config: config) }
            for (k, cap) in caps.enumerated() {
                var capped = config
                capped.maxRemoveFraction = cap
                let removals = scores.enumerated().map { i, copies in Identification.removals(layers[i], copies: copies, config: capped) }
                modules[k].append(try translationModule(m, a, language: l, removals: removals, steps: train.steps, config: capped))
            }
            observations.append([obs])
        }
        return (modules, observations)
    }

    /// Each group's decoder observations at its real (non-padding) decoder input positions,
    /// from one pass (in chunks of rows) over the union of the groups' rows, tapping the decoder
    /// layers only (never the output softmax). A row's values do not depend on the other rows of
    /// its batch, so each group gets exactly what passes over its own rows would give.
    private func observeDecoder(_ m: Model, _ a: Seq2SeqAnatomy, _ data: TranslationData, _ groups: [ConcernSamples],
                                _ precision: Precision) throws -> [ConcernObservations] {
        let T = data.steps
        let perGate = config.gates == .perGate
        let layers = a.decoder.map { m.nodes[$0].layer as! Recurrent }
        let units = layers.map { perGate ? $0.gateCount * $0.units : $0.units }
        // realRows[group][role][t]: the samples, in order, whose decoder input at t is not padding.
        let realRows: [[[[Int]]]] = groups.map { g in
            [g.positives, g.negatives].map { rows in (0..<T).map { t in rows.filter { data.decoderInput.data[$0 * T + t] != 0 } } }
        }
        // values[group][layer][role][t] = [n, units], filled as chunks arrive.
        var values: [[[[[Float]]]]] = realRows.map { g in
            units.map { u in g.map { role in role.map { [Float](repeating: 0, count: $0.count * u) } } }
        }
        let rows = Array(Set(groups.flatMap { $0.positives + $0.negatives })).sorted()
        var slot = [Int](repeating: -1, count: data.count)
        for start in stride(from: 0, to: rows.count, by: Monitor.chunkRows) {
            let chunk = Array(rows[start..<min(start + Monitor.chunkRows, rows.count)])
            for (k, r) in chunk.enumerated() { slot[r] = k }
            let (s, t) = data.rows(chunk)
            let f = try monitorPass(m, [a.sourceInput: s, a.targetInput: t], Set(layers.map(\.name)), precision)
            for (i, layer) in layers.enumerated() {
                let v = perGate ? f.gates[layer.name]! : f.hidden[layer.name]!
                let u = units[i]
                try Monitor.requireFinite(v, layer: layer.name, steps: T, units: u) { chunk[$0] }
                v.data.withUnsafeBufferPointer { src in
                    for (gi, g) in realRows.enumerated() {
                        for (role, perStep) in g.enumerated() {
                            for (step, list) in perStep.enumerated() {
                                values[gi][i][role][step].withUnsafeMutableBufferPointer { dst in
                                    for (position, row) in list.enumerated() where slot[row] >= 0 {
                                        (dst.baseAddress! + position * u).update(from: src.baseAddress! + (slot[row] * T + step) * u, count: u)
                                    }
                                }
                            }
                        }
                    }
                }
            }
            for r in chunk { slot[r] = -1 }
        }
        return groups.enumerated().map { gi, g in
            ConcernObservations(samples: g, layers: layers.indices.map { i in
                LayerObservations(layer: layers[i].name, units: units[i], steps: Array(0..<T),
                                  positive: values[gi][i][0], negative: values[gi][i][1])
            })
        }
    }

    private func translationModule(_ m: Model, _ a: Seq2SeqAnatomy, language l: Int, removals: [[[Int]]], steps: Int,
                                   config: DecompositionConfig) throws -> Module {
        let parts = a.decoder.map { RecurrentPart(node: $0, direction: .only, steps: steps) }
        let pruned = ModuleBuilder.prune(m, parts: parts, removals: removals, config: config)
        var module = pruned.model
        guard var dense = m.nodes[a.output].layer as? Dense else { throw DecompositionError.unsupportedModel("no output Dense") }
        let copies = config.mode.copies(steps)
        let outputs = (0..<copies).map { s -> Dense.StepWeights in
            var k = dense.kernel
            ModuleBuilder.zeroRows(&k, pruned.zeroFeatures(a.decoder.last!, s))
            return Dense.StepWeights(kernel: k, bias: dense.bias)
        }
        dense.kernel = outputs[0].kernel
        dense.stepWeights = copies > 1 ? outputs : nil
        module.nodes[a.output].layer = dense
        return try ModuleBuilder.module(m, module, concern: l, classIDs: [], parts: parts, copies: pruned.copies,
                                        outputNode: a.output, outputs: outputs, removals: removals, config: config, sourceSHA256: sourceSHA256)
    }
}

