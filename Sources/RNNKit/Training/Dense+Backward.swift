// MARK: - Dense (N rows = B, or B·T for a 3-D input; D inputs, U units)
//
// forward:  Y[N, U] = act(X[N, D] · W[D, U] + b)          (acts on the last axis; mask passes)
// backward: P = ∂Y ⊙ act'  (softmax: its Jacobian-vector product; or ∂Y is already ∂logits
//           when the loss fused softmax with cross-entropy, as Keras does for a softmax output)
//           ∂W += Xᵀ·P,  ∂b += Σ_rows P,  ∂X = P·Wᵀ

final class DenseOp<S: TrainScalar>: TrainOp {
    let layer: Dense
    let kernel: Parameter<S>
    let bias: Parameter<S>?
    /// Set by the graph when this layer's softmax output feeds the fused cross-entropy loss:
    /// the gradient it receives is then with respect to the logits.
    var receivesLogitGradient = false
    /// Set by the graph when this layer's output feeds only the loss: a pass that names the
    /// loss's targets computes just the rows the loss counts (LossRows.swift says why that is exact).
    var feedsOnlyTheLoss = false
    var x: [S] = []
    private var y: [S] = [], inShape: [Int] = []
    /// The rows the last forward pass computed (nil: all) and their inputs, packed.
    var computed: [Int]?, xc: [S] = []
    /// When the head evaluates the fused loss itself (Dense+FusedLoss.swift): the counted rows'
    /// probabilities, packed, and, once the loss is scored, their labels.
    let compact = Storage<S>(count: 0)
    var fusedLabels: [Int32]?
    /// Whether the last forward pass kept only the counted rows (`forwardCounted`).
    var compactRowsKept = false

    init(_ layer: Dense, kernel: Weight<S>, bias: Weight<S>?) {
        self.layer = layer; self.kernel = Parameter(kernel); self.bias = bias.map { Parameter($0) }
    }

    var parameters: [Parameter<S>] { [kernel] + (bias.map { [$0] } ?? []) }

    func forward(_ inputs: [Batch<S>], context: ForwardContext) throws -> [Batch<S>] {
        let input = inputs[0]
        let (D, U) = (layer.kernel.shape[0], layer.units)
        guard input.shape.last == D else {
            throw RNNKitError.inputShapeMismatch(layer: layer.name, expected: "[…, \(D)]", found: input.shape)
        }
        let rows = input.count / D
        x = input.data; inShape = input.shape
        // Skipped rows are zero: fine for the fused loss, whose gradient there is zero, and for a pass
        // without backward; any other gradient would read them.
        computed = feedsOnlyTheLoss && (receivesLogitGradient || !context.training)
            ? context.lossRows?.counted(rows: rows, mask: input.mask) : nil
        fusedLabels = nil
        compactRowsKept = false
        if let computed, receivesLogitGradient, context.training, context.headEvaluatesLoss {
            return [forwardCounted(computed)]
        }
        // Reuses last step's buffer when nothing else holds it (a 30,000-way output is
        // megabytes; fresh pages every step cost more than the softmax).
        y.removeAll(keepingCapacity: true)
        y.append(contentsOf: repeatElement(0, count: rows * U))
        if let computed {
            xc = x.withUnsafeBufferPointer { $0.baseAddress!.gatherRows(computed, width: D) }
            var yc = [S](repeating: 0, count: computed.count * U)
            yc.withUnsafeMutableBufferPointer { affine(xc, rows: computed.count, into: $0.baseAddress!) }
            y.withUnsafeMutableBufferPointer { $0.baseAddress!.scatterRows(yc, to: computed, width: U) }
        } else {
            xc = []
            y.withUnsafeMutableBufferPointer { affine(x, rows: rows, into: $0.baseAddress!) }
        }
        return [Batch(shape: Array(input.shape.dropLast()) + [U], data: y, mask: input.mask)]
    }

    /// act(X·W + b) of `rows` rows into `out`.
    func affine(_ x: [S], rows: Int, into out: UnsafeMutablePointer<S>) {
        let (D, U) = (layer.kernel.shape[0], layer.units)
        x.withUnsafeBufferPointer { xp in
            if let bias {
                gemm(m: rows, n: U, k: D, a: xp.baseAddress!, lda: D, b: kernel.value, ldb: U, startingFrom: bias.value, c: out, ldc: U)
            } else {
                gemm(m: rows, n: U, k: D, a: xp.baseAddress!, lda: D, b: kernel.value, ldb: U, c: out, ldc: U)
            }
        }
        layer.activation.applyTrain(out, rows: rows, width: U)
    }

    func backward(_ g: [[S]?]) -> [[S]?] {
        if let labels = fusedLabels { return [backpropagateFusedLoss(labels: labels)] }
        guard let d = g[0] else { return [nil] }
        if receivesLogitGradient {
            return d.withUnsafeBufferPointer { [backpropagate(pre: $0.baseAddress!)] }
        }
        var p = d
        p.withUnsafeMutableBufferPointer { pp in
            y.withUnsafeBufferPointer { layer.activation.backpropagate(output: $0.baseAddress!, gradient: pp.baseAddress!, rows: pp.count / layer.units, width: layer.units) }
        }
        return p.withUnsafeBufferPointer { [backpropagate(pre: $0.baseAddress!)] }
    }

