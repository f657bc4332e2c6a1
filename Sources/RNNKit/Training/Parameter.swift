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
    private let storage: Storage<S>
    /// A dense clear waits until the gradient is next read: a head that overwrites its whole
    /// ∂W (Dense+FusedLoss.swift) then skips a 12 MB memset per step and the scan proving it +0.
    private(set) var clearPending = false
    /// Set for tables whose gradient is sparse by rows (embeddings).
    let touched: TouchedRows?

    init(_ weight: Weight<S>, rowWidth: Int? = nil) {
        self.weight = weight
        storage = Storage(count: weight.count)
        touched = rowWidth.map { TouchedRows(count: weight.count / max($0, 1), width: $0) }
    }

    var value: UnsafeMutablePointer<S> { weight.value.p }

    /// This replica's gradient; reading it carries out a pending clear. Not thread-safe while a
    /// clear is pending: one thread per replica, or `settle()` first.
    var grad: Storage<S> { settle(); return storage }

    /// Carries out a pending clear.
    func settle() { if clearPending { storage.zero(); clearPending = false } }

    /// The gradient's memory for a caller that writes every element before it reads any: a
    /// pending clear is dropped, not carried out.
    func gradientToOverwrite() -> UnsafeMutablePointer<S> { clearPending = false; return storage.p }

    /// Zeroes the gradient (only the touched rows of a row-sparse table; a dense one lazily).
    func clearGradient() {
        guard let touched else { clearPending = true; return }
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
