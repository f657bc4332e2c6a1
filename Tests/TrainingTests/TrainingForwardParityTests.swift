import Foundation
import TestSupport
import Testing
@testable import RNNKit

/// The training graph's forward pass computes what tf.keras computes: every Keras fixture's
/// prediction (../shared/fixtures/keras, written by tf.keras with its generator script) is
/// reproduced in float32 and float64, Dropout off.
struct TrainingForwardParityTests {
    func worst<S: TrainScalar>(_ name: String, _: S.Type) throws -> Double {
        let model = try Model.loadKeras(path: KerasFixtures.model(name))
        let ref = try KerasReference(path: KerasFixtures.reference(name))
        var feeds: [String: Batch<S>] = [:]
        for i in model.inputs { feeds[i.name] = Batch(ref.inputs[i.name] ?? ref.inputs.values.first!) }
        let out = try TrainingGraph<S>(model: model).forward(feeds, context: ForwardContext(training: false, seed: 0))
        return Double(out[0].tensor.maxAbsDifference(ref.prediction))
    }

    @Test("training forward = tf.keras prediction", .requiresShared(Shared.kerasFixtures), arguments: KerasFixtures.names)
    func parity(_ name: String) throws {
        let (f, d) = (try worst(name, Float.self), try worst(name, Double.self))
        #expect(f < Tolerance.kerasPrediction && d < Tolerance.kerasPrediction, "max |Δ| float32 \(f), float64 \(d)")
    }
}
