import RNNKit

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
