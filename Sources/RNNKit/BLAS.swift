import CBLAS
import Foundation

/// The arithmetic inference runs in. Weights and layer outputs are float32 either way (as
/// Keras stores them); `.float64` accumulates GEMMs and carries recurrent state in double.
///
/// `.auto` (the default) uses float64 only where float32 loses accuracy: in a layer whose
/// activation is unbounded (ReLU, linear, …) or whose input comes from one. There values grow
/// to hundreds (the authors' ReLU models reach 231) and float32 GEMM error grows with them,
/// which a later tanh turns into absolute error above tf.keras's own. Bounded layers (tanh,
/// sigmoid, LSTM/GRU states) keep float32's speed: their error stays a few ulp of 1.
public enum Precision: String, Sendable, CaseIterable {
    case auto, float32, float64
}

/// What a forward pass computes besides the outputs, and in which precision.
public struct RunOptions: Sendable {
    public var taps: Bool
    public var precision: Precision
    public init(taps: Bool = false, precision: Precision = .auto) { self.taps = taps; self.precision = precision }
}

extension Activation {
    /// Whether outputs stay within a fixed range whatever the input (so float32 suffices).
    var isBounded: Bool {
        switch self {
        case .tanh, .sigmoid, .hardSigmoid, .softmax, .softsign: return true
        default: return false
        }
    }
}

/// A scalar the kernels can run in: GEMM through OpenBLAS and conversion from/to float32.
protocol KitScalar: BinaryFloatingPoint, Sendable {
    init(_ f: Float)
    var float: Float { get }
    /// C[M,N] = A[M,K]·B[K,N] + beta·C, row-major, explicit leading dimensions.
    static func gemm(m: Int, n: Int, k: Int, a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
                     c: UnsafeMutablePointer<Self>, ldc: Int, beta: Self)
    /// C[M,N] = op(A)·op(B) + beta·C with op = transpose where asked (A stored [K,M] when transposed).
    static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Self>, lda: Int,
                     b: UnsafePointer<Self>, ldb: Int, c: UnsafeMutablePointer<Self>, ldc: Int, beta: Self)
}

extension Float: KitScalar {
    var float: Float { self }
    static func gemm(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                     c: UnsafeMutablePointer<Float>, ldc: Int, beta: Float) {
        kit_sgemm(Int32(m), Int32(n), Int32(k), 1, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
    static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                     b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int, beta: Float) {
        kit_sgemm_t(transA ? 1 : 0, transB ? 1 : 0, Int32(m), Int32(n), Int32(k), 1, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}

extension Double: KitScalar {
    var float: Float { Float(self) }
    static func gemm(m: Int, n: Int, k: Int, a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                     c: UnsafeMutablePointer<Double>, ldc: Int, beta: Double) {
        kit_dgemm(Int32(m), Int32(n), Int32(k), 1, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
    static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Double>, lda: Int,
                     b: UnsafePointer<Double>, ldb: Int, c: UnsafeMutablePointer<Double>, ldc: Int, beta: Double) {
        kit_dgemm_t(transA ? 1 : 0, transB ? 1 : 0, Int32(m), Int32(n), Int32(k), 1, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}

/// C[M,N] = A[M,K]·B[K,N] + beta·C; a time step's slice of a [B, T, G·H] buffer can be the
/// output directly (ldc = T·G·H). K = 0 scales C by beta, as BLAS would.
@inline(__always)
func gemm<S: KitScalar>(m: Int, n: Int, k: Int, a: UnsafePointer<S>, lda: Int, b: UnsafePointer<S>, ldb: Int,
                        c: UnsafeMutablePointer<S>, ldc: Int, beta: S = 0) {
    guard m > 0, n > 0 else { return }
    if k == 0 {
        for r in 0..<m { for j in 0..<n { c[r * ldc + j] *= beta } }
        return
    }
    S.gemm(m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, beta: beta)
}

/// C[M,N] = op(A)·op(B) + beta·C, row-major; `transA` means A is stored [K, M] (lda as stored),
/// `transB` that B is stored [N, K]. Training's backward passes use it (dW = Xᵀ·dZ, dX = dZ·Wᵀ).
/// K = 0 scales C by beta.
@inline(__always)
func gemm<S: KitScalar>(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<S>, lda: Int,
                        b: UnsafePointer<S>, ldb: Int, c: UnsafeMutablePointer<S>, ldc: Int, beta: S = 0) {
    guard m > 0, n > 0 else { return }
    if k == 0 {
        for r in 0..<m { for j in 0..<n { c[r * ldc + j] *= beta } }
        return
    }
    S.gemm(transA: transA, transB: transB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, beta: beta)
}

/// OpenBLAS, loaded once (see Sources/CBLAS/include/kit_blas.h for why it is dlopen-ed).
public enum BLAS {
    public struct Unavailable: Error, CustomStringConvertible { public let description: String }

    private static let loaded: Result<Void, Unavailable> = {
        var message = [CChar](repeating: 0, count: 512)
        return kit_blas_load(&message, message.count) == 0 ? .success(()) : .failure(Unavailable(description: String(cString: message)))
    }()

    /// Loads OpenBLAS if needed; throws when it cannot be found.
    public static func ensureLoaded() throws { try loaded.get() }

    /// The kernel family in use, and whether the kit chose it (OPENBLAS_CORETYPE).
    public static func describe() -> String {
        guard (try? ensureLoaded()) != nil else { return "OpenBLAS unavailable" }
        let forced = String(cString: kit_blas_forced_coretype())
        return "OpenBLAS \(String(cString: kit_blas_corename()))" + (forced.isEmpty ? "" : " (OPENBLAS_CORETYPE=\(forced) set by the kit)")
    }

    /// The kit parallelises over batch chunks itself; BLAS then runs single-threaded.
    static func useSingleThread() { kit_blas_set_threads(1) }
}

/// Float32 values widened (or kept) in the compute precision.
@inline(__always)
func widened<S: KitScalar>(_ v: [Float], as: S.Type) -> [S] {
    if S.self == Float.self { return unsafeBitCast(v, to: [S].self) }   // same type: no copy
    return v.map { S($0) }
}

/// Compute-precision values narrowed to float32.
@inline(__always)
func narrowed<S: KitScalar>(_ v: [S]) -> [Float] {
    if S.self == Float.self { return unsafeBitCast(v, to: [Float].self) }
    return v.map(\.float)
}
