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
///
/// A table whose reads are announced (`catchUp(table:rows:workers:)` before each forward pass,
/// `flush(workers:)` before its weights are read) is updated lazily: a row's zero-gradient
/// steps wait until a batch reads the row, then run back to back in cache (kit_adam_idle_f32),
/// element by element the same operations in the same order, so the bits are the dense
/// update's. For Brown's 56k × 100 table the dense pass was a third of a step, all memory traffic.
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
    /// Lazy tables (float32 only): per row, the step its m, v and w are current through; −1 for
    /// a row never touched (exact zeros: current at every step).
    private var current: [[Int32]?]
    /// α of every step so far (index t − 1 is step t), for replaying a lazy row's idle steps.
    private var alphas: [Float] = []
    private(set) var step = 0
    private var constants: (b1: S, b2: S, eps: S) {
        let c = configuration
        return (S(Float(1 - c.beta1)), S(Float(1 - c.beta2)), S(Float(c.epsilon)))
    }

    /// - Parameter lazyTables: indices of row-sparse `weights` whose reads the caller announces.
    init(weights: [Weight<S>], configuration: AdamConfiguration, lazyTables: Set<Int> = []) {
        self.weights = weights; self.configuration = configuration
        m = weights.map { Storage(count: $0.count) }
        v = weights.map { Storage(count: $0.count) }
        current = weights.map { _ in nil }
        guard S.self == Float.self else { return }
        for k in lazyTables where weights[k].shape.count == 2 {
            current[k] = [Int32](repeating: -1, count: weights[k].shape[0])
        }
    }

    /// Whether weight `k` is updated lazily.
    func isLazy(_ k: Int) -> Bool { current[k] != nil }

    /// Brings the rows of lazy table `k` that a forward pass is about to read up to the current
    /// step (ids outside the table are left for the forward pass to reject).
    func catchUp(table k: Int, rows ids: [Int], workers: Int) {
        guard current[k] != nil else { return }
        var due: [(row: Int, from: Int)] = []
        let now = Int32(step)
        current[k]!.withUnsafeMutableBufferPointer { cur in
            for id in ids where id >= 0 && id < cur.count && cur[id] >= 0 && cur[id] < now {
                due.append((id, Int(cur[id])))
                cur[id] = now  // a repeated id is due once
            }
        }
        replay(k, due, workers: workers)
    }

    /// Brings every row of every lazy table up to the current step.
    func flush(workers: Int) {
        for k in weights.indices where current[k] != nil {
            let now = Int32(step)
            var due: [(row: Int, from: Int)] = []
            current[k]!.withUnsafeMutableBufferPointer { cur in
                for r in cur.indices where cur[r] >= 0 && cur[r] < now { due.append((r, Int(cur[r]))); cur[r] = now }
            }
            replay(k, due, workers: workers)
        }
    }

    /// Runs steps from+1 … step of each row with a zero gradient.
    private func replay(_ k: Int, _ due: [(row: Int, from: Int)], workers: Int) {
        guard !due.isEmpty, let width = weights[k].shape.last else { return }
        let (b1, b2, eps) = constants
        func x(_ s: S) -> Float { unsafeBitCast(s, to: Float.self) }
        func f(_ p: UnsafeMutablePointer<S>, _ row: Int) -> UnsafeMutablePointer<Float> {
            UnsafeMutableRawPointer(p + row * width).assumingMemoryBound(to: Float.self)
        }
        let (w, mk, vk) = (weights[k].value.p, m[k].p, v[k].p)
        let kernel = kit_gemm_kernel()
        alphas.withUnsafeBufferPointer { a in
            let run = { (i: Int) in
                let (row, from) = due[i]
                kit_adam_idle_f32(kernel, width, self.step - from, a.baseAddress! + from, x(b1), x(b2), x(eps), f(mk, row), f(vk, row), f(w, row))
            }
            // Rows are independent; a split by rows leaves every element's arithmetic as it is.
            let idle = due.reduce(0) { $0 + self.step - $1.from }
            if workers <= 1 || idle * width < 65_536 {
                for i in due.indices { run(i) }
            } else {
                DispatchQueue.concurrentPerform(iterations: workers) { wkr in
                    for i in stride(from: wkr, to: due.count, by: workers) { run(i) }
                }
            }
        }
    }

    /// One update with g = scale · Σ_replicas grad (summed in replica order, so the result does
    /// not depend on which core computed what). Work is split by element ranges over `workers`
    /// threads; every element's arithmetic is the same whatever the split. `scale` is positive.
    func update(gradients: [[Parameter<S>]], scale: S, workers: Int) {
        // A lazy row touched now must be current through the last step (catchUp did it when
        // the caller announced the forward pass's reads; this makes sure).
        for k in weights.indices where current[k] != nil {
            if let rows = gradients[0][k].touched?.rows { catchUp(table: k, rows: rows, workers: workers) }
            for r in 1..<gradients.count { if let rows = gradients[r][k].touched?.rows { catchUp(table: k, rows: rows, workers: workers) } }
        }
        step += 1
        let c = configuration
        let t = Double(step)
        let alpha = S(Float(c.learningRate * (1 - pow(c.beta2, t)).squareRoot() / (1 - pow(c.beta1, t))))
        if S.self == Float.self { alphas.append(unsafeBitCast(alpha, to: Float.self)) }
        let (b1, b2, eps) = constants
        // Pending clears are carried out here, before threads share the replicas' gradients.
        for replica in gradients { for p in replica { p.settle() } }
        // Row-sparse gradients (embeddings) are summed up front, touching only their rows.
        if active.isEmpty { active = gradients[0].map { p in p.touched.map { TouchedRows(count: p.weight.count / $0.width, width: $0.width) } } }
        for k in weights.indices {
            guard let rows = gradients[0][k].touched, let seen = active[k] else { continue }
            for r in 1..<gradients.count { gradients[0][k].accumulate(gradients[r][k]) }
            for row in rows.rows { seen.mark(row) }
        }
        // The rows a sparse weight updates now: a lazy table's touched rows (now current through
        // this step), an eager one's every active row.
        let rowLists: [[Int]?] = weights.indices.map { k in
            guard let seen = active[k] else { return nil }
            guard current[k] != nil, let touched = gradients[0][k].touched else { return seen.rows }
            return touched.rows
        }
        for k in weights.indices where current[k] != nil {
            let now = Int32(step)
            current[k]!.withUnsafeMutableBufferPointer { cur in for row in rowLists[k]! { cur[row] = now } }
        }
        // Chunks of about 64k elements: element ranges of dense weights, ranges of the row list
        // of sparse ones.
        var chunks: [(Int, Range<Int>)] = []
        for (k, w) in weights.enumerated() {
            let (count, step) = rowLists[k].map { ($0.count, max(1, 65_536 / active[k]!.width)) } ?? (w.count, 65_536)
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
            if let rows = rowLists[k], let width = self.active[k]?.width {
                for idx in range { let row = rows[idx]; update((row * width)..<((row + 1) * width)) }
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
