import Foundation

/// Loss and accuracy of a model's first output against labels.
public struct Evaluation: Sendable, Codable, Equatable {
    /// Mean categorical cross-entropy over the counted targets.
    public var loss: Double
    /// Fraction of counted targets whose arg-max is the label.
    public var accuracy: Double
    /// Targets counted (not hidden by the output mask, not `ignoreLabel`).
    public var counted: Int
}

extension Model {
    /// Evaluates like training counts: a target is skipped when the output's mask hides its
    /// step or it equals `ignoreLabel` (e.g. 0 = padding). Runs the float32 training forward
    /// pass (it carries masks) in chunks of `batchSize` spread over the cores; the result does
    /// not depend on the core count.
    public func evaluate(_ data: TrainingSet, ignoreLabel: Int? = nil, batchSize: Int = 256) throws -> Evaluation {
        let chunks = stride(from: 0, to: data.count, by: max(1, batchSize)).map { $0..<min($0 + max(1, batchSize), data.count) }
        let workers = max(1, min(chunks.count, ProcessInfo.processInfo.activeProcessorCount))
        var graphs = [try TrainingGraph<Float>(model: self, fuseSoftmaxLoss: false)]
        for _ in 1..<workers { graphs.append(try graphs[0].replica()) }
        var results = [Result<CrossEntropyResult<Float>, Error>?](repeating: nil, count: chunks.count)
        let per = data.labelsPerExample
        results.withUnsafeMutableBufferPointer { slots in
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                for c in stride(from: w, to: chunks.count, by: workers) {
                    slots[c] = Result {
                        let rows = Array(chunks[c])
                        var feeds: [String: Batch<Float>] = [:]
                        for (name, t) in data.inputs { feeds[name] = Batch(Trainer.gather(t, rows)) }
                        let labels = Array(data.labels[(chunks[c].lowerBound * per)..<(chunks[c].upperBound * per)])
                        let out = try graphs[w].forward(feeds, context: ForwardContext(training: false, seed: 0,
                                                                                       lossRows: LossRows(labels: labels, ignoreLabel: ignoreLabel)))
                        return try SoftmaxCrossEntropy.score(out[0], labels: labels, ignoreLabel: ignoreLabel)
                    }
                }
            }
        }
        let done = try results.map { try $0!.get() }
        let counted = done.reduce(0) { $0 + $1.counted }
        return Evaluation(loss: counted > 0 ? done.reduce(0) { $0 + $1.lossSum } / Double(counted) : 0,
                          accuracy: counted > 0 ? Double(done.reduce(0) { $0 + $1.correct }) / Double(counted) : 0, counted: counted)
    }
}
