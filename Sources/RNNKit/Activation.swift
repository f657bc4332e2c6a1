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
    func apply<S: KitScalar>(_ p: UnsafeMutablePointer<S>, rows: Int, width: Int, stride: Int) {
        if self == .linear { return }
        for r in 0..<rows {
            let row = p + r * stride
            if self == .softmax { softmaxRow(row, width); continue }
            applyElementwise(row, width)
        }
    }

    @inline(__always)
    func applyElementwise<S: KitScalar>(_ v: UnsafeMutablePointer<S>, _ n: Int) {
        switch self {
        case .linear, .softmax: return
        case .relu: for i in 0..<n { v[i] = max(v[i], 0) }
        case .tanh: for i in 0..<n { v[i] = tanhApprox(v[i]) }
        case .sigmoid: for i in 0..<n { v[i] = 0.5 + 0.5 * tanhApprox(0.5 * v[i]) }
        case .hardSigmoid: for i in 0..<n { v[i] = min(max(S(0.2) * v[i] + S(0.5), 0), 1) }
        default: for i in 0..<n { v[i] = S(Float(scalar(Double(v[i])))) }
        }
    }

    /// The rarely used activations, in double precision through libm.
    private func scalar(_ x: Double) -> Double {
        switch self {
        case .elu: return x > 0 ? x : expm1(x)
        case .selu: return 1.0507009873554805 * (x > 0 ? x : 1.6732632423543772 * expm1(x))
        case .softplus: return x > 20 ? x : log1p(exp(x))
        case .softsign: return x / (1 + abs(x))
        case .exponential: return exp(x)
        case .swish: return x / (1 + exp(-x))
        default: return x
        }
    }
}

/// Numerically safe softmax of one row (subtract the maximum, as Keras does).
@inline(__always)
func softmaxRow<S: KitScalar>(_ v: UnsafeMutablePointer<S>, _ n: Int) {
    var m = -S.infinity
    for i in 0..<n { m = max(m, v[i]) }
    var s: S = 0
    for i in 0..<n { v[i] = S(Float(exp(Double(v[i] - m)))); s += v[i] }
    for i in 0..<n { v[i] /= s }
}

/// tanh by a rational minimax approximation (the one Eigen, and so TensorFlow's CPU kernels,
/// use for float32): within a few float32 ulp, branch-free, vectorisable. The same formula
/// serves float64 compute, where its ~3e-7 error is far below the parity bound.
@inline(__always)
func tanhApprox<S: KitScalar>(_ x0: S) -> S {
    // Beyond ±7.9053 tanh rounds to ±1 in float32.
    let x = min(max(x0, -7.90531110763549805), 7.90531110763549805)
    let x2 = x * x
    var p: S = -2.76076847742355e-16
    p = p * x2 + 2.00018790482477e-13
    p = p * x2 + -8.60467152213735e-11
    p = p * x2 + 5.12229709037114e-08
    p = p * x2 + 1.48572235717979e-05
    p = p * x2 + 6.37261928875436e-04
    p = p * x2 + 4.89352455891786e-03
    p = p * x
    var q: S = 1.19825839466702e-06
    q = q * x2 + 1.18534705686654e-04
    q = q * x2 + 2.26843463243900e-03
    q = q * x2 + 4.89352518554385e-03
    // Tiny inputs: tanh(x) = x to float precision (and no cancellation in p/q).
    return abs(x0) < 0.0004 ? x0 : p / q
}
