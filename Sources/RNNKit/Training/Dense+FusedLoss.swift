import CGEMM

// MARK: - The softmax head and its loss in one pass over column blocks
//
// When the trainer lets the head evaluate the fused softmax cross-entropy itself
// (ForwardContext.headEvaluatesLoss) and the loss counts only some rows (LossRows.swift):
// - forward keeps the counted rows' probabilities packed (`compact`), never scattered into the
//   full [B·T, U] output, which would be zero-filled for rows nobody reads;
// - the loss is scored on those rows (SoftmaxCrossEntropy.score, the same per-row code);
// - backward turns the kept probabilities into P = p − onehot(label) in place (one subtraction
//   per row) and consumes P one block of columns at a time for ∂W, ∂b and ∂Xᵀ while the block is
//   in cache, so the 30,000-wide P of a translation model is neither copied nor read three times
//   from memory.
// Bits: the same as the full pass (LossRowsTests). ∂W's and ∂b's chains run along the rows,
// which column blocks do not split; ∂Xᵀ's chain runs along U, and the kit's GEMM sums every
// element's chain in K order, storing and reloading its tile between K blocks: one call per
// column block, the later ones accumulating, continues each chain through the same operations.

extension DenseOp {
    /// Columns of P per block: 128 counted rows × 256 columns of float32 is 128 KB, which stays
    /// in L2 while the two products read it.
    static var columnBlock: Int { 256 }

    /// The forward pass of the counted rows only: act(X_c·W + b) into `compact`. The output is an
    /// empty batch, since nothing but the head's own loss reads it.
    func forwardCounted(_ rows: [Int]) -> Batch<S> {
        let (D, U) = (layer.kernel.shape[0], layer.units)
        xc = x.withUnsafeBufferPointer { $0.baseAddress!.gatherRows(rows, width: D) }
        compact.reserve(rows.count * U)
        affine(xc, rows: rows.count, into: compact.p)
        compactRowsKept = true
        return Batch(shape: [0, U], data: [])
    }

    /// The loss of the rows the last forward pass kept (`labels` are the whole pass's, one per
    /// row); remembers their labels for the backward pass.
    func evaluateFusedLoss(labels: [Int32]) throws -> CrossEntropyResult<S> {
        guard compactRowsKept, let computed else { preconditionFailure("the head kept no counted rows in the last forward pass") }
        let U = layer.units
        var result = CrossEntropyResult<S>(lossSum: 0, correct: 0, counted: 0, gradient: [])
        var own: [Int32] = []
        own.reserveCapacity(computed.count)
        for (i, r) in computed.enumerated() {
            _ = try SoftmaxCrossEntropy.score(compact.p + i * U, classes: U, label: Int(labels[r]), into: &result)
            own.append(labels[r])
        }
        fusedLabels = own
        return result
    }

    /// ∂W, ∂b and ∂X from the scored rows. P = p − onehot(label) is formed in place in `compact`
    /// (the probabilities are not needed again) and consumed block by block.
    func backpropagateFusedLoss(labels: [Int32]) -> [S] {
        fusedLabels = nil
        compactRowsKept = false                    // `compact` is about to hold P
        let (D, U) = (layer.kernel.shape[0], layer.units)
        let rows = x.count / D
        let counted = computed!
        let n = counted.count
        let P = compact.p
        for i in 0..<n { P[i * U + Int(labels[i])] -= 1 }     // as the unfused loss writes it
        guard canSkipRows(counted) else {
            // The full pass from the full P (what the unfused loss hands over).
            var full = [S](repeating: 0, count: rows * U)
            full.withUnsafeMutableBufferPointer { f in
                for (i, r) in counted.enumerated() { (f.baseAddress! + r * U).update(from: P + i * U, count: U) }
            }
            computed = nil
            return full.withUnsafeBufferPointer { backpropagate(pre: $0.baseAddress!) }
        }
        let dW = kernel.gradientToOverwrite()          // +0 (canSkipRows), every element written below
        let dxt = Storage<S>(count: D * n)             // ∂Xᵀ [D, n]
        let size = MemoryLayout<S>.stride
        for c0 in stride(from: 0, to: U, by: Self.columnBlock) {
            let w = min(Self.columnBlock, U - c0)
            // The next block's columns of P and W are short rows U apart: fetched while this one computes.
            if c0 + w < U {
                let next = min(Self.columnBlock, U - c0 - w) * size
                kit_prefetch_rows(P + c0 + w, n, U * size, next)
                kit_prefetch_rows(kernel.value + c0 + w, D, U * size, next)
            }
            // ∂W is +0 here (canSkipRows): overwriting starts each chain from the same +0 without reading it.
            xc.withUnsafeBufferPointer { xp in
                gemm(transA: true, transB: false, m: D, n: w, k: n, a: xp.baseAddress!, lda: D, b: P + c0, ldb: U,
                     c: dW + c0, ldc: U, beta: 0)
            }
            if let bias { addColumnSums(of: P + c0, rows: n, width: w, stride: U, into: bias.grad.p + c0) }
            gemm(transA: false, transB: true, m: D, n: n, k: w, a: kernel.value + c0, lda: U, b: P + c0, ldb: U,
                 c: dxt.p, ldc: n, beta: c0 == 0 ? 0 : 1)
        }
        // Elements whose short chain ended ±0 take the full chain's zero (LossRows.swift).
        var slot = [Int](repeating: -1, count: rows)
        for (i, r) in counted.enumerated() { slot[r] = i }
        let full = { (r: Int, j: Int) -> S in slot[r] < 0 ? 0 : P[slot[r] * U + j] }
        x.withUnsafeBufferPointer { refineZeros(kernel.grad.p, d: D, u: U, x: $0.baseAddress!, rows: rows, counted: P, countedRows: n, p: full) }
        if let bias { refineZeroSums(bias.grad.p, u: U, rows: rows, p: full) }
        // Uncounted rows of ∂X stay +0, what the full product gives them.
        var dx = [S](repeating: 0, count: x.count)
        for (i, r) in counted.enumerated() { for k in 0..<D { dx[r * D + k] = dxt.p[k * n + i] } }
        return dx
    }
}
