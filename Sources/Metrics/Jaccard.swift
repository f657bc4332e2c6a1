// Jaccard index between a model and one of its modules (ALGORITHMS.md §2b item 8 and §3).
//
// Two definitions:
//   • `authorsJaccard` — the authors' `jaccard_similarity` on flattened weight *values*:
//     |set(A) ∩ set(B)| / (|A| + |B| − |set(A) ∩ set(B)|), list lengths in the denominator
//     and set sizes in the numerator, as their published JI columns were computed.
//   • `structuralJaccard` — OURS, not the paper's: the fraction of the model's edges (nonzero
//     weight positions) that the module keeps, position by position.
//
// Which weights go into A and B (recurrent input kernels W and Dense kernels; no U, no
// biases, no embedding) is the caller's business; these functions take the flat lists.

// MARK: - The authors' definition

/// The authors' Jaccard index of two flat weight lists `A` (model) and `B` (module):
/// `JI = |set(A) ∩ set(B)| / (|A| + |B| − |set(A) ∩ set(B)|)`, where `|A|`, `|B|` are the
/// **list lengths** (duplicates counted) and the intersection is of **sets of values**
/// (duplicates collapsed), exactly as `len(set(a) & set(b)) / (len(a) + len(b) - i)` in Python.
///
/// Value equality is Python's float equality: `-0.0` and `0.0` are the same value; a NaN is
/// never in the intersection (Python's NaN objects compare unequal). The order of the
/// lists does not matter. Runs in O(|A| + |B|) by hashing bit patterns.
///
/// - Throws: `MetricsError.empty` when both lists are empty (Python: ZeroDivisionError).
public func authorsJaccard(model: [Float], module: [Float]) throws -> Double {
    try valueJaccard(model, module) { $0 == 0 ? 0 : $0.bitPattern }
}

/// `authorsJaccard` for Double weights (the same value semantics).
/// - Throws: `MetricsError.empty` when both lists are empty.
public func authorsJaccard(model: [Double], module: [Double]) throws -> Double {
    try valueJaccard(model, module) { $0 == 0 ? 0 : $0.bitPattern }
}

@inline(__always)
private func valueJaccard<F: BinaryFloatingPoint, Key: FixedWidthInteger & UnsignedInteger>(
    _ a: [F], _ b: [F], key: (F) -> Key
) throws -> Double {
    guard !(a.isEmpty && b.isEmpty) else {
        throw MetricsError.empty(metric: "Jaccard index", detail: "both weight lists are empty")
    }
    var setA = BitPatternSet<Key>(minimumCapacity: a.count)
    for x in a where !x.isNaN { setA.insert(key(x)) }
    var setB = BitPatternSet<Key>(minimumCapacity: b.count)
    var intersection = 0
    for x in b where !x.isNaN {
        let k = key(x)
        if setB.insert(k) && setA.contains(k) { intersection += 1 }
    }
    return Double(intersection) / Double(a.count + b.count - intersection)
}

/// An open-addressing hash set of integer bit patterns. `Key.max` (all ones: a NaN pattern for
/// Float and Double, never inserted) marks an empty slot. Fibonacci hashing, linear probing,
/// load ≤ 1/2.
private struct BitPatternSet<Key: FixedWidthInteger & UnsignedInteger> {
    private var slots: [Key]
    private let shift: UInt64

    init(minimumCapacity: Int) {
        var bits = 3
        while (1 << bits) < 2 * minimumCapacity { bits += 1 }
        slots = Array(repeating: Key.max, count: 1 << bits)
        shift = UInt64(64 - bits)
    }

    @inline(__always)
    private func home(_ key: Key) -> Int {
        var h = UInt64(truncatingIfNeeded: key)
        h ^= h >> 32
        return Int(truncatingIfNeeded: (h &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// Inserts `key`; true when it was not present.
    @inline(__always) @discardableResult
    mutating func insert(_ key: Key) -> Bool {
        let mask = slots.count - 1
        var i = home(key)
        return slots.withUnsafeMutableBufferPointer { s in
            while true {
                let k = s[i]
                if k == key { return false }
                if k == Key.max {
                    s[i] = key
                    return true
                }
                i = (i + 1) & mask
            }
        }
    }

    @inline(__always)
    func contains(_ key: Key) -> Bool {
        let mask = slots.count - 1
        var i = home(key)
        return slots.withUnsafeBufferPointer { s in
            while true {
                let k = s[i]
                if k == key { return true }
                if k == Key.max { return false }
                i = (i + 1) & mask
            }
        }
    }
}

// MARK: - Our structural variant

/// OURS (not the paper's): the structural Jaccard index of a model and a module of the same
/// architecture — edges are the positions with a nonzero weight, and the index is
/// `|{i : a_i ≠ 0 ∧ b_i ≠ 0}| / |{i : a_i ≠ 0 ∨ b_i ≠ 0}|`. For a module that only zeroes
/// weights (decomposition never adds an edge) this is the fraction of the model's edges the
/// module retains. `-0.0` is zero; NaN counts as nonzero. When neither list has a nonzero
/// entry the index is 1 (identical, empty edge sets — SciPy's convention for all-zero
/// vectors).
///
/// - Throws: `MetricsError.countMismatch` when the lists differ in length.
public func structuralJaccard(model: [Float], module: [Float]) throws -> Double {
    guard model.count == module.count else {
        throw MetricsError.countMismatch(metric: "structural Jaccard index", what: "module weights",
                                         expected: model.count, found: module.count)
    }
    var both = 0
    var either = 0
    model.withUnsafeBufferPointer { a in
        module.withUnsafeBufferPointer { b in
            for i in 0..<a.count {
                let x = a[i] != 0, y = b[i] != 0
                if x && y { both += 1 }
                if x || y { either += 1 }
            }
        }
    }
    return either == 0 ? 1 : Double(both) / Double(either)
}
