/// A dense, row-major float32 tensor. The first axis is the batch wherever a batch exists.
public struct Tensor: Equatable, Sendable {
    public var shape: [Int]
    public var data: [Float]

    public init(shape: [Int], data: [Float]) {
        precondition(shape.reduce(1, *) == data.count, "tensor data \(data.count) does not fill shape \(shape)")
        self.shape = shape
        self.data = data
    }

    public init(zeros shape: [Int]) {
        self.init(shape: shape, data: [Float](repeating: 0, count: shape.reduce(1, *)))
    }

    public var count: Int { data.count }
    public var rank: Int { shape.count }

    /// Rows `range` of the first axis.
    public func slice(batch range: Range<Int>) -> Tensor {
        let row = count / max(shape[0], 1)
        var s = shape; s[0] = range.count
        return Tensor(shape: s, data: Array(data[(range.lowerBound * row)..<(range.upperBound * row)]))
    }

    /// Rows `indices` of the first axis, in that order.
    public func gather(batch indices: [Int]) -> Tensor {
        let row = count / max(shape[0], 1)
        var s = shape; s[0] = indices.count
        var out = [Float](); out.reserveCapacity(indices.count * row)
        for i in indices { out += data[(i * row)..<((i + 1) * row)] }
        return Tensor(shape: s, data: out)
    }

    /// Concatenates along the first axis; all other axes must agree.
    public static func concatenate(batches parts: [Tensor]) -> Tensor {
        guard var shape = parts.first?.shape else { return Tensor(zeros: [0]) }
        shape[0] = parts.reduce(0) { $0 + $1.shape[0] }
        var data: [Float] = []
        data.reserveCapacity(shape.reduce(1, *))
        for p in parts { data += p.data }
        return Tensor(shape: shape, data: data)
    }

    /// Largest absolute element-wise difference from `reference` (shapes must agree,
    /// else +infinity; any NaN gives NaN).
    public func maxAbsDifference(_ reference: Tensor) -> Float {
        worstDifference(reference) { d, _ in d }
    }

    /// The `allclose` criterion as a number: max over elements of |a − b| / (atol + rtol·|b|).
    /// At most 1 means every element is within atol + rtol·|reference| (NumPy's and
    /// TensorFlow's test criterion).
    public func maxToleranceRatio(_ reference: Tensor, atol: Float, rtol: Float) -> Float {
        worstDifference(reference) { d, b in d / (atol + rtol * abs(b)) }
    }

    private func worstDifference(_ reference: Tensor, _ measure: (Float, Float) -> Float) -> Float {
        guard shape == reference.shape else { return .infinity }
        var worst: Float = 0
        for i in 0..<count {
            let d = measure(abs(data[i] - reference.data[i]), reference.data[i])
            if d.isNaN { return .nan }
            worst = max(worst, d)
        }
        return worst
    }
}

/// A per-sample, per-step boolean mask `[B, T]` (true = the step is real, not padding).
public struct Mask: Equatable, Sendable {
    public var batch: Int
    public var steps: Int
    public var values: [Bool]

    public func slice(batch range: Range<Int>) -> Mask {
        Mask(batch: range.count, steps: steps, values: Array(values[(range.lowerBound * steps)..<(range.upperBound * steps)]))
    }

    /// Rows `indices`, in that order.
    public func gather(batch indices: [Int]) -> Mask {
        Mask(batch: indices.count, steps: steps, values: indices.flatMap { values[($0 * steps)..<(($0 + 1) * steps)] })
    }
}

/// Shapes as Keras prints them: `nil` for a dimension unknown until run time (the batch).
public typealias Shape = [Int?]

public func describe(_ shape: Shape) -> String {
    "(" + shape.map { $0.map(String.init) ?? "None" }.joined(separator: ", ") + (shape.count == 1 ? ",)" : ")")
}

extension Tensor {
    /// Index of the largest value along the last axis, per row (the first one on ties, as
    /// NumPy's argmax): a `[N, K]` prediction gives N labels, `[N, T, K]` gives N·T.
    public func argmaxLastAxis() -> [Int] {
        let k = shape.last ?? 1
        guard k > 0 else { return [] }
        return data.withUnsafeBufferPointer { p in
            (0..<(count / k)).map { r in
                var best = 0
                for j in 1..<k where p[r * k + j] > p[r * k + best] { best = j }
                return best
            }
        }
    }
}
