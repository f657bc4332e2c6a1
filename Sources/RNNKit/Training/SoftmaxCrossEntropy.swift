// MARK: - Softmax + categorical cross-entropy against integer labels (K classes)
//
// loss = Σ over counted targets of −log p[label]. A target is counted unless the output's
// mask hides its step (Keras applies an output mask to the loss) or it equals `ignoreLabel`.
// Callers divide by the number of counted targets (Keras's mean reduction); doing it once
// after the shards' gradients are summed keeps shards independent of each other.
// gradient: with respect to the logits, p − onehot(label), when the loss is fused with the
// output layer's softmax (what tf.keras does for a softmax output: it takes the logits);
// otherwise with respect to p, −onehot(label) / p.

struct CrossEntropyResult<S: TrainScalar> {
    var lossSum: Double
    var correct: Int
    var counted: Int
    var gradient: [S]
}

enum SoftmaxCrossEntropy {
    /// `p` is `[B, K]` or `[B, T, K]`; `labels` holds B or B·T class ids. With `keepGradient`
    /// false the gradient stays empty: what an evaluation keeps per chunk. (Keeping a gradient
    /// as large as a 30,000-way output for every chunk of a Tatoeba test set grew past 22 GB
    /// and was OOM-killed.)
    static func evaluate<S: TrainScalar>(_ p: Batch<S>, labels: [Int32], ignoreLabel: Int?, wrtLogits: Bool,
                                         keepGradient: Bool = true) throws -> CrossEntropyResult<S> {
        let K = p.shape.last ?? 0
        let rows = K == 0 ? 0 : p.count / K
        guard labels.count == rows else {
            throw RNNKitError.inputShapeMismatch(layer: "loss", expected: "\(rows) labels for output \(p.shape)", found: [labels.count])
        }
        var gradient = [S](repeating: 0, count: keepGradient ? p.count : 0)
        var result = CrossEntropyResult<S>(lossSum: 0, correct: 0, counted: 0, gradient: [])
        if rows > 0 {
            try p.data.withUnsafeBufferPointer { pb in
                try gradient.withUnsafeMutableBufferPointer { gb in
                    let v = pb.baseAddress!
                    for r in 0..<rows {
                        let label = Int(labels[r])
                        if let m = p.mask, !m[r] { continue }
                        if label == ignoreLabel { continue }
                        let row = v + r * K
                        let pl = try score(row, classes: K, label: label, into: &result)
                        // Test the flag, not `gb.baseAddress`: an empty array's is not nil.
                        guard keepGradient else { continue }
                        let g = gb.baseAddress!
                        if wrtLogits {
                            (g + r * K).update(from: row, count: K)
                            g[r * K + label] -= 1
                        } else {
                            g[r * K + label] = -1 / pl
                        }
                    }
                }
            }
        }
        result.gradient = gradient
        return result
    }

    /// Loss and accuracy alone: `evaluate`'s sums with an empty gradient.
    static func score<S: TrainScalar>(_ p: Batch<S>, labels: [Int32], ignoreLabel: Int?) throws -> CrossEntropyResult<S> {
        try evaluate(p, labels: labels, ignoreLabel: ignoreLabel, wrtLogits: true, keepGradient: false)
    }

    /// Scores one counted row of probabilities against its label: counts it, adds −log p[label]
    /// (p floored at the smallest normal float) to the loss and whether its first maximum is
    /// the label; returns the floored p[label].
    @inline(__always)
    static func score<S: TrainScalar>(_ row: UnsafePointer<S>, classes K: Int, label: Int,
                                      into result: inout CrossEntropyResult<S>) throws -> S {
        guard label >= 0, label < K else {
            throw RNNKitError.inputShapeMismatch(layer: "loss", expected: "labels in 0..<\(K)", found: [label])
        }
        if S.argmax(row, count: K) == label { result.correct += 1 }
        result.counted += 1
        let pl = max(row[label], S(Float.leastNormalMagnitude))
        result.lossSum -= Double(S.logT(pl))
        return pl
    }
}

