// Greedy decoding: `GreedyDecoder.translate` (step-wise: the encoder once, one decoder step and
// one output softmax per token) against `translateByRerunning` (the whole model on the growing
// prefix every step) on a Tatoeba-sized LSTM-1 encoder-decoder (kit-initialised weights;
// softmax 30,000), 256 seeded random sentences, T and 2T steps. Token 0 can never win (its
// output bias is −100) and the end token is none, so every row runs every step. Time(2T)/time(T)
// tells the growth: ≈ 2 linear, ≈ 4 quadratic. A free-width decoder input (Keras shape
// (None,)) gives the re-run its growing prefixes; a fixed-width one (the zoo's) costs it the
// full width every step.

import Decomposition
import Foundation
import RNNKit
import Zoo

func runDecodingBench(steps T: Int = 8) {
    let z = EncoderDecoderSize.tatoeba
    let n = 256
    do {
        let arch = Architecture(task: .encoderDecoder, cell: .lstm, layers: 1, units: z.units, embed: z.embed, vocabulary: z.sourceVocab,
                                classes: z.targetVocab, inputLength: z.steps, outputSteps: z.steps, maskZero: true)
        var fixed = try arch.build().kerasInitialized(seed: 1)
        let last = fixed.nodes.count - 1
        var dense = fixed.nodes[last].layer as! Dense
        dense.bias.data[0] = -100
        fixed.nodes[last].layer = dense
        var free = fixed
        free.inputs[1].shape = [nil, nil]
        var rng = SeededRandom(seed: 1)
        var source = [Float](repeating: 0, count: n * z.steps)
        for i in 0..<n { for t in 0..<(4 + rng.below(11)) { source[i * z.steps + t] = Float(1 + rng.below(z.sourceVocab - 1)) } }
        let x = Tensor(shape: [n, z.steps], data: source)
        let start = [Int](repeating: 1, count: n), end = [Int](repeating: -1, count: n)
        for (label, model) in [("free-width", free), ("fixed-width \(z.steps)", fixed)] {
            var seconds: [String: [Double]] = [:]
            var same = true
            for length in [T, 2 * T] {
                var tokens: [String: [[Int]]] = [:]
                let decoders: [(String, (Model, Tensor, [Int], [Int], Int, Precision) throws -> [[Int]])] =
                    [("step-wise", GreedyDecoder.translate), ("re-running", GreedyDecoder.translateByRerunning)]
                for (name, decode) in decoders {
                    let best = try timeBest { tokens[name] = try decode(model, x, start, end, length, .auto) }
                    seconds[name, default: []].append(best)
                }
                same = same && tokens["step-wise"] == tokens["re-running"] && tokens["step-wise"]!.allSatisfy { $0.count == length }
            }
            print("decode \(z.name) LSTM-1 (\(label) decoder input, softmax \(z.targetVocab.formatted())), \(n) sentences, \(T) / \(2 * T) steps:")
            for name in ["re-running", "step-wise"] {
                let s = seconds[name]!
                print("  \(name): \(String(format: "%.2f", s[0])) s / \(String(format: "%.2f", s[1])) s, time(2T)/time(T) = \(String(format: "%.2f", s[1] / s[0]))")
            }
            print("  step-wise speed-up at \(2 * T) steps: \(String(format: "%.1f", seconds["re-running"]![1] / seconds["step-wise"]![1]))×; "
                  + "identical tokens, every row every step: \(same ? "yes" : "NO")")
        }
    } catch {
        print("decode \(z.name): failed: \(error)")
    }
}
