import Foundation

/// Keras activations by their config names. `hardSigmoid` is tf.keras 2.x's definition,
/// clip(0.2·x + 0.5, 0, 1) (Keras 3 changed the slope to 1/6; the authors' files are 2.x).
public enum Activation: String, Sendable, CaseIterable {
    case linear, relu, tanh, sigmoid, softmax, elu, selu, softplus, softsign, exponential, swish
    case hardSigmoid = "hard_sigmoid"

    public init(keras name: String, layer: String) throws {
        let alias = ["silu": "swish"][name] ?? name
        guard let a = Activation(rawValue: alias) else { throw RNNKitError.unknownActivation(name: name, layer: layer) }
        self = a
    }

    /// Applies the activation in place to `rows` rows of `width` values, `stride` apart.
    /// Softmax normalises each row; all others are element-wise.
    @inline(__always)
    func apply(_ p: UnsafeMutablePointer<Float>, rows: Int, width: Int, stride: Int) {
        if self == .linear { return }
        for r in 0..<rows {
            let row = p + r * stride
            if self == .softmax { softmaxRow(row, width); continue }
            applyElementwise(row, width)
        }
    }

    @inline(__always)
    func applyElementwise(_ v: UnsafeMutablePointer<Float>, _ n: Int) {
        switch self {
        case .linear, .softmax: return
        case .relu: for i in 0..<n { v[i] = max(v[i], 0) }
        case .tanh: fastTanh(v, n)
        case .sigmoid: fastSigmoid(v, n)
        case .hardSigmoid: for i in 0..<n { v[i] = min(max(0.2 * v[i] + 0.5, 0), 1) }
        case .elu: for i in 0..<n where v[i] < 0 { v[i] = expm1f(v[i]) }
        case .selu:
            let (a, s): (Float, Float) = (1.6732632423543772, 1.0507009873554805)
            for i in 0..<n { v[i] = v[i] > 0 ? s * v[i] : s * a * expm1f(v[i]) }
        case .softplus: for i in 0..<n { v[i] = v[i] > 20 ? v[i] : log1pf(expf(v[i])) }
        case .softsign: for i in 0..<n { v[i] = v[i] / (1 + abs(v[i])) }
        case .exponential: for i in 0..<n { v[i] = expf(v[i]) }
        case .swish: for i in 0..<n { v[i] = v[i] / (1 + expf(-v[i])) }
        }
    }
}

/// Numerically safe softmax of one row (subtract the maximum, as Keras does).
@inline(__always)
func softmaxRow(_ v: UnsafeMutablePointer<Float>, _ n: Int) {
    var m = -Float.infinity
    for i in 0..<n { m = max(m, v[i]) }
    var s: Float = 0
    for i in 0..<n { v[i] = expf(v[i] - m); s += v[i] }
    for i in 0..<n { v[i] /= s }
}

/// tanh of every element. A rational minimax approximation (the one Eigen, and so
/// TensorFlow's CPU kernels, use for float): error within a few ulp, branch-free, vectorisable.
@inline(__always)
func fastTanh(_ v: UnsafeMutablePointer<Float>, _ n: Int) {
    for i in 0..<n { v[i] = tanhApprox(v[i]) }
}

/// Logistic sigmoid via 1/2 + tanh(x/2)/2 (absolute error below 1e-7).
@inline(__always)
func fastSigmoid(_ v: UnsafeMutablePointer<Float>, _ n: Int) {
    for i in 0..<n { v[i] = 0.5 + 0.5 * tanhApprox(0.5 * v[i]) }
}

@inline(__always)
func tanhApprox(_ x0: Float) -> Float {
    // Beyond ±7.9053 tanh rounds to ±1 in float32.
    let x = min(max(x0, -7.90531110763549805), 7.90531110763549805)
    let x2 = x * x
    var p: Float = -2.76076847742355e-16
    p = p * x2 + 2.00018790482477e-13
    p = p * x2 + -8.60467152213735e-11
    p = p * x2 + 5.12229709037114e-08
    p = p * x2 + 1.48572235717979e-05
    p = p * x2 + 6.37261928875436e-04
    p = p * x2 + 4.89352455891786e-03
    p = p * x
    var q: Float = 1.19825839466702e-06
    q = q * x2 + 1.18534705686654e-04
    q = q * x2 + 2.26843463243900e-03
    q = q * x2 + 4.89352518554385e-03
    // Tiny inputs: tanh(x) = x to float precision, and avoids 0/0-style cancellation.
    return abs(x0) < 0.0004 ? x0 : p / q
}