    /// Weight gradients and ∂X from P = ∂L/∂(pre-activation).
    func backpropagate(pre P: UnsafePointer<S>) -> [S] {
        let (D, U) = (layer.kernel.shape[0], layer.units)
        let rows = x.count / D
        if let computed, receivesLogitGradient, canSkipRows(computed) {
            return backpropagate(pre: P, rows: rows, counted: computed)
        }
        precondition(computed == nil || receivesLogitGradient, "rows were skipped in a pass whose gradient is not the fused loss's")
        x.withUnsafeBufferPointer { xp in
            gemm(transA: true, transB: false, m: D, n: U, k: rows, a: xp.baseAddress!, lda: D, b: P, ldb: U,
                 c: kernel.grad.p, ldc: U, beta: 1)
        }
        if let bias { addColumnSums(of: P, rows: rows, width: U, stride: U, into: bias.grad.p) }
        var dx = [S](repeating: 0, count: x.count)
        dx.withUnsafeMutableBufferPointer { transposedProduct(P, rows: rows, into: $0.baseAddress!) }
        return dx
    }

    /// The same gradients when the loss counted only `counted` (P is +0 in every other row).
    private func backpropagate(pre P: UnsafePointer<S>, rows: Int, counted: [Int]) -> [S] {
        let (D, U) = (layer.kernel.shape[0], layer.units)
        let pc = P.gatherRows(counted, width: U)
        pc.withUnsafeBufferPointer { pp in
            xc.withUnsafeBufferPointer { xp in
                gemm(transA: true, transB: false, m: D, n: U, k: counted.count, a: xp.baseAddress!, lda: D, b: pp.baseAddress!, ldb: U,
                     c: kernel.grad.p, ldc: U, beta: 1)
            }
            x.withUnsafeBufferPointer {
                refineZeros(kernel.grad.p, d: D, u: U, x: $0.baseAddress!, rows: rows, counted: pp.baseAddress!, countedRows: counted.count) { P[$0 * U + $1] }
            }
            if let bias {
                addColumnSums(of: pp.baseAddress!, rows: counted.count, width: U, stride: U, into: bias.grad.p)
                refineZeroSums(bias.grad.p, u: U, rows: rows) { P[$0 * U + $1] }
            }
        }
        // Uncounted rows of ∂X stay +0, what the full product gives them (LossRows.swift).
        var dx = [S](repeating: 0, count: x.count)
        pc.withUnsafeBufferPointer { pp in
            dx.withUnsafeMutableBufferPointer { transposedProduct(pp.baseAddress!, rows: counted.count, into: $0.baseAddress!, at: counted) }
        }
        return dx
    }

    /// Whether skipping the uncounted rows keeps every bit (LossRows.swift): the gradients start
    /// at +0, and the skipped rows' inputs and the kernel are finite (an Inf or NaN there would
    /// reach the full product's result through 0·Inf).
    func canSkipRows(_ counted: [Int]) -> Bool {
        let (D, U) = (layer.kernel.shape[0], layer.units)
        guard kernel.clearPending || UnsafePointer(kernel.grad.p).allPositiveZero(count: D * U),
              bias.map({ UnsafePointer($0.grad.p).allPositiveZero(count: U) }) ?? true else { return false }
        var isCounted = [Bool](repeating: false, count: x.count / D)
        for r in counted { isCounted[r] = true }
        let finite = x.withUnsafeBufferPointer { xp in
            isCounted.indices.allSatisfy { r in isCounted[r] || (xp.baseAddress! + r * D).allFinite(count: D) }
        }
        return finite && UnsafePointer(kernel.value).allFinite(count: D * U)
    }

    /// ∂X[rows, D] = P·Wᵀ, computed as ∂Xᵀ = W·Pᵀ and transposed: the same products in the same
    /// order per element (fma is commutative), but the GEMM's wide tile runs along the rows
    /// rather than along D = 100, which leaves its last column block mostly empty. Row r of the
    /// result goes to row `at[r]` of `dx` (row r when nil).
    func transposedProduct(_ P: UnsafePointer<S>, rows: Int, into dx: UnsafeMutablePointer<S>, at: [Int]? = nil) {
        let (D, U) = (layer.kernel.shape[0], layer.units)
        var t = [S](repeating: 0, count: rows * D)
        t.withUnsafeMutableBufferPointer { tp in
            gemm(transA: false, transB: true, m: D, n: rows, k: U, a: kernel.value, lda: U, b: P, ldb: U, c: tp.baseAddress!, ldc: rows)
            for r in 0..<rows {
                let out = dx + (at?[r] ?? r) * D
                for i in 0..<D { out[i] = tp[i * rows + r] }
            }
        }
    }

    /// ∂b += Σ over `rows` rows of P (each element summed in row order); `width` columns of rows `stride` apart.
    func addColumnSums(of P: UnsafePointer<S>, rows: Int, width: Int, stride: Int, into db: UnsafeMutablePointer<S>) {
        for r in 0..<rows { let row = P + r * stride; for j in 0..<width { db[j] += row[j] } }
    }
}
