import CGEMM

// MARK: - The rows a softmax cross-entropy loss counts
//
// A sequence model's output layer computes a 30,000-way softmax at every step, but the loss
// counts only the steps the output mask shows whose label is not `ignoreLabel`: on Tatoeba
// about a third of the rows (sentences of ~6 tokens padded to 20). The layer that feeds only
// the loss computes just those rows; the others are left zero and never read (see DenseOp).
//
// Exactness. Skipping changes no bit of what is read:
// - a counted row's logits and probabilities are the same chains of operations;
// - ∂X of an uncounted row is exactly +0 in the full product too (a chain of fma(w, ±0, acc)
//   from +0 stays +0 when every w is finite), and is written as +0;
// - ∂W and ∂b: each element's chain only loses steps acc → fma(x, +0, acc) (or acc + 0). Such a
//   step keeps a non-zero acc, and maps a zero to a zero of possibly other sign; a later
//   non-zero term rounds the same from +0 or −0. So the short and the full chain end equal, or
//   both ±0 — the elements that end ±0 are computed again by the full chain (`refineZeros`).
//   This needs the gradient to start at +0 and the skipped rows' x finite; when either fails,
//   nothing is skipped.

/// The targets of a pass's loss, given to the layer that feeds only the loss.
struct LossRows {
    var labels: [Int32]
    var ignoreLabel: Int?

    /// The rows of `rows` the loss counts (what SoftmaxCrossEntropy.evaluate counts), or nil when
    /// every row or none counts, or the labels do not line up (the loss then reports the mismatch).
    func counted(rows: Int, mask: [Bool]?) -> [Int]? {
        guard labels.count == rows, mask.map({ $0.count == rows }) ?? true else { return nil }
        var out: [Int] = []
        out.reserveCapacity(rows)
        for r in 0..<rows where (mask?[r] ?? true) && Int(labels[r]) != ignoreLabel { out.append(r) }
        return out.count < rows && !out.isEmpty ? out : nil
    }
}

extension UnsafePointer where Pointee: TrainScalar {
    /// Rows `rows` of a row-major [*, width] array, packed.
    func gatherRows(_ rows: [Int], width: Int) -> [Pointee] {
        var out = [Pointee](repeating: 0, count: rows.count * width)
        out.withUnsafeMutableBufferPointer { o in
            for (i, r) in rows.enumerated() { (o.baseAddress! + i * width).update(from: self + r * width, count: width) }
        }
        return out
    }

    /// Whether `count` values are all +0 (the bits, so −0 fails). Float32 in C (kit_scan.c).
    func allPositiveZero(count: Int) -> Bool {
        if Pointee.self == Float.self {
            return withMemoryRebound(to: Float.self, capacity: count) { kit_all_positive_zero_f32($0, count) != 0 }
        }
        for i in 0..<count where self[i] != 0 || self[i].sign == .minus { return false }
        return true
    }

    /// Whether `count` values are all finite. Float32 in C (kit_scan.c).
    func allFinite(count: Int) -> Bool {
        if Pointee.self == Float.self {
            return withMemoryRebound(to: Float.self, capacity: count) { kit_all_finite_f32($0, count) != 0 }
        }
        for i in 0..<count where !self[i].isFinite { return false }
        return true
    }

    /// The index of the first ±0 at or after `from` (`count` when none). Float32 in C (kit_scan.c).
    func nextZero(from: Int, count: Int) -> Int {
        if Pointee.self == Float.self {
            return withMemoryRebound(to: Float.self, capacity: count) { kit_next_zero_f32($0, from, count) }
        }
        var i = from
        while i < count, self[i] != 0 { i += 1 }
        return i
    }
}

extension UnsafeMutablePointer where Pointee: TrainScalar {
    /// Packed rows `packed` ([rows.count, width]) into rows `rows` of a row-major [*, width] array.
    func scatterRows(_ packed: [Pointee], to rows: [Int], width: Int) {
        packed.withUnsafeBufferPointer { c in
            for (i, r) in rows.enumerated() { (self + r * width).update(from: c.baseAddress! + i * width, count: width) }
        }
    }
}

/// ∂W of elements whose chain over the counted rows ended ±0, again over all rows from +0:
/// w[i, j] = Σ_r x[r, i]·p(r, j) by fma in r order (the GEMM's chain), for a [D, U] gradient;
/// p(r, j) is P's element (+0 in the rows the loss does not count); `counted` holds the
/// counted rows of P packed ([n, U]).
///
/// Two kinds of chain are known without running them: when every term is an exact ±0, from +0
/// a sum of zeros stays +0 (+0 + −0 = +0), so the element is +0. That holds along a row i whose
/// input is ±0 in every row (a ReLU unit silent over the batch; P finite), and along a column j
/// whose P is ±0 in every counted row (a softmax probability that underflowed; x finite). ReLU
/// models have many of both, and running their chains one element at a time over every row
/// made their training slow.
func refineZeros<S: TrainScalar>(_ w: UnsafeMutablePointer<S>, d: Int, u: Int, x: UnsafePointer<S>, rows: Int,
                                 counted: UnsafePointer<S>, countedRows n: Int, p: (_ row: Int, _ column: Int) -> S) {
    var silentRow = [Bool](repeating: true, count: d)
    for r in 0..<rows { for i in 0..<d where silentRow[i] && x[r * d + i] != 0 { silentRow[i] = false } }
    if silentRow.contains(true) && !counted.allFinite(count: n * u) { silentRow = [Bool](repeating: false, count: d) }
    var silentColumn = [Bool](repeating: x.allFinite(count: rows * d), count: u)
    if silentColumn.first == true {
        for r in 0..<n { let row = counted + r * u; for j in 0..<u where silentColumn[j] && row[j] != 0 { silentColumn[j] = false } }
    }
    for i in 0..<d where silentRow[i] { (w + i * u).update(repeating: 0, count: u) }
    for j in 0..<u where silentColumn[j] { for i in 0..<d { w[i * u + j] = 0 } }
    var e = UnsafePointer(w).nextZero(from: 0, count: d * u)
    while e < d * u {
        let (i, j) = (e / u, e % u)
        if silentRow[i] { e = UnsafePointer(w).nextZero(from: (i + 1) * u, count: d * u); continue }
        if !silentColumn[j] {
            var acc: S = 0
            for r in 0..<rows { acc = acc.addingProduct(x[r * d + i], p(r, j)) }
            w[e] = acc
        }
        e = UnsafePointer(w).nextZero(from: e + 1, count: d * u)
    }
}

/// ∂b of elements whose sum over the counted rows ended ±0, again over all rows from +0.
func refineZeroSums<S: TrainScalar>(_ b: UnsafeMutablePointer<S>, u: Int, rows: Int, p: (_ row: Int, _ column: Int) -> S) {
    for j in 0..<u where b[j] == 0 {
        var acc: S = 0
        for r in 0..<rows { acc += p(r, j) }
        b[j] = acc
    }
}
