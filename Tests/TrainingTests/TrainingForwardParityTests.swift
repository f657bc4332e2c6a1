import Foundation
import Testing
@testable import RNNKit

/// The training graph's forward pass computes what tf.keras computes: every Keras fixture's
/// prediction (../shared/fixtures/keras, written by tf.keras with its generator script) is
/// reproduced in float32 and float64, Dropout off.
struct TrainingForwardParityTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/fixtures/keras")
    static var available: Bool { FileManager.default.fileExists(atPath: fixtures.path) }
    static let names = [
        "m2o_simplernn_tanh", "m2o_simplernn_relu_stacked", "m2o_lstm_stacked", "m2o_gru_classic",
        "m2o_gru_reset_after", "m2o_lstm_dense_head", "o2o_lstm", "o2m_gru_stacked", "o2m_simplernn_mixed",
        "m2m_lstm_masked", "m2m_gru_dense3d", "m2m_simplernn_relu", "encdec_gru", "encdec_lstm", "encdec_simplernn",
    ]

    /// tf.keras's own float32 error on these bounded outputs is a few 1e-7; 1e-5 is the kit's parity bound.
    static let bound = 1e-5

    func worst<S: TrainScalar>(_ name: String, _: S.Type) throws -> Double {
        let model = try Model.loadKeras(path: Self.fixtures.appendingPathComponent(name + ".h5").path)
        let ref = try KerasReference(path: Self.fixtures.appendingPathComponent(name + ".reference.h5").path)
        var feeds: [String: Batch<S>] = [:]
        for i in model.inputs { feeds[i.name] = Batch(ref.inputs[i.name] ?? ref.inputs.values.first!) }
        let out = try TrainingGraph<S>(model: model).forward(feeds, context: ForwardContext(training: false, seed: 0))
        return Double(out[0].tensor.maxAbsDifference(ref.prediction))
    }

    @Test("training forward = tf.keras prediction", .enabled(if: available, "../shared/fixtures/keras not found next to the package"),
          arguments: names)
    func parity(_ name: String) throws {
        let (f, d) = (try worst(name, Float.self), try worst(name, Double.self))
        #expect(f < Self.bound && d < Self.bound, "max |Δ| float32 \(f), float64 \(d)")
    }
}
