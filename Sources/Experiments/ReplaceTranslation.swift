import Decomposition
import Metrics
import RNNKit

/// BLEU of an encoder-decoder model or language module, for RQ3's translation replacement.
///
/// Greedy decoding like `GreedyDecoder`, but it also serves decoders whose target input has a
/// fixed length (the zoo's models read `[N, T]`): the prefix is padded with zeros after its
/// end, which cannot change step t's output (recurrent layers are causal), and step t's
/// prediction is read. Variable-length decoders get the bare prefix.
public enum ReplaceTranslation {
    /// Greedy translations of `source` `[N, S]` into the language of `start` / `end`.
    public static func translate(_ model: Model, source: Tensor, start: Int, end: Int, maxLength: Int) throws -> [[Int]] {
        guard model.inputs.count == 2 else { throw ReplaceError.shapeMismatch("an encoder-decoder has two inputs") }
        let n = source.shape[0]
        let fixed = model.inputs[1].shape.count > 1 ? model.inputs[1].shape[1] : nil
        let steps = min(maxLength, fixed ?? maxLength)
        var prefix = [[Int]](repeating: [start], count: n)
        var done = [Bool](repeating: false, count: n), out = [[Int]](repeating: [], count: n)
        for t in 0..<steps where done.contains(false) {
            let width = fixed ?? (t + 1)
            var data = [Float](repeating: 0, count: n * width)
            for i in 0..<n { for (j, v) in prefix[i].prefix(width).enumerated() { data[i * width + j] = Float(v) } }
            let p = try model.predict([model.inputs[0].name: source, model.inputs[1].name: Tensor(shape: [n, width], data: data)]).prediction
            let next = p.argmaxLastAxis()
            for i in 0..<n {
                let token = done[i] ? 0 : next[i * width + t]
                if !done[i] { if token == end || token == 0 { done[i] = true } else { out[i].append(token) } }
                prefix[i].append(token)
            }
        }
        return out
    }

    /// 4-gram corpus BLEU (NLTK's) of `model`'s greedy translations of the test pairs whose
    /// target language is `language`, and how many there are (nil when none).
    public static func bleu(_ model: Model, _ test: TranslationData, language l: Int, maxLength: Int) throws -> (sentences: Int, bleu: Double)? {
        let idx = (0..<test.count).filter { test.language[$0] == l }
        guard !idx.isEmpty else { return nil }
        let w = test.source.count / test.count
        let source = Tensor(shape: [idx.count] + test.source.shape.dropFirst(), data: idx.flatMap { test.source.data[($0 * w)..<(($0 + 1) * w)] })
        let hyps = try translate(model, source: source, start: test.startToken[l], end: test.endToken[l], maxLength: maxLength)
        let refs = idx.map { [test.reference($0).map(String.init)] }
        return (idx.count, try corpusBLEU(references: refs, hypotheses: hyps.map { $0.map(String.init) }, maxN: 4))
    }
}
