import TestSupport
import Testing
import HDF5Kit
import RNNKit

/// Parity with tf.keras: every layer's output and the prediction.
@Suite("Keras parity", .requiresShared(Shared.kerasFixtures, Shared.authorsModels))
struct KerasParityTests {
    func check(_ label: String, model: String, reference: String) throws {
        let m = try Model.loadKeras(path: model)
        let r = try m.parity(with: try KerasReference(path: reference), batchSize: 7)  // several chunks on purpose
        print("parity \(label): worst |Δ| \(r.worstAbsolute) (\(r.worstLayer)), worst |Δ|/(atol+rtol·|ref|) \(r.worstRatio)")
        #expect(r.passes, "\(label): \(r.ratio.filter { $0.value > 1 })")
        #expect(r.absolute["(prediction)"]! <= ParityReport.atol, "\(label) prediction")
        #expect(r.absolute.count >= m.nodes.count, "every layer compared")
    }

    @Test("fixture matches tf.keras", arguments: KerasFixtures.names)
    func fixture(_ name: String) throws {
        try check(name, model: KerasFixtures.model(name), reference: KerasFixtures.reference(name))
    }

    @Test("authors' model matches tf.keras", arguments: AuthorModels.referenced)
    func authorsModel(_ id: String) throws {
        try check(id, model: AuthorModels.model(id), reference: AuthorModels.reference(id))
    }

    @Test("every authors' model loads and predicts")
    func allAuthorsModels() throws {
        let paths = try AuthorModels.allPaths()
        #expect(paths.count == 24)
        for p in paths {
            let m = try Model.loadKeras(path: p)
            let t = m.inputs[0].shape[1]!
            let x = Tensor(shape: [3, t], data: (0..<(3 * t)).map { Float($0 % 7 + 1) })
            let y = try m.predict([m.inputs[0].name: x]).prediction
            #expect(y.shape[0] == 3 && y.data.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 }, "\(p)")
        }
    }
}

/// The report's summary values, independent of the reference files.
struct ParityReportSummaryTests {
    @Test("worst layer: the largest |Δ|, ties broken by name (a Dropout repeats its input's Δ)")
    func worstLayerIsDeterministic() {
        let abs: [String: Float] = ["dense_5": 2.4e-7, "dropout": 2.4e-7, "lstm": 1e-7, "(prediction)": 5e-8]
        for _ in 0..<20 {
            // A fresh dictionary each time: its iteration order varies from instance to instance.
            let r = ParityReport(absolute: Dictionary(uniqueKeysWithValues: abs.shuffled().map { ($0.key, $0.value) }), ratio: ["dense_5": 0.4, "x": 0.9])
            #expect(r.worstLayer == "dense_5")
            #expect(r.worstAbsolute == 2.4e-7 && r.worstRatio == 0.9 && r.passes)
        }
        #expect(ParityReport(absolute: [:], ratio: [:]).worstLayer == "-")
    }
}
