import Foundation

/// Keras's default initialisers, drawn from `SeededRandom` (values differ from TensorFlow's
/// generator, the distributions are the same):
/// - kernels (recurrent input kernels, Dense): glorot_uniform, U(±√(6 / (fan_in + fan_out)))
///   with fan_in = rows, fan_out = columns of the full `[D, G·H]` matrix, as Keras computes;
/// - recurrent kernels: orthogonal, the Q of a QR factorisation of a standard normal
///   `[G·H, H]` matrix with columns sign-corrected so R's diagonal is positive, transposed
///   to `[H, G·H]` (Keras's `Orthogonal` for a wide matrix), gain 1;
/// - biases zero; an LSTM's forget-gate block is 1 (`unit_forget_bias`);
/// - embeddings U(−0.05, 0.05).
public enum Initializers {
    public static func glorotUniform(_ shape: [Int], _ rng: inout SeededRandom) -> Tensor {
        let (fanIn, fanOut) = (shape.dropLast().reduce(1, *), shape.last ?? 1)
        let limit = (6.0 / Double(fanIn + fanOut)).squareRoot()
        return Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { _ in Float(rng.uniform(-limit, limit)) })
    }

    public static func uniform(_ shape: [Int], _ low: Double, _ high: Double, _ rng: inout SeededRandom) -> Tensor {
        Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { _ in Float(rng.uniform(low, high)) })
    }

    public static func orthogonal(_ shape: [Int], _ rng: inout SeededRandom) -> Tensor {
        let rows = shape.dropLast().reduce(1, *), cols = shape.last ?? 1
        let (m, n) = (max(rows, cols), min(rows, cols))
        let a = (0..<(m * n)).map { _ in rng.normal() }
        let q = thinQ(a, rows: m, cols: n)          // [m, n]
        var out = [Float](repeating: 0, count: rows * cols)
        if rows < cols {   // transpose [cols, rows] → [rows, cols]
            for i in 0..<m { for j in 0..<n { out[j * cols + i] = Float(q[i * n + j]) } }
        } else {
            out = q.map(Float.init)
        }
        return Tensor(shape: shape, data: out)
    }

    /// Q of the thin QR factorisation of a row-major m×n matrix (m ≥ n) by Householder
    /// reflections, each column multiplied by the sign of R's diagonal entry (Keras's
    /// `q *= sign(diag(r))`), which makes the factorisation unique.
    static func thinQ(_ a0: [Double], rows m: Int, cols n: Int) -> [Double] {
        var a = a0
        var vs: [[Double]] = [], diag = [Double](repeating: 0, count: n)
        for k in 0..<n {
            var v = (k..<m).map { a[$0 * n + k] }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let alpha = v[0] >= 0 ? -norm : norm
            v[0] -= alpha
            let vv = v.reduce(0) { $0 + $1 * $1 }
            if vv > 0 {
                for j in k..<n {
                    var s = 0.0
                    for i in k..<m { s += v[i - k] * a[i * n + j] }
                    let f = 2 * s / vv
                    for i in k..<m { a[i * n + j] -= f * v[i - k] }
                }
            }
            diag[k] = vv > 0 ? alpha : a[k * n + k]
            vs.append(vv > 0 ? v.map { $0 / vv.squareRoot() } : [])
        }
        // Q = H_0 ⋯ H_{n−1} applied to the first n columns of the identity.
        var q = [Double](repeating: 0, count: m * n)
        for i in 0..<n { q[i * n + i] = 1 }
        for k in stride(from: n - 1, through: 0, by: -1) where !vs[k].isEmpty {
            let v = vs[k]
            for j in 0..<n {
                var s = 0.0
                for i in k..<m { s += v[i - k] * q[i * n + j] }
                for i in k..<m { q[i * n + j] -= 2 * s * v[i - k] }
            }
        }
        for j in 0..<n where diag[j] < 0 { for i in 0..<m { q[i * n + j] = -q[i * n + j] } }
        return q
    }
}

extension Model {
    /// A copy whose every weight is drawn afresh with Keras's default initialisers (see
    /// `Initializers`). Layer i draws from its own stream (`seed`, salt i), so adding a
    /// layer does not change the others' initial weights.
    public func kerasInitialized(seed: UInt64) -> Model {
        var m = self
        for i in m.nodes.indices {
            var rng = SeededRandom(seed: seed, salt: UInt64(i + 1))
            var layer = m.nodes[i].layer
            switch layer {
            case let e as Embedding:
                layer.setWeights([Initializers.uniform(e.table.shape, -0.05, 0.05, &rng)])
            case let r as Recurrent:
                layer.setWeights(Self.recurrentInitial(r, &rng))
            case let b as Bidirectional:
                // Forward then backward direction, drawn one after the other from the node's stream.
                layer.setWeights(Self.recurrentInitial(b.forwardLayer, &rng) + Self.recurrentInitial(b.backwardLayer, &rng))
            case let d as Dense:
                layer.setWeights([Initializers.glorotUniform(d.kernel.shape, &rng)] + (d.useBias ? [Tensor(zeros: d.bias.shape)] : []))
            default: continue
            }
            m.nodes[i].layer = layer
        }
        return m
    }

    /// Keras's initial weights of a recurrent layer: Glorot-uniform W, orthogonal U, zero bias
    /// (the LSTM forget gate's 1, `unit_forget_bias`).
    static func recurrentInitial(_ r: Recurrent, _ rng: inout SeededRandom) -> [Tensor] {
        var bias = Tensor(zeros: r.bias.shape)
        if let f = r.cell.facts.forgetGate { for j in (f * r.units)..<((f + 1) * r.units) { bias.data[j] = 1 } }
        return [Initializers.glorotUniform(r.kernel.shape, &rng), Initializers.orthogonal(r.recurrentKernel.shape, &rng)]
            + (r.useBias ? [bias] : [])
    }
}
