/// A batch flowing through the training graph: row-major values in the compute precision S
/// and, for sequences, the step mask `[B, T]` (true = real step), as in `Flow`.
struct Batch<S: TrainScalar> {
    var shape: [Int]
    var data: [S]
    var mask: [Bool]?

    init(shape: [Int], data: [S], mask: [Bool]? = nil) {
        precondition(shape.reduce(1, *) == data.count, "batch data \(data.count) does not fill shape \(shape)")
        self.shape = shape; self.data = data; self.mask = mask
    }

    init(_ t: Tensor, mask: [Bool]? = nil) { self.init(shape: t.shape, data: widened(t.data, as: S.self), mask: mask) }

    var tensor: Tensor { Tensor(shape: shape, data: narrowed(data)) }
    var count: Int { data.count }
}

/// An owned buffer behind a raw pointer, so kernels can hand sub-ranges (a time step, a gate
/// block) to BLAS without nesting `withUnsafe…` closures. Contents start at zero.
final class Storage<S: TrainScalar>: @unchecked Sendable {
    private(set) var p: UnsafeMutablePointer<S>
    private(set) var count: Int
    private var capacity: Int

    init(count: Int) {
        self.count = count
        capacity = max(count, 1)
        p = .allocate(capacity: capacity)
        p.initialize(repeating: 0, count: capacity)
    }

    convenience init(_ values: [S]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { p.update(from: $0.baseAddress!, count: values.count) }
    }

    deinit { p.deallocate() }

    /// Makes room for `n` values (contents undefined unless `zero()` follows).
    func reserve(_ n: Int) {
        if n > capacity {
            p.deallocate()
            capacity = n
            p = .allocate(capacity: n)
            p.initialize(repeating: 0, count: n)
        }
        count = n
    }

    func zero() { p.update(repeating: 0, count: count) }
    var array: [S] { Array(UnsafeBufferPointer(start: p, count: count)) }
}

/// One trainable weight's values, shared by every replica of a graph (replicas read it
/// concurrently; only the optimizer writes it, between steps).
final class Weight<S: TrainScalar>: @unchecked Sendable {
    let layer: String
    let name: String
    let shape: [Int]
    let value: Storage<S>

    init(layer: String, name: String, tensor: Tensor) {
        self.layer = layer; self.name = name; shape = tensor.shape
        value = Storage(widened(tensor.data, as: S.self))
    }

    var count: Int { value.count }
    var tensor: Tensor { Tensor(shape: shape, data: narrowed(value.array)) }
}

/// The rows of a table's gradient that may be nonzero (an embedding touches only the rows of
/// the batch's tokens). Clearing and summing then cost the batch's size, not the table's:
/// for Brown's 56k-word table the dense versions cost more per step than the model itself.
final class TouchedRows: @unchecked Sendable {
    let width: Int
    private(set) var rows: [Int] = []
    private var marked: [Bool]

    init(count: Int, width: Int) { self.width = width; marked = [Bool](repeating: false, count: count) }

    func mark(_ row: Int) { if !marked[row] { marked[row] = true; rows.append(row) } }

    func reset() { for r in rows { marked[r] = false }; rows.removeAll(keepingCapacity: true) }
}

/// A weight as one replica sees it: the shared values and this replica's gradient.
final class Parameter<S: TrainScalar>: @unchecked Sendable {
    let weight: Weight<S>
    let grad: Storage<S>
    /// Set for tables whose gradient is sparse by rows (embeddings).
    let touched: TouchedRows?

    init(_ weight: Weight<S>, rowWidth: Int? = nil) {
        self.weight = weight
        grad = Storage(count: weight.count)
        touched = rowWidth.map { TouchedRows(count: weight.count / max($0, 1), width: $0) }
    }

    var value: UnsafeMutablePointer<S> { weight.value.p }

    /// Zeroes the gradient (only the touched rows of a row-sparse table).
    func clearGradient() {
        guard let touched else { grad.zero(); return }
        for r in touched.rows { (grad.p + r * touched.width).update(repeating: 0, count: touched.width) }
        touched.reset()
    }

    /// Adds another replica's gradient of the same weight into this one.
    func accumulate(_ other: Parameter<S>, in range: Range<Int>? = nil) {
        if let rows = other.touched, let mine = touched {
            let w = rows.width
            for r in rows.rows {
                let (dst, src) = (grad.p + r * w, other.grad.p + r * w)
                for j in 0..<w { dst[j] += src[j] }
                mine.mark(r)
            }
        } else {
            let (dst, src) = (grad.p, other.grad.p)
            for j in range ?? 0..<grad.count { dst[j] += src[j] }
        }
    }
}
