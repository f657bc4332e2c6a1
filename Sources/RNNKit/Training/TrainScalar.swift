import CGEMM
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
    /// Softmax over `rows` rows of `width` contiguous values, in place.
    static func softmaxRows(_ v: UnsafeMutablePointer<Self>, rows: Int, width: Int)
    /// The first index of the greatest of `count` values (`argmaxInSwift`'s answer).
    static func argmax(_ v: UnsafePointer<Self>, count: Int) -> Int
}

extension TrainScalar {
    /// The first k whose value is greater than every earlier one's best (NaN never is).
    static func argmaxInSwift(_ v: UnsafePointer<Self>, count: Int) -> Int {
        var best = 0
        for k in 1..<max(count, 1) where v[k] > v[best] { best = k }
        return best
    }
}

extension Float: TrainScalar {
    @inline(__always) static func tanhT(_ x: Float) -> Float { tanhApprox(x) }
    @inline(__always) static func expT(_ x: Float) -> Float { expApprox(x) }
    @inline(__always) static func logT(_ x: Float) -> Float { Foundation.log(x) }
    /// In C (Sources/CGEMM/kit_softmax.c) at the CPU's widest vectors: the bits of `softmaxRowsInSwift`.
    static func softmaxRows(_ v: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        kit_softmax_rows_f32(kit_gemm_kernel(), rows, width, v)
    }
    /// In C (kit_scan.c), vectorised: the same index as `argmaxInSwift`.
    static func argmax(_ v: UnsafePointer<Float>, count: Int) -> Int { kit_argmax_f32(v, count) }
}

extension Double: TrainScalar {
    @inline(__always) static func tanhT(_ x: Double) -> Double { Foundation.tanh(x) }
    @inline(__always) static func expT(_ x: Double) -> Double { Foundation.exp(x) }
    @inline(__always) static func logT(_ x: Double) -> Double { Foundation.log(x) }
    static func softmaxRows(_ v: UnsafeMutablePointer<Double>, rows: Int, width: Int) { softmaxRowsInSwift(v, rows: rows, width: width) }
    static func argmax(_ v: UnsafePointer<Double>, count: Int) -> Int { argmaxInSwift(v, count: count) }
}

/// exp for float32 by Cephes's range reduction and polynomial, the algorithm of Eigen's
/// `pexp` (TensorFlow's CPU softmax): within 2 ulp, branch-free and vectorisable, where
/// libm's `expf` is a call per element (a 30,000-way softmax spends most of its time there).
/// Arguments are clamped to [−87.34, 88] (the normal range; softmax's are ≤ 0).
@inline(__always)
func expApprox(_ x0: Float) -> Float {
    let x = min(max(x0, -87.3365447505531), 88)
    // n = round(x / ln 2): adding 1.5·2²³ leaves the integer in the low mantissa bits (exact
    // IEEE arithmetic, no call to floor), which also give 2ⁿ's exponent below.
    let shifted = x * 1.44269504088896341 + 12_582_912
    let n = shifted - 12_582_912
    let r = x - n * 0.693359375 + n * 2.12194440e-4
    var y: Float = 1.9875691500e-4
    y = y * r + 1.3981999507e-3
    y = y * r + 8.3334519073e-3
    y = y * r + 4.1665795894e-2
    y = y * r + 1.6666665459e-1
    y = y * r + 5.0000001201e-1
    y = y * (r * r) + r + 1
    let e = Int32(bitPattern: shifted.bitPattern) &- 0x4B40_0000   // n as an integer, −126…127
    return y * Float(bitPattern: UInt32(bitPattern: (e &+ 127) &<< 23))
}

/// The activations training supports, forward and backward. Derivatives are written in terms
/// of the activation's output y (all of these allow it), so the forward pass need keep only y.
extension Activation {
    var isTrainable: Bool {
        switch self {
        case .linear, .relu, .tanh, .sigmoid, .hardSigmoid, .hardSigmoidKeras3, .softmax: return true
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
        case .hardSigmoidKeras3: for i in 0..<n { v[i] = min(max(v[i] + 3, 0), 6) / 6 }
        default: return
        }
    }

    /// Applies the activation to `rows` rows of `width` contiguous values (softmax per row).
    func applyTrain<S: TrainScalar>(_ v: UnsafeMutablePointer<S>, rows: Int, width: Int) {
        guard self == .softmax else { applyTrain(v, rows * width); return }
        S.softmaxRows(v, rows: rows, width: width)
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
        case .hardSigmoidKeras3: for i in 0..<n { d[i] *= (y[i] > 0 && y[i] < 1) ? 1 / 6 : 0 }
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

/// Softmax per row: max, exp(v − max), times 1/Σ with `sum`'s order — the definition the C
/// version (float32) reproduces bit for bit, and the Double path.
func softmaxRowsInSwift<S: TrainScalar>(_ v: UnsafeMutablePointer<S>, rows: Int, width: Int) {
    for r in 0..<rows {
        let row = v + r * width
        let m = maximum(row, width)
        for i in 0..<width { row[i] = S.expT(row[i] - m) }
        let inv = 1 / sum(row, width)
        for i in 0..<width { row[i] *= inv }
    }
}

/// Largest of n values (eight running maxima, then combined).
@inline(__always)
func maximum<S: TrainScalar>(_ v: UnsafePointer<S>, _ n: Int) -> S {
    var lanes = [S](repeating: -S.infinity, count: 8)
    var i = 0
    while i + 8 <= n { for k in 0..<8 { lanes[k] = max(lanes[k], v[i + k]) }; i += 8 }
    var m = lanes.max()!
    while i < n { m = max(m, v[i]); i += 1 }
    return m
}

/// Sum of n values in eight interleaved partial sums (a fixed order: deterministic).
@inline(__always)
func sum<S: TrainScalar>(_ v: UnsafePointer<S>, _ n: Int) -> S {
    var lanes = [S](repeating: 0, count: 8)
    var i = 0
    while i + 8 <= n { for k in 0..<8 { lanes[k] += v[i + k] }; i += 8 }
    var s = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]))
    while i < n { s += v[i]; i += 1 }
    return s
}
