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

/// A weight as one replica sees it: the shared values and this replica's gradient.
final class Parameter<S: TrainScalar>: @unchecked Sendable {
    let weight: Weight<S>
    let grad: Storage<S>

    init(_ weight: Weight<S>) {
        self.weight = weight
        grad = Storage(count: weight.count)
    }

    var value: UnsafeMutablePointer<S> { weight.value.p }
}
