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
/// lists does not matter. Runs in O(|A| + |B|): the bit patterns (−0 normalised to +0) are
/// radix-sorted and merged.
///
/// - Throws: `MetricsError.empty` when both lists are empty (Python: ZeroDivisionError).
public func authorsJaccard(model: [Float], module: [Float]) throws -> Double {
    try WeightValueSet(model).authorsJaccard(with: WeightValueSet(module))
}

/// `authorsJaccard` for Double weights (the same value semantics).
/// - Throws: `MetricsError.empty` when both lists are empty.
public func authorsJaccard(model: [Double], module: [Double]) throws -> Double {
    let a = distinctSortedKeys(model) { $0 == 0 ? 0 : $0.bitPattern }
    let b = distinctSortedKeys(module) { $0 == 0 ? 0 : $0.bitPattern }
    return try jaccard(intersection: sortedIntersectionCount(a, b), model.count, module.count)
}

/// One flat Float weight list prepared for the authors' Jaccard index: its length and its
/// set of values. Build the model's once and compare it with every module's
/// (ALGORITHMS.md §2b item 8 averages the index over the modules).
public struct WeightValueSet: Sendable, Equatable {
    /// |A|, the length of the list (duplicates and NaNs included).
    public let count: Int
    /// Bit patterns of the distinct non-NaN values, −0 normalised to +0, sorted.
    private let keys: [UInt32]

    public init(_ weights: [Float]) {
        count = weights.count
        keys = distinctSortedKeys(weights) { $0 == 0 ? 0 : $0.bitPattern }
    }

    /// |set(A)|: the number of distinct values (−0 and +0 are one value; NaNs not counted).
    public var distinctCount: Int { keys.count }

    /// `authorsJaccard(model: self, module: other)`.
    /// - Throws: `MetricsError.empty` when both lists are empty.
    public func authorsJaccard(with other: WeightValueSet) throws -> Double {
        try jaccard(intersection: sortedIntersectionCount(keys, other.keys), count, other.count)
    }
}

private func jaccard(intersection: Int, _ countA: Int, _ countB: Int) throws -> Double {
    guard countA + countB > 0 else {
        throw MetricsError.empty(metric: "Jaccard index", detail: "both weight lists are empty")
    }
    return Double(intersection) / Double(countA + countB - intersection)
}

/// Size of the intersection of two sorted, duplicate-free arrays (a merge).
private func sortedIntersectionCount<Key: Comparable>(_ a: [Key], _ b: [Key]) -> Int {
    var intersection = 0
    a.withUnsafeBufferPointer { x in
        b.withUnsafeBufferPointer { y in
            var i = 0, j = 0
            while i < x.count && j < y.count {
                if x[i] < y[j] { i += 1 }
                else if y[j] < x[i] { j += 1 }
                else { intersection += 1; i += 1; j += 1 }
            }
        }
    }
    return intersection
}

/// The set of `key(v)` over the non-NaN values, as a sorted array without duplicates.
/// LSD radix sort, 11 bits per pass (a pass whose digit is the same for every key is skipped):
/// linear time and mostly sequential memory access; about twice as fast as an open-addressing
/// hash set of the bit patterns on a million keys.
private func distinctSortedKeys<F: BinaryFloatingPoint, Key: FixedWidthInteger & UnsignedInteger>(
    _ values: [F], key: (F) -> Key
) -> [Key] {
    var keys = [Key]()
    keys.reserveCapacity(values.count)
    for v in values where !v.isNaN { keys.append(key(v)) }
    let n = keys.count
    guard n > 1 else { return keys }

    let digitBits = 11, buckets = 1 << 11
    let passes = (Key.bitWidth + digitBits - 1) / digitBits
    var scratch = [Key](repeating: 0, count: n)
    var counts = [Int](repeating: 0, count: buckets * passes)
    keys.withUnsafeMutableBufferPointer { source in
        scratch.withUnsafeMutableBufferPointer { target in
            counts.withUnsafeMutableBufferPointer { c in
                let mask = Key(buckets - 1)
                for k in source {
                    var k = k
                    for p in 0..<passes {
                        c[p * buckets + Int(truncatingIfNeeded: k & mask)] += 1
                        k >>= digitBits
                    }
                }
                var from = source, to = target
                var inSource = true
                for p in 0..<passes {
                    let h = UnsafeMutableBufferPointer(rebasing: c[(p * buckets)..<((p + 1) * buckets)])
                    if h.contains(n) { continue }          // every key has the same digit here
                    var offset = 0
                    for d in 0..<buckets {
                        let count = h[d]
                        h[d] = offset
                        offset += count
                    }
                    let shift = p * digitBits
                    for k in from {
                        let d = Int(truncatingIfNeeded: (k >> shift) & mask)
                        to[h[d]] = k
                        h[d] += 1
                    }
                    swap(&from, &to)
                    inSource.toggle()
                }
                if !inSource { _ = source.update(fromContentsOf: target) }
            }
        }
    }
    // Drop duplicates in place.
    var unique = 1
    keys.withUnsafeMutableBufferPointer { k in
        for i in 1..<n where k[i] != k[unique - 1] {
            k[unique] = k[i]
            unique += 1
        }
    }
    keys.removeLast(n - unique)
    return keys
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
