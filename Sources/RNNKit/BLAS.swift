import CBLAS

/// C[M,N] = alpha · A[M,K] · B[K,N] + beta · C, row-major with explicit leading dimensions,
/// so a time step's slice of a [B, T, G·H] buffer can be the output directly.
@inline(__always)
func sgemm(m: Int, n: Int, k: Int,
           a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
           c: UnsafeMutablePointer<Float>, ldc: Int, beta: Float = 0, alpha: Float = 1) {
    guard m > 0, n > 0 else { return }
    if k == 0 {
        for r in 0..<m { for j in 0..<n { c[r * ldc + j] *= beta } }
        return
    }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
                alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// The kit parallelises over batch chunks itself; BLAS runs single-threaded inside each.
public enum BLASThreads {
    nonisolated(unsafe) private static var configured = false
    public static func useSingleThreadedBLAS() {
        if !configured { openblas_set_num_threads(1); configured = true }
    }
}
