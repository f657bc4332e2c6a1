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
