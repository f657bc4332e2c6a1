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
    private var x: [S] = [], y: [S] = [], inShape: [Int] = []

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
        // Reuses last step's buffer when nothing else holds it (a 30,000-way output is
        // megabytes; fresh pages every step cost more than the softmax).
        y.removeAll(keepingCapacity: true)
        y.append(contentsOf: repeatElement(0, count: rows * U))
        y.withUnsafeMutableBufferPointer { o in
            let out = o.baseAddress!
            if let bias { for r in 0..<rows { (out + r * U).update(from: bias.value, count: U) } }
            x.withUnsafeBufferPointer { xp in
                gemm(m: rows, n: U, k: D, a: xp.baseAddress!, lda: D, b: kernel.value, ldb: U, c: out, ldc: U, beta: bias == nil ? 0 : 1)
            }
            layer.activation.applyTrain(out, rows: rows, width: U)
        }
        return [Batch(shape: Array(input.shape.dropLast()) + [U], data: y, mask: input.mask)]
    }

    func backward(_ g: [[S]?]) -> [[S]?] {
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
    private func backpropagate(pre P: UnsafePointer<S>) -> [S] {
        let (D, U) = (layer.kernel.shape[0], layer.units)
        let rows = x.count / D
        x.withUnsafeBufferPointer { xp in
            gemm(transA: true, transB: false, m: D, n: U, k: rows, a: xp.baseAddress!, lda: D, b: P, ldb: U,
                 c: kernel.grad.p, ldc: U, beta: 1)
        }
        if let bias {
            let db = bias.grad.p
            for r in 0..<rows { for j in 0..<U { db[j] += P[r * U + j] } }
        }
        var dx = [S](repeating: 0, count: x.count)
        dx.withUnsafeMutableBufferPointer { dp in
            gemm(transA: false, transB: true, m: rows, n: D, k: U, a: P, lda: U, b: kernel.value, ldb: U,
                 c: dp.baseAddress!, ldc: D)
        }
        return dx
    }
}
