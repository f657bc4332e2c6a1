import Corpora
import Decomposition
import RNNKit

extension Tensor {
    /// Token ids of a dataset split as the float32 tensor models read.
    public init(_ t: Int32Tensor) { self.init(shape: t.shape, data: t.values.map(Float.init)) }
}

extension Dataset {
    /// The split named `train`, `test` or `val`.
    public func split(named name: String) throws -> Split {
        switch name {
        case "train": return train
        case "test": return test
        case "val", "validation":
            guard let v = validation else { throw DecompositionError.dataMismatch("\(self.name) has no validation split") }
            return v
        default: throw DecompositionError.dataMismatch("unknown split '\(name)' (train, test, val)")
        }
    }
}

extension LabeledData {
    /// A classification data set's split (train, test or val) as decomposition sees it.
    public init(_ d: Dataset, split: String) throws {
        let s = try d.split(named: split)
        guard d.task != .encoderDecoder else { throw DecompositionError.dataMismatch("\(d.name) is a translation data set") }
        guard !d.multiLabel else { throw DecompositionError.dataMismatch("\(d.name) is multi-label (y is [N, labels] of 0/1): decomposed per label, with a sigmoid head") }
        let steps = s.y.shape.count > 1 ? s.y.shape[1] : 1
        try self.init(x: Tensor(s.x), labels: s.y.values.map(Int.init), outputSteps: steps, numClasses: d.numClasses,
                      paddingLabel: steps > 1 && d.paddingLabel >= 0 ? d.paddingLabel : nil)
    }
}

extension MultiLabelData {
    /// A multi-label data set's split (`y` `[N, K]` of 0/1).
    public init(_ d: Dataset, split: String) throws {
        let s = try d.split(named: split)
        guard d.multiLabel else { throw DecompositionError.dataMismatch("\(d.name) is not multi-label (no multi_label attribute), but the model's head is sigmoid") }
        try self.init(x: Tensor(s.x), labels: s.y.values.map(Int.init), numLabels: d.numClasses)
    }
}
