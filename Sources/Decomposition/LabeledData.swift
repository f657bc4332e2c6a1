import RNNKit

/// Inputs with their labels, as decomposition and evaluation see them: token ids `[N, T]`
/// and one label per sample (one-output) or one per output step (many-output, `[N, S]`).
/// Library-neutral: the CLI and chapters build it from a dataset file.
public struct LabeledData: Sendable {
    public var x: Tensor
    /// Row-major `[N]` or `[N, outputSteps]`.
    public var labels: [Int]
    public var outputSteps: Int
    public var numClasses: Int
    /// The label of padded output positions (many-output), never a concern, skipped in accuracy.
    public var paddingLabel: Int?

    public init(x: Tensor, labels: [Int], outputSteps: Int = 1, numClasses: Int, paddingLabel: Int? = nil) throws {
        guard x.rank >= 2 else {
            throw DecompositionError.dataMismatch("inputs have shape \(x.shape), expected [samples, steps]")
        }
        guard outputSteps >= 1 else { throw DecompositionError.dataMismatch("labels have \(outputSteps) output steps per sample") }
        guard numClasses >= 1 else { throw DecompositionError.dataMismatch("\(numClasses) classes") }
        guard labels.count == x.shape[0] * outputSteps else {
            throw DecompositionError.dataMismatch("\(x.shape[0]) inputs but \(labels.count) labels for \(outputSteps) output step(s)")
        }
        if let bad = labels.first(where: { $0 < 0 || $0 >= numClasses }) {
            throw DecompositionError.dataMismatch("label \(bad) outside 0..<\(numClasses)")
        }
        self.x = x; self.labels = labels; self.outputSteps = outputSteps; self.numClasses = numClasses; self.paddingLabel = paddingLabel
    }

    public var count: Int { x.shape[0] }
    public var isManyOutput: Bool { outputSteps > 1 }
    public func label(_ i: Int, step t: Int = 0) -> Int { labels[i * outputSteps + t] }

    /// The classes that get a module: every class but the padding label.
    public var concerns: [Int] { (0..<numClasses).filter { $0 != paddingLabel } }

    /// Rows `indices` of the inputs.
    public func inputs(_ indices: [Int]) -> Tensor {
        let row = x.count / max(count, 1)
        var data = [Float](); data.reserveCapacity(indices.count * row)
        for i in indices { data += x.data[(i * row)..<((i + 1) * row)] }
        var shape = x.shape; shape[0] = indices.count
        return Tensor(shape: shape, data: data)
    }
}
