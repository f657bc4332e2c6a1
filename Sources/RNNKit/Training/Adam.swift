import Foundation

/// Adam with Keras's defaults and Keras's (tf.keras ≥ 2.11) update form, per weight element:
///
///     m ← m + (g − m)(1 − β1);   v ← v + (g² − v)(1 − β2)
///     α = lr · √(1 − β2^t) / (1 − β1^t);   w ← w − α·m / (√v + ε)
///
/// (ε is added to √v outside the bias correction, as Keras does.) The embedding table gets
/// the same dense update: Keras's sparse path also decays every row's m and v each step.
public struct AdamConfiguration: Sendable, Codable, Equatable {
    public var learningRate: Double = 1e-3
    public var beta1: Double = 0.9
    public var beta2: Double = 0.999
    public var epsilon: Double = 1e-7
    public init() {}
}

final class Adam<S: TrainScalar> {
    let configuration: AdamConfiguration
    let weights: [Weight<S>]
    private let m: [Storage<S>], v: [Storage<S>]
    private(set) var step = 0

    init(weights: [Weight<S>], configuration: AdamConfiguration) {
        self.weights = weights; self.configuration = configuration
        m = weights.map { Storage(count: $0.count) }
        v = weights.map { Storage(count: $0.count) }
    }

    /// One update with g = scale · Σ_replicas grad (summed in replica order, so the result does
    /// not depend on which core computed what). Work is split by element ranges over `workers`
    /// threads; every element's arithmetic is the same whatever the split.
    func update(gradients: [[Parameter<S>]], scale: S, workers: Int) {
        step += 1
        let c = configuration
        let t = Double(step)
        let alpha = S(Float(c.learningRate * (1 - pow(c.beta2, t)).squareRoot() / (1 - pow(c.beta1, t))))
        let (b1, b2, eps) = (S(Float(1 - c.beta1)), S(Float(1 - c.beta2)), S(Float(c.epsilon)))
        // Chunks of at most 64k elements across all weights.
        var chunks: [(Int, Range<Int>)] = []
        for (k, w) in weights.enumerated() {
            for start in stride(from: 0, to: w.count, by: 65_536) { chunks.append((k, start..<min(start + 65_536, w.count))) }
        }
        let run = { (i: Int) in
            let (k, range) = chunks[i]
            let (w, mk, vk) = (self.weights[k].value.p, self.m[k].p, self.v[k].p)
            let grads = gradients.map { $0[k].grad.p }
            // Sum the replicas into the first (in replica order), then a branch-free update loop.
            let g = grads[0]
            for r in 1..<grads.count { let other = grads[r]; for j in range { g[j] += other[j] } }
            for j in range {
                let gj = g[j] * scale
                mk[j] += (gj - mk[j]) * b1
                vk[j] += (gj * gj - vk[j]) * b2
                w[j] -= alpha * mk[j] / (vk[j].squareRoot() + eps)
            }
        }
        if workers <= 1 || chunks.count == 1 {
            for i in chunks.indices { run(i) }
        } else {
            DispatchQueue.concurrentPerform(iterations: min(workers, chunks.count)) { wkr in
                for i in stride(from: wkr, to: chunks.count, by: workers) { run(i) }
            }
        }
    }
}
