import CGEMM
import Foundation

/// Adam with Keras's defaults and Keras's (tf.keras ≥ 2.11) update form, per weight element:
///
///     m ← m + (g − m)(1 − β1);   v ← v + (g² − v)(1 − β2)
///     α = lr · √(1 − β2^t) / (1 − β1^t);   w ← w − α·m / (√v + ε)
///
/// (ε is added to √v outside the bias correction, as Keras does.) The embedding table gets
/// the same dense update: Keras's sparse path also decays every row's m and v each step. Rows
/// no batch has touched yet are skipped, which changes nothing: their m and v are exactly 0,
/// so the update leaves them and the weights as they are.
public struct AdamConfiguration: Sendable, Codable, Hashable {
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
    /// Row-sparse weights: the rows touched at least once (the only ones the update can move).
    private var active: [TouchedRows?] = []
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
        // Pending clears are carried out here, before threads share the replicas' gradients.
        for replica in gradients { for p in replica { p.settle() } }
        // Row-sparse gradients (embeddings) are summed up front, touching only their rows.
        if active.isEmpty { active = gradients[0].map { p in p.touched.map { TouchedRows(count: p.weight.count / $0.width, width: $0.width) } } }
        for k in weights.indices {
            guard let rows = gradients[0][k].touched, let seen = active[k] else { continue }
            for r in 1..<gradients.count { gradients[0][k].accumulate(gradients[r][k]) }
            for row in rows.rows { seen.mark(row) }
        }
        // Chunks of about 64k elements: element ranges of dense weights, ranges of the
        // active-row list of sparse ones.
        var chunks: [(Int, Range<Int>)] = []
        for (k, w) in weights.enumerated() {
            let (count, step) = active[k].map { ($0.rows.count, max(1, 65_536 / $0.width)) } ?? (w.count, 65_536)
            for start in stride(from: 0, to: count, by: step) { chunks.append((k, start..<min(start + step, count))) }
        }
        let run = { (i: Int) in
            let (k, range) = chunks[i]
            let (w, mk, vk) = (self.weights[k].value.p, self.m[k].p, self.v[k].p)
            let first = gradients[0][k]
            let g = first.grad.p
            func update(_ elements: Range<Int>) {
                if S.self == Float.self {
                    // The same arithmetic, vectorised in C (CGEMM/kit_adam.c): a third of a training step was this loop.
                    func f(_ p: UnsafeMutablePointer<S>) -> UnsafeMutablePointer<Float> { UnsafeMutableRawPointer(p + elements.lowerBound).assumingMemoryBound(to: Float.self) }
                    func x(_ s: S) -> Float { unsafeBitCast(s, to: Float.self) }
                    kit_adam_f32(kit_gemm_kernel(), elements.count, f(g), x(scale), x(b1), x(b2), x(alpha), x(eps), f(mk), f(vk), f(w))
                    return
                }
                for j in elements {
                    let gj = g[j] * scale
                    mk[j] += (gj - mk[j]) * b1
                    vk[j] += (gj * gj - vk[j]) * b2
                    w[j] -= alpha * mk[j] / (vk[j].squareRoot() + eps)
                }
            }
            if let seen = self.active[k] {
                for idx in range { let row = seen.rows[idx]; update((row * seen.width)..<((row + 1) * seen.width)) }
            } else {
                // Dense gradients: sum the replicas into the first, in replica order.
                for r in 1..<gradients.count { first.accumulate(gradients[r][k], in: range) }
                update(range)
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
