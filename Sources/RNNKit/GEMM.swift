import CGEMM
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
        case .tanh, .sigmoid, .hardSigmoid, .hardSigmoidKeras3, .softmax, .softsign: return true
        default: return false
        }
    }
}

/// A scalar the kernels can run in: the kit's GEMM and conversion from/to float32.
protocol KitScalar: BinaryFloatingPoint, Sendable {
    init(_ f: Float)
    var float: Float { get }
    /// C[M,N] = op(A)·op(B) (+ C when `accumulate`), op = transpose where asked (A stored [K,M]
    /// when transposed, B stored [N,K]); the fixed order of arithmetic of `kit_gemm.h`, on
    /// `kernel` (a `KIT_GEMM_*` code; all give the same bits).
    static func gemm(kernel: Int32, transA: Bool, transB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Self>, lda: Int,
                     b: UnsafePointer<Self>, ldb: Int, c: UnsafeMutablePointer<Self>, ldc: Int, accumulate: Bool)
    /// C[M,N] = row + A·B with `row` (N values) the start of every row of C (`kit_gemm_row`).
    static func gemm(kernel: Int32, m: Int, n: Int, k: Int, a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
                     row: UnsafePointer<Self>, c: UnsafeMutablePointer<Self>, ldc: Int)
}

extension Float: KitScalar {
    var float: Float { self }
    static func gemm(kernel: Int32, transA: Bool, transB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                     b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
        kit_sgemm(kernel, transA ? 1 : 0, transB ? 1 : 0, Int32(m), Int32(n), Int32(k), a, Int32(lda), b, Int32(ldb), accumulate ? 1 : 0, c, Int32(ldc))
    }
    static func gemm(kernel: Int32, m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                     row: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int) {
        kit_sgemm_row(kernel, 0, 0, Int32(m), Int32(n), Int32(k), a, Int32(lda), b, Int32(ldb), row, c, Int32(ldc))
    }
}

extension Double: KitScalar {
    var float: Float { Float(self) }
    static func gemm(kernel: Int32, transA: Bool, transB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Double>, lda: Int,
                     b: UnsafePointer<Double>, ldb: Int, c: UnsafeMutablePointer<Double>, ldc: Int, accumulate: Bool) {
        kit_dgemm(kernel, transA ? 1 : 0, transB ? 1 : 0, Int32(m), Int32(n), Int32(k), a, Int32(lda), b, Int32(ldb), accumulate ? 1 : 0, c, Int32(ldc))
    }
    static func gemm(kernel: Int32, m: Int, n: Int, k: Int, a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                     row: UnsafePointer<Double>, c: UnsafeMutablePointer<Double>, ldc: Int) {
        kit_dgemm_row(kernel, 0, 0, Int32(m), Int32(n), Int32(k), a, Int32(lda), b, Int32(ldb), row, c, Int32(ldc))
    }
}

/// C[M,N] = A[M,K]·B[K,N] + beta·C with beta 0 or 1; a time step's slice of a [B, T, G·H]
/// buffer can be the output directly (ldc = T·G·H). K = 0 leaves beta·C.
@inline(__always)
func gemm<S: KitScalar>(m: Int, n: Int, k: Int, a: UnsafePointer<S>, lda: Int, b: UnsafePointer<S>, ldb: Int,
                        c: UnsafeMutablePointer<S>, ldc: Int, beta: S = 0) {
    gemm(transA: false, transB: false, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, beta: beta)
}

/// C[M,N] = A·B + `row` in every row: the bits of filling C's rows with `row` and calling
/// `gemm(…, beta: 1)`, without that pass over C (a bias row before a 30,000-wide product).
func gemm<S: KitScalar>(m: Int, n: Int, k: Int, a: UnsafePointer<S>, lda: Int, b: UnsafePointer<S>, ldb: Int,
                        startingFrom row: UnsafePointer<S>, c: UnsafeMutablePointer<S>, ldc: Int) {
    S.gemm(kernel: kit_gemm_kernel(), m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, row: row, c: c, ldc: ldc)
}

/// C[M,N] = op(A)·op(B) + beta·C (beta 0 or 1), row-major; `transA` means A is stored [K, M]
/// (lda as stored), `transB` that B is stored [N, K]. Training's backward passes use it
/// (dW = Xᵀ·dZ, dX = dZ·Wᵀ).
@inline(__always)
func gemm<S: KitScalar>(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<S>, lda: Int,
                        b: UnsafePointer<S>, ldb: Int, c: UnsafeMutablePointer<S>, ldc: Int, beta: S = 0) {
    precondition(beta == 0 || beta == 1, "the kit's GEMM accumulates (beta 1) or overwrites (beta 0)")
    S.gemm(kernel: kit_gemm_kernel(), transA: transA, transB: transB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc,
           accumulate: beta == 1)
}

/// The kit's GEMM (Sources/CGEMM): every element of C is one chain of fused multiply-adds in
/// ascending k, on every kernel, so results are the same bits on every x86-64 machine.
public enum GEMM {
    /// The instruction sets a kernel can use; all compute identical bits.
    public enum Kernel: String, Sendable, CaseIterable {
        case portable, avx2, avx512
        var code: Int32 {
            switch self { case .portable: return Int32(KIT_GEMM_PORTABLE); case .avx2: return Int32(KIT_GEMM_AVX2); case .avx512: return Int32(KIT_GEMM_AVX512) }
        }
    }

