import Foundation
import RNNKit

/// Greedy decoding: from each pair's start token, feed back the most probable next token
/// until the language's end token (or token 0) or `maxLength` tokens.
///
/// Two ways give the same tokens: `translate` runs the model step by step (`StepwiseRun`: the
/// encoder once, then one decoder step and one output softmax per token, for the sentences not
/// yet ended), linear in the output length; `translateByRerunning` re-runs the whole model on
/// the growing prefix at every step, quadratic, but works for any encoder-decoder. `translate`
/// falls back to it for decoders the step-wise run refuses (a Bidirectional or Flatten on the
/// target side, …).
public enum GreedyDecoder {
    /// Sentences per step-wise run; the runs spread over the cores as `Model.predict`'s chunks.
    static let chunkRows = 256

    public static func translate(_ model: Model, source: Tensor, start: [Int], end: [Int], maxLength: Int,
                                 precision: Precision = .auto) throws -> [[Int]] {
        let a = try Seq2SeqAnatomy(model)
        do { _ = try StepwiseRun.steppedNodes(model, stepped: a.targetInput) } catch is StepwiseRun.Unsupported {
            return try translateByRerunning(model, source: source, start: start, end: end, maxLength: maxLength, precision: precision)
        }
        let (fixed, steps) = stepsToRun(model, maxLength)
        let n = source.shape[0]
        let chunks = stride(from: 0, to: n, by: chunkRows).map { $0..<min($0 + chunkRows, n) }
        var results = [Result<[[Int]], Error>?](repeating: nil, count: chunks.count)
        let lock = NSLock()
        let workers = min(chunks.count, ProcessInfo.processInfo.activeProcessorCount)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            for c in stride(from: w, to: chunks.count, by: workers) {
                let rows = chunks[c]
                let r = Result { () throws -> [[Int]] in
                    var run = try StepwiseRun(model, fixed: [a.sourceInput: source.slice(batch: rows)], stepped: a.targetInput, precision: precision)
                    // Unrolled weights shorter than a fixed-width decoder input: the full run refuses at once.
                    if let fixed, let length = run.unrolledLength, length < fixed {
                        return try translateByRerunning(model, source: source.slice(batch: rows), start: Array(start[rows]),
                                                        end: Array(end[rows]), maxLength: maxLength, precision: precision)
                    }
                    return try decode(&run, start: Array(start[rows]), end: Array(end[rows]), steps: steps)
                }
                lock.lock(); results[c] = r; lock.unlock()
            }
        }
        return try results.flatMap { try $0!.get() }
    }

    /// One chunk's sentences, a step at a time; stops when every row is done. Rows that are
    /// done leave the run (`StepwiseRun.keep`), so a step costs only the sentences still going.
    private static func decode(_ run: inout StepwiseRun, start: [Int], end: [Int], steps: Int) throws -> [[Int]] {
        var out = [[Int]](repeating: [], count: start.count)
        var active = Array(start.indices)   // the run's rows, as indices of the chunk's sentences
        var tokens = start
        for _ in 0..<steps where !active.isEmpty {
            let next: [Int]
            do { next = try run.step(Tensor(shape: [active.count, 1], data: tokens.map(Float.init)))[0].argmaxLastAxis() }
            catch RNNKitError.inputShapeMismatch(let layer, let expected, var found) where found.first == active.count {
                // Past unrolled weights' length: named with the chunk's rows, as a run that kept them all says it.
                found[0] = start.count
                throw RNNKitError.inputShapeMismatch(layer: layer, expected: expected, found: found)
            }
            var kept: [Int] = []
            for (r, i) in active.enumerated() {
                if next[r] == end[i] || next[r] == 0 { continue }
                out[i].append(next[r]); kept.append(r)
            }
            if kept.count < active.count && !kept.isEmpty { try run.keep(rows: kept) }
            tokens = kept.map { next[$0] }
            active = kept.map { active[$0] }
        }
        return out
    }

    /// The decoder input's declared width (nil: free) and the steps to decode.
    private static func stepsToRun(_ model: Model, _ maxLength: Int) -> (fixed: Int?, steps: Int) {
        let fixed = model.inputs[1].shape.count > 1 ? model.inputs[1].shape[1] : nil
        return (fixed, min(maxLength, fixed ?? maxLength))
    }

    /// Greedy decoding by re-running the whole model on the prefix decoded so far, every step.
    public static func translateByRerunning(_ model: Model, source: Tensor, start: [Int], end: [Int], maxLength: Int,
                                            precision: Precision = .auto) throws -> [[Int]] {
        let a = try Seq2SeqAnatomy(model)
        let n = source.shape[0]
        // A decoder declared with a fixed length gets its prefix post-padded with 0 (masked, and
        // a recurrent step never sees later positions); one of free length gets the prefix alone.
        let (fixed, steps) = stepsToRun(model, maxLength)
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
