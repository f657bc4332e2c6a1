import Foundation

/// Keras activations: the named functions, and the parameterised activation objects Keras
/// ships (`ReLU`, `LeakyReLU`, `ELU`, `ThresholdedReLU`), as exact formulas.
///
/// `hardSigmoid` is tf.keras 2.x's clip(0.2·x + 0.5, 0, 1); Keras 3 redefined `hard_sigmoid`
/// as relu6(x + 3)/6 = clip(x/6 + 0.5, 0, 1), which is `hardSigmoidKeras3`. A file's
/// `keras_version` decides which one the name means (`KerasLayerConfig.keras3`).
public enum Activation: Hashable, Sendable {
    case linear, relu, tanh, sigmoid, softmax, elu, selu, softplus, softsign, exponential, swish
    case hardSigmoid
    case hardSigmoidKeras3
    /// Keras's general ReLU (the `ReLU` layer, `LeakyReLU`, `ThresholdedReLU`, Keras 3's
    /// `leaky_relu` and `relu6`): x above `threshold` (clipped to [0, `maxValue`]), otherwise
    /// `negativeSlope`·(x − threshold). Plain ReLU is always `.relu`.
    case generalReLU(negativeSlope: Double, maxValue: Double?, threshold: Double)
    /// ELU with α ≠ 1: x for x > 0, α·(eˣ − 1) otherwise (α = 1 is `.elu`).
    case scaledELU(alpha: Double)

    /// The activation named `name` in a layer config. Keras 3 names that tf.keras 2 lacks
    /// (`leaky_relu`, `relu6`) are accepted either way: tf.keras would refuse them, not misread.
    public init(keras name: String, layer: String, keras3: Bool = false) throws {
        switch name {
        case "linear": self = .linear
        case "relu": self = .relu
        case "tanh": self = .tanh
        case "sigmoid": self = .sigmoid
        case "softmax": self = .softmax
        case "elu": self = .elu
        case "selu": self = .selu
        case "softplus": self = .softplus
        case "softsign": self = .softsign
        case "exponential": self = .exponential
        case "swish", "silu": self = .swish
        case "hard_sigmoid": self = keras3 ? .hardSigmoidKeras3 : .hardSigmoid
        // Keras 3: keras.activations.leaky_relu(x, negative_slope=0.2), relu6 = min(max(x, 0), 6).
        case "leaky_relu": self = .generalReLU(negativeSlope: 0.2, maxValue: nil, threshold: 0)
        case "relu6": self = .generalReLU(negativeSlope: 0, maxValue: 6, threshold: 0)
        default: throw RNNKitError.unknownActivation(name: name, layer: layer)
        }
    }

    /// The ReLU family in its simplest form (`.relu` when no parameter differs from ReLU's).
    static func reLU(negativeSlope: Double, maxValue: Double?, threshold: Double) -> Activation {
        negativeSlope == 0 && maxValue == nil && threshold == 0 ? .relu
            : .generalReLU(negativeSlope: negativeSlope, maxValue: maxValue, threshold: threshold)
    }

    /// The Keras name (config value) of a named activation; objects are shown with their
    /// parameters (`ReLU(negative_slope=0.3)`) and exported as objects (`kerasConfigValue`).
    public var rawValue: String {
        switch self {
        case .linear: return "linear"
        case .relu: return "relu"
        case .tanh: return "tanh"
        case .sigmoid: return "sigmoid"
        case .softmax: return "softmax"
        case .elu: return "elu"
        case .selu: return "selu"
        case .softplus: return "softplus"
        case .softsign: return "softsign"
        case .exponential: return "exponential"
        case .swish: return "swish"
        case .hardSigmoid, .hardSigmoidKeras3: return "hard_sigmoid"
        case let .generalReLU(s, m, t):
            return "ReLU(negative_slope=\(s), max_value=\(m.map { "\($0)" } ?? "None"), threshold=\(t))"
        case let .scaledELU(a): return "ELU(alpha=\(a))"
        }
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
        // relu6(x + 3) / 6, in Keras 3's order of operations.
        case .hardSigmoidKeras3: for i in 0..<n { v[i] = min(max(v[i] + 3, 0), 6) / 6 }
        case let .generalReLU(slope, maxValue, threshold):
            let (a, t, m) = (S(Float(slope)), S(Float(threshold)), maxValue.map { S(Float($0)) })
            for i in 0..<n {
                let x = v[i]
                var y = t != 0 ? (x > t ? x : 0) : max(x, 0)
                if let m { y = min(max(y, 0), m) }
                if a != 0 { y -= a * max(t - x, 0) }
                v[i] = y
            }
        default: for i in 0..<n { v[i] = S(Float(scalar(Double(v[i])))) }
        }
    }

    /// The rarely used activations, in double precision through libm.
    private func scalar(_ x: Double) -> Double {
        switch self {
        case .elu: return x > 0 ? x : expm1(x)
        case let .scaledELU(alpha): return x > 0 ? x : Double(Float(alpha)) * expm1(x)
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