    /// The kernel in use (the widest this CPU runs, unless `select` chose another).
    public static var kernel: Kernel { Kernel(rawValue: String(cString: kit_gemm_kernel_name())) ?? .portable }

    /// Chooses a kernel (nil: the widest this CPU runs); returns the one in use, narrower when
    /// the CPU lacks the instructions. Executables call it for a user's override; tests to
    /// compare kernels.
    @discardableResult
    public static func select(_ kernel: Kernel?) -> Kernel {
        _ = kit_gemm_select(kernel?.code ?? Int32(KIT_GEMM_AUTO))
        return self.kernel
    }

    /// C = op(A)·op(B) (+ C) on the given kernel whatever is selected (tests compare kernels).
    static func multiply<S: KitScalar>(kernel: Kernel, transA: Bool, transB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<S>, lda: Int,
                                       b: UnsafePointer<S>, ldb: Int, c: UnsafeMutablePointer<S>, ldc: Int, accumulate: Bool) {
        S.gemm(kernel: kernel.code, transA: transA, transB: transB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc,
               accumulate: accumulate)
    }

    /// C = row + A·B (every row of C starting from `row`) on the given kernel.
    static func multiply<S: KitScalar>(kernel: Kernel, m: Int, n: Int, k: Int, a: UnsafePointer<S>, lda: Int,
                                       b: UnsafePointer<S>, ldb: Int, row: UnsafePointer<S>, c: UnsafeMutablePointer<S>, ldc: Int) {
        S.gemm(kernel: kernel.code, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, row: row, c: c, ldc: ldc)
    }

    /// Whether this CPU runs a kernel (others fall back to the widest it runs).
    public static func isSupported(_ kernel: Kernel) -> Bool { kit_gemm_supported(kernel.code) != 0 }

    /// The float32 fma throughput of this machine on the selected kernel's registers, in
    /// GFLOP/s, with `workers` threads running at once (the denominator of `make bench`'s
    /// "% of peak"; it measures the cores, not the GEMM).
    /// Best of `repeats` runs: one run varied by 10 % on a quiet machine (182–205 GFLOP/s on 2
    /// cores), and a low denominator would overstate every share of it.
    public static func peakGFLOPS(workers: Int, repeats: Int = 5) -> Double {
        let code = kit_gemm_kernel()
        let iterations = 50_000_000
        var best = 0.0
        for _ in 0..<max(1, repeats) {
            var sinks = [Float](repeating: 0, count: workers), flops = [Double](repeating: 0, count: workers)
            let start = DispatchTime.now().uptimeNanoseconds
            sinks.withUnsafeMutableBufferPointer { s in
                flops.withUnsafeMutableBufferPointer { f in
                    let (sp, fp) = (s.baseAddress!, f.baseAddress!)
                    DispatchQueue.concurrentPerform(iterations: workers) { w in fp[w] = kit_gemm_fma_peak_flops(code, iterations, sp + w) }
                }
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            best = max(best, flops.reduce(0, +) / seconds / 1e9)
        }
        return best
    }

    /// One float32 product shape on the calling thread beside that thread's fma peak, both
    /// timed by the thread's CPU clock (best of `repeats`), so the ratio says how well the GEMM
    /// uses a core even on a loaded machine (`make bench`'s breakdown of a training step).
    /// Inputs are fixed small values; C[m,n] = op(A)·op(B) as `gemm(transA:transB:…)` takes them.
    /// `subnormalShare` of B's elements (spread evenly) are float32 subnormals instead, as the
    /// underflowed probabilities of a trained ReLU head are: some CPUs run an fma on one in
    /// microcode, many times slower; flushing them to zero would change the bits, so the cost is
    /// measured, not avoided.
    public static func shapeGFLOPS(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, repeats: Int = 5,
                                   subnormalShare: Double = 0) -> (gemm: Double, peak: Double) {
        func cpuSeconds() -> Double {
            var t = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
            return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
        }
        let everyNth = subnormalShare > 0 ? max(1, Int((1 / subnormalShare).rounded())) : nil
        let a = (0..<(m * k)).map { Float($0 % 13) / 100 }
        let b = (0..<(k * n)).map { i -> Float in
            if let everyNth, i % everyNth == 0 { return Float(bitPattern: UInt32(1 + i % 0x7F_FFFF)) }
            return Float(i % 17) / 100
        }
        var c = [Float](repeating: 0, count: m * n)
        var best = Double.infinity
        a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
            for _ in 0..<max(1, repeats) {
                let start = cpuSeconds()
                gemm(transA: transA, transB: transB, m: m, n: n, k: k, a: ap.baseAddress!, lda: transA ? m : k,
                     b: bp.baseAddress!, ldb: transB ? k : n, c: cp.baseAddress!, ldc: n)
                best = min(best, cpuSeconds() - start)
            }
        } } }
        var sink: Float = 0
        let start = cpuSeconds()
        let flops = kit_gemm_fma_peak_flops(kit_gemm_kernel(), 20_000_000, &sink)
        return (2 * Double(m * n * k) / best / 1e9, flops / (cpuSeconds() - start) / 1e9)
    }

    /// A line for provenance blocks.
    public static func describe() -> String {
        "kit GEMM, \(kernel.rawValue) kernel (fixed fma order: identical bits on every kernel)"
    }
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
