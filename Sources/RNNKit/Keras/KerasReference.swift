import HDF5Kit

/// A `*.reference.h5` written by tf.keras (see ../shared/fixtures/keras/make_keras_fixtures.py):
/// `/inputs/<model input>`, `/outputs/<layer>` (each layer's first output) and `/prediction`.
public struct KerasReference: Sendable {
    public var inputs: [String: Tensor]
    public var outputs: [String: Tensor]
    public var prediction: Tensor

    public init(path: String) throws {
        let f = try HDF5File(path: path)
        let ig = try f.root.openGroup("inputs"), og = try f.root.openGroup("outputs")
        inputs = try Dictionary(uniqueKeysWithValues: ig.childNames().map { ($0, try readTensor(ig, $0)) })
        outputs = try Dictionary(uniqueKeysWithValues: og.childNames().map { ($0, try readTensor(og, $0)) })
        prediction = try readTensor(f.root, "prediction")
    }
}

/// Any numeric dataset as a float32 tensor (token ids arrive as int32/int64).
public func readTensor(_ group: HDF5Group, _ name: String) throws -> Tensor {
    let d = try group.openDataset(name)
    let shape = try d.shape()
    if case .float(32) = try d.elementType() { return Tensor(shape: shape, data: try d.read(Float.self)) }
    return Tensor(shape: shape, data: try d.read(Double.self).map(Float.init))
}

/// How closely the kit reproduces a Keras reference, per layer and for the prediction.
public struct ParityReport: Sendable {
    /// The bound: |Δ| ≤ 1e-5 + 1e-5·|reference| per element. Absolute 1e-5 for values up
    /// to 1 (every prediction, every tanh/sigmoid layer); relative for large activations,
    /// because float32 cannot resolve 1e-5 on the authors' ReLU activations (up to 231,
    /// where its spacing is 1.5e-5; a float64 computation differs from tf.keras by 3.8e-5).
    public static let atol: Float = 1e-5, rtol: Float = 1e-5

    /// Largest |Δ| per layer, and the largest |Δ| / (atol + rtol·|reference|) (≤ 1 passes);
    /// the key "(prediction)" holds the model's prediction.
    public var absolute: [String: Float]
    public var ratio: [String: Float]
    public init(absolute: [String: Float], ratio: [String: Float]) { self.absolute = absolute; self.ratio = ratio }
    public var worstAbsolute: Float { absolute.values.max() ?? .infinity }
    public var worstRatio: Float { ratio.values.max() ?? .infinity }
    public var passes: Bool { worstRatio <= 1 }
    /// The layer with the largest absolute difference; on a tie (a Dropout passes its input's
    /// difference on) the first by name, so reports do not depend on dictionary order.
    public var worstLayer: String {
        absolute.sorted { $0.key < $1.key }.max { $0.value < $1.value }?.key ?? "-"
    }
}

extension Model {
    /// Runs the model on the reference's inputs (a single-input model also accepts the only
    /// input under another name) with taps, and compares every recorded layer output.
    public func parity(with reference: KerasReference, batchSize: Int = 256) throws -> ParityReport {
        var feeds = reference.inputs
        if inputs.count == 1, feeds[inputs[0].name] == nil, feeds.count == 1 { feeds = [inputs[0].name: feeds.first!.value] }
        let r = try predict(feeds, batchSize: batchSize, taps: true)
        var report = ParityReport(absolute: [:], ratio: [:])
        func record(_ name: String, _ got: Tensor?, _ want: Tensor) {
            report.absolute[name] = got.map { $0.maxAbsDifference(want) } ?? .infinity
            report.ratio[name] = got.map { $0.maxToleranceRatio(want, atol: ParityReport.atol, rtol: ParityReport.rtol) } ?? .infinity
        }
        for (name, want) in reference.outputs { record(name, r.layerOutputs[name], want) }
        record("(prediction)", r.prediction, reference.prediction)
        return report
    }
}
