// MARK: - Weightless layers: Flatten, RepeatVector, Dropout, Activation, Masking

/// Flatten `[B, …]` → `[B, d]`; the gradient is reshaped back. Drops the mask (as Keras).
final class FlattenOp<S: TrainScalar>: TrainOp {
    private var inShape: [Int] = []
    func forward(_ inputs: [Batch<S>], context: ForwardContext) throws -> [Batch<S>] {
        let x = inputs[0]
        inShape = x.shape
        let b = x.shape[0]
        return [Batch(shape: [b, b == 0 ? 0 : x.count / b], data: x.data)]
    }
    func backward(_ g: [[S]?]) -> [[S]?] { [g[0]] }
}

/// RepeatVector(n) `[B, D]` → `[B, n, D]`; ∂x[b] = Σ_n ∂out[b, n].
final class RepeatVectorOp<S: TrainScalar>: TrainOp {
    let n: Int
    private var B = 0, D = 0
    init(_ layer: RepeatVector) { n = layer.n }
    func forward(_ inputs: [Batch<S>], context: ForwardContext) throws -> [Batch<S>] {
        let x = inputs[0]
        guard x.shape.count == 2 else { throw RNNKitError.inputShapeMismatch(layer: "repeat_vector", expected: "[batch, features]", found: x.shape) }
        (B, D) = (x.shape[0], x.shape[1])
        var out = [S](); out.reserveCapacity(B * n * D)
        for r in 0..<B { let row = x.data[(r * D)..<((r + 1) * D)]; for _ in 0..<n { out += row } }
        return [Batch(shape: [B, n, D], data: out)]
    }
    func backward(_ g: [[S]?]) -> [[S]?] {
        guard let d = g[0] else { return [nil] }
        var dx = [S](repeating: 0, count: B * D)
        for r in 0..<B { for k in 0..<n { for j in 0..<D { dx[r * D + j] += d[(r * n + k) * D + j] } } }
        return [dx]
    }
}

/// Dropout: at training time keeps each value with probability 1 − rate and scales it by
/// 1/(1 − rate) (Keras's inverted dropout); the mask is drawn from the step's seed and this
/// op's salt, and the backward pass applies the same mask. Identity at inference. Mask passes.
final class DropoutOp<S: TrainScalar>: TrainOp {
    let rate: Double
    let salt: UInt64
    private var keep: [S]? = nil
    init(_ layer: Dropout, salt: UInt64) { rate = layer.rate; self.salt = salt }
    func forward(_ inputs: [Batch<S>], context: ForwardContext) throws -> [Batch<S>] {
        var x = inputs[0]
        guard context.training, rate > 0 else { keep = nil; return [x] }
        var rng = SeededRandom(seed: context.seed, salt: salt)
        let scale = S(Float(1 / (1 - rate)))
        let k = (0..<x.count).map { _ in rng.unit() >= rate ? scale : 0 }
        for i in 0..<x.count { x.data[i] *= k[i] }
        keep = k
        return [x]
    }
    func backward(_ g: [[S]?]) -> [[S]?] {
        guard var d = g[0], let keep else { return [g[0]] }
        for i in 0..<d.count { d[i] *= keep[i] }
        return [d]
    }
}

/// Activation layer on the last axis; the mask passes.
final class ActivationOp<S: TrainScalar>: TrainOp {
    let activation: Activation
    private var y: [S] = [], width = 1
    init(_ layer: ActivationLayer) { activation = layer.activation }
    func forward(_ inputs: [Batch<S>], context: ForwardContext) throws -> [Batch<S>] {
        var x = inputs[0]
        width = max(x.shape.last ?? 1, 1)
        let rows = x.count / width
        x.data.withUnsafeMutableBufferPointer { activation.applyTrain($0.baseAddress!, rows: rows, width: width) }
        y = x.data
        return [x]
    }
    func backward(_ g: [[S]?]) -> [[S]?] {
        guard var d = g[0] else { return [nil] }
        let rows = d.count / width
        y.withUnsafeBufferPointer { yp in
            d.withUnsafeMutableBufferPointer { activation.backpropagate(output: yp.baseAddress!, gradient: $0.baseAddress!, rows: rows, width: width) }
        }
        return [d]
    }
}

/// Masking: steps whose features all equal the mask value are zeroed and masked; the
/// gradient is zero there and passes elsewhere.
final class MaskingOp<S: TrainScalar>: TrainOp {
    let maskValue: S
    private var keep: [Bool] = [], D = 1
    init(_ layer: Masking) { maskValue = S(layer.maskValue) }
    func forward(_ inputs: [Batch<S>], context: ForwardContext) throws -> [Batch<S>] {
        var x = inputs[0]
        guard x.shape.count == 3 else { throw RNNKitError.inputShapeMismatch(layer: "masking", expected: "[batch, time, features]", found: x.shape) }
        let steps = x.shape[0] * x.shape[1]
        D = x.shape[2]
        keep = (0..<steps).map { s in x.data[(s * D)..<((s + 1) * D)].contains { $0 != maskValue } }
        for s in 0..<steps where !keep[s] { for j in 0..<D { x.data[s * D + j] = 0 } }
        x.mask = keep
        return [x]
    }
    func backward(_ g: [[S]?]) -> [[S]?] {
        guard var d = g[0] else { return [nil] }
        for s in keep.indices where !keep[s] { for j in 0..<D { d[s * D + j] = 0 } }
        return [d]
    }
}
