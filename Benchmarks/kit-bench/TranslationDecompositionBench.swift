// Translation decomposition: `Decomposer.decomposeTranslation` end to end (sampling,
// monitoring, identification, modularization, every target language), best of N, on two
// kit-initialised LSTM-1 encoder-decoders: the synthetic smoke task's, and a Tatoeba-sized one
// (softmax 30,000) on seeded random sentences. Monitoring dominates the second: its cost is
// the forward passes over the sampled rows.

import Corpora
import Decomposition
import DecompositionInputs
import Foundation
import RNNKit
import Zoo

func runTranslationDecompositionBench() {
    do {
        let smoke = SyntheticTasks.make(.encoderDecoder, profile: .smoke, seed: 3)
        let train = try TranslationData(smoke, split: "train")
        let model = try Architecture.paper(for: smoke, cell: .lstm, layers: 1, units: 32, embed: 16).build().kerasInitialized(seed: 1)
        timeDecomposition("synthetic smoke (\(train.count) pairs, \(train.languages.count) languages, LSTM-1 of 32)", model, train,
                          samples: 500)
    } catch {
        print("decomposeTranslation synthetic smoke: failed: \(error)")
    }
    do {
        let z = EncoderDecoderSize.tatoeba
        var rng = SeededRandom(seed: 1)
        let (n, steps) = (z.pairs, z.steps)
        var source = [Float](repeating: 0, count: n * steps), input = source, output = [Int](repeating: 0, count: n * steps)
        let language = (0..<n).map { _ in rng.below(2) }
        for i in 0..<n {
            let (ls, lt) = (4 + rng.below(11), 4 + rng.below(11))
            for t in 0..<ls { source[i * steps + t] = Float(1 + rng.below(z.sourceVocab - 1)) }
            // Tokens 1...4 are the two languages' start and end tags.
            input[i * steps] = Float(1 + language[i])
            for t in 1..<lt {
                let token = 5 + rng.below(z.targetVocab - 5)
                input[i * steps + t] = Float(token); output[i * steps + t - 1] = token
            }
            output[i * steps + lt - 1] = 3 + language[i]
        }
        let train = try TranslationData(source: Tensor(shape: [n, steps], data: source), decoderInput: Tensor(shape: [n, steps], data: input),
                                        decoderOutput: output, language: language, languages: ["aa", "bb"], startToken: [1, 2], endToken: [3, 4])
        let arch = Architecture(task: .encoderDecoder, cell: .lstm, layers: 1, units: z.units, embed: z.embed, vocabulary: z.sourceVocab,
                                classes: z.targetVocab, inputLength: steps, outputSteps: steps, maskZero: true)
        timeDecomposition("\(z.name) (\(n) pairs, 2 languages, LSTM-1 of \(z.units), softmax \(z.targetVocab.formatted()))",
                          try arch.build().kerasInitialized(seed: 1), train, samples: 300)
    } catch {
        print("decomposeTranslation \(EncoderDecoderSize.tatoeba.name): failed: \(error)")
    }
}

private func timeDecomposition(_ label: String, _ model: Model, _ train: TranslationData, samples: Int) {
    var config = DecompositionConfig.paper
    config.samplesPerClass = samples
    do {
        var modules = 0
        let best = try timeBest {
            modules = try Decomposer(model: model, config: config).decomposeTranslation(train: train).modules.count
        }
        print("decomposeTranslation \(label), \(samples) samples per language: \(String(format: "%.3f", best)) s for \(modules) modules")
    } catch {
        print("decomposeTranslation \(label): failed: \(error)")
    }
}
