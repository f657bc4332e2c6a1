import Foundation

/// The scalars training runs in: `Float` for training (Keras trains in float32) and `Double`
/// for the finite-difference gradient checks.
///
/// In `Float`, tanh (and the logistic sigmoid through it) is the rational approximation
/// TensorFlow's CPU kernels use (`tanhApprox`), fast and vectorisable. In `Double` they are
/// libm's, so the function a gradient check differentiates numerically is exactly the one
/// whose derivative the backward pass uses.
protocol TrainScalar: KitScalar {
    static func tanhT(_ x: Self) -> Self
    static func expT(_ x: Self) -> Self
    static func logT(_ x: Self) -> Self
}

extension Float: TrainScalar {
    @inline(__always) static func tanhT(_ x: Float) -> Float { tanhApprox(x) }
    @inline(__always) static func expT(_ x: Float) -> Float { Foundation.exp(x) }
    @inline(__always) static func logT(_ x: Float) -> Float { Foundation.log(x) }
}

extension Double: TrainScalar {
    @inline(__always) static func tanhT(_ x: Double) -> Double { Foundation.tanh(x) }
    @inline(__always) static func expT(_ x: Double) -> Double { Foundation.exp(x) }
    @inline(__always) static func logT(_ x: Double) -> Double { Foundation.log(x) }
}

/// The activations training supports, forward and backward. Derivatives are written in terms
/// of the activation's output y (all of these allow it), so the forward pass need keep only y.
extension Activation {
    var isTrainable: Bool {
        switch self {
        case .linear, .relu, .tanh, .sigmoid, .hardSigmoid, .softmax: return true
        default: return false
        }
    }

    /// y = act(v) in place, element-wise (softmax: per row of `width`, via `applyTrain(rows:)`).
    @inline(__always)
    func applyTrain<S: TrainScalar>(_ v: UnsafeMutablePointer<S>, _ n: Int) {
        switch self {
        case .relu: for i in 0..<n { v[i] = max(v[i], 0) }
        case .tanh: for i in 0..<n { v[i] = S.tanhT(v[i]) }
        case .sigmoid: for i in 0..<n { v[i] = 0.5 + 0.5 * S.tanhT(0.5 * v[i]) }
        case .hardSigmoid: for i in 0..<n { v[i] = min(max(S(0.2) * v[i] + S(0.5), 0), 1) }
        default: return
        }
    }

    /// Applies the activation to `rows` rows of `width` contiguous values (softmax per row).
    func applyTrain<S: TrainScalar>(_ v: UnsafeMutablePointer<S>, rows: Int, width: Int) {
        guard self == .softmax else { applyTrain(v, rows * width); return }
        for r in 0..<rows {
            let row = v + r * width
            var m = -S.infinity
            for i in 0..<width { m = max(m, row[i]) }
            var s: S = 0
            for i in 0..<width { row[i] = S.expT(row[i] - m); s += row[i] }
            let inv = 1 / s
            for i in 0..<width { row[i] *= inv }
        }
    }

    /// d ← d ⊙ act'(x) for element-wise activations, given y = act(x).
    @inline(__always)
    func backpropagate<S: TrainScalar>(output y: UnsafePointer<S>, gradient d: UnsafeMutablePointer<S>, _ n: Int) {
        switch self {
        case .relu: for i in 0..<n where y[i] <= 0 { d[i] = 0 }
        case .tanh: for i in 0..<n { d[i] *= 1 - y[i] * y[i] }
        case .sigmoid: for i in 0..<n { d[i] *= y[i] * (1 - y[i]) }
        // clip(0.2x + 0.5, 0, 1): slope 0.2 strictly inside, 0 where clipped.
        case .hardSigmoid: for i in 0..<n { d[i] *= (y[i] > 0 && y[i] < 1) ? 0.2 : 0 }
        default: return
        }
    }

    /// The same over rows; softmax's Jacobian-vector product is d ← y ⊙ (d − Σ d·y) per row.
    func backpropagate<S: TrainScalar>(output y: UnsafePointer<S>, gradient d: UnsafeMutablePointer<S>, rows: Int, width: Int) {
        guard self == .softmax else { backpropagate(output: y, gradient: d, rows * width); return }
        for r in 0..<rows {
            let (yr, dr) = (y + r * width, d + r * width)
            var dot: S = 0
            for i in 0..<width { dot += dr[i] * yr[i] }
            for i in 0..<width { dr[i] = yr[i] * (dr[i] - dot) }
        }
    }
}
