// MARK: - Embedding (B batch, T steps, E output dim, V vocabulary)
//
// forward:  out[b, t, :] = table[id[b, t], :]; with mask_zero, mask[b, t] = id ≠ 0.
// backward: ∂table[v, :] += Σ over positions holding v of ∂out[b, t, :] (ids get no gradient).
// Row 0 receives gradient like any other row whenever a consumer uses the padded positions
// (a recurrent layer ignores masked steps, so through it the gradient there is zero).

final class EmbeddingOp<S: TrainScalar>: TrainOp {
    let layer: Embedding
    let table: Parameter<S>
    private var ids: [Int] = []

    init(_ layer: Embedding, table: Weight<S>) { self.layer = layer; self.table = Parameter(table, rowWidth: layer.outputDim) }

    var parameters: [Parameter<S>] { [table] }

    func forward(_ inputs: [Batch<S>], context: ForwardContext) throws -> [Batch<S>] {
        let x = inputs[0]
        let (V, E) = (layer.inputDim, layer.outputDim)
        // Ids are truncated toward zero as Keras casts to int32, then range-checked.
        ids = try x.data.map { v in
            let t = v.rounded(.towardZero)
            guard t >= 0, t < S(Float(V)) else { throw RNNKitError.tokenOutOfRange(layer: layer.name, value: Double(v.float), inputDim: V) }
            return Int(t.float)
        }
        var out = [S](repeating: 0, count: ids.count * E)
        out.withUnsafeMutableBufferPointer { o in
            for (i, id) in ids.enumerated() { (o.baseAddress! + i * E).update(from: table.value + id * E, count: E) }
        }
        let mask = layer.maskZero && x.shape.count == 2 ? ids.map { $0 != 0 } : nil
        return [Batch(shape: x.shape + [E], data: out, mask: mask)]
    }

    func backward(_ g: [[S]?]) -> [[S]?] {
        guard let d = g[0] else { return [nil] }
        let E = layer.outputDim, grad = table.grad.p
        for (i, id) in ids.enumerated() {
            table.touched?.mark(id)
            let (dst, src) = (grad + id * E, i * E)
            for j in 0..<E { dst[j] += d[src + j] }
        }
        return [nil]
    }
}
