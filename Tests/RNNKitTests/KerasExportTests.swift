import Foundation
import Testing
import HDF5Kit
@testable import RNNKit

/// Export to Keras legacy HDF5 and re-import: bit-exact weights and predictions.
struct KerasExportTests {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rnnkit-export-\(UUID().uuidString)").path
    init() throws { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }

    func roundTrip(_ m: Model) throws -> Model {
        let p = dir + "/\(m.name)-\(UUID().uuidString).h5"
        try m.saveKeras(path: p)
        return try Model.loadKeras(path: p)
    }

    static func assertSameWeights(_ a: Model, _ b: Model) {
        #expect(a.nodes.map(\.layer.name) == b.nodes.map(\.layer.name))
        for (x, y) in zip(a.nodes, b.nodes) {
            #expect(x.layer.kerasClassName == y.layer.kerasClassName)
            #expect(x.layer.weights.map(\.tensor) == y.layer.weights.map(\.tensor), "\(x.layer.name) weights bit-exact")
            #expect(x.inputs == y.inputs)
        }
    }

    @Test("kit model round-trips bit-exactly", arguments: RecurrentSemanticsTests.cells)
    func kitRoundTrip(cell: Recurrent.Cell) throws {
        let m = try TinyModels.manyToOne(cell, maskZero: true)
        let back = try roundTrip(m)
        Self.assertSameWeights(m, back)
        let x = TinyModels.tokens(batch: 9)
        #expect(try back.predict(["tokens": x]).prediction == m.predict(["tokens": x]).prediction)
    }

    @Test("written layout matches tf.keras's: groups, attributes, weight names")
    func layout() throws {
        let m = try TinyModels.manyToOne(.lstm)
        let p = dir + "/layout.h5"
        try m.saveKeras(path: p)
        let f = try HDF5File(path: p)
        #expect(try f.root.attributeNames() == ["backend", "keras_version", "model_config"])
        let mw = try f.root.openGroup("model_weights")
        #expect(try mw.stringArrayAttribute("layer_names") == ["embedding", "rnn", "dense"])
        #expect(try mw.openGroup("rnn").stringArrayAttribute("weight_names") == ["rnn/lstm_cell/kernel:0", "rnn/lstm_cell/recurrent_kernel:0", "rnn/lstm_cell/bias:0"])
        #expect(try mw.openDataset("rnn/rnn/lstm_cell/recurrent_kernel:0").shape() == [6, 24])
        #expect(try mw.openGroup("top_level_model_weights").stringArrayAttribute("weight_names") == [])
    }

    @Test("every fixture re-exports to the same file structure and weights",
          .enabled(if: SharedData.available, SharedData.missingReason), arguments: SharedData.fixtures)
    func fixtureRoundTrip(_ name: String) throws {
        let path = SharedData.path("fixtures/keras/\(name).h5")
        let m = try Model.loadKeras(path: path)
        let back = try roundTrip(m)
        Self.assertSameWeights(m, back)
        // Same groups and weight names as tf.keras wrote.
        let original = try HDF5File(path: path).root.openGroup("model_weights")
        let p = dir + "/\(name)-layout.h5"
        try m.saveKeras(path: p)
        let ours = try HDF5File(path: p).root.openGroup("model_weights")
        #expect(try ours.childNames() == original.childNames())
        #expect(try ours.stringArrayAttribute("layer_names") == original.stringArrayAttribute("layer_names"))
        for g in try original.childNames() {
            #expect(try ours.openGroup(g).stringArrayAttribute("weight_names") == original.openGroup(g).stringArrayAttribute("weight_names"), "\(name)/\(g)")
        }
        let ref = try KerasReference(path: SharedData.path("fixtures/keras/\(name).reference.h5"))
        #expect(try back.parity(with: ref).passes)
    }
}
