import Corpora
import RNNKit

extension Split {
    /// The split as the trainer takes it, with the zoo architectures' input names:
    /// `input_1`, or `source` and `target` (decoder inputs, teacher forcing) for encoder-decoder.
    public func trainingSet(task: Task) -> TrainingSet {
        func tensor(_ t: Int32Tensor) -> Tensor { Tensor(shape: t.shape, data: t.values.map(Float.init)) }
        var inputs: [String: Tensor] = [:]
        if task == .encoderDecoder, let target = xTarget {
            inputs = ["source": tensor(x), "target": tensor(target)]
        } else {
            inputs = ["input_1": tensor(x)]
        }
        return TrainingSet(inputs: inputs, labels: y.values, labelsPerExample: y.rowLength)
    }
}
