import Foundation
import TestSupport
import Testing
import HDF5Kit
@testable import RNNKit

/// Export to Keras legacy HDF5 and re-import: bit-exact weights and predictions.
struct KerasExportTests {
    let dir = TestScratch.root.appendingPathComponent("rnnkit-export-\(UUID().uuidString)").path
    init() throws { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }

    func roundTrip(_ m: Model) throws -> Model {
        let p = dir + "/\(m.name)-\(UUID().uuidString).h5"
        try m.saveKeras(path: p)
        return try Model.loadKeras(path: p)
    }

    /// Same layers (matched by name: a Functional model comes back in tf.keras's layer order),
    /// kinds, inputs and bit-identical weights.
    static func assertSameWeights(_ a: Model, _ b: Model) {
        #expect(a.nodes.map(\.layer.name).sorted() == b.nodes.map(\.layer.name).sorted())
        for x in a.nodes {
            guard let y = b.node(named: x.layer.name) else { continue }
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
          .requiresShared(Shared.kerasFixtures), arguments: KerasFixtures.names)
    func fixtureRoundTrip(_ name: String) throws {
        let path = KerasFixtures.model(name)
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
        let ref = try KerasReference(path: KerasFixtures.reference(name))
        #expect(try back.parity(with: ref).passes)
    }

    /// Embedding(mask_zero) encoder LSTM → state → decoder LSTM → Dense softmax, its nodes
    /// deliberately listed encoder-first (tf.keras orders layers by graph depth instead).
    static func encoderDecoder() throws -> Model {
        let src = ModelInput(name: "source", shape: [nil, 5], dtype: "int32"), tgt = ModelInput(name: "target", shape: [nil, 4], dtype: "int32")
        let nodes = [
            Node(layer: TinyModels.randomize(Embedding(name: "encoder_embedding", inputDim: 20, outputDim: 4, maskZero: true), seed: 1), inputs: [TensorRef(layer: "source")]),
            Node(layer: TinyModels.randomize(Recurrent(name: "encoder_lstm", cell: .lstm, inputDim: 4, units: 6, returnState: true), seed: 2), inputs: [TensorRef(layer: "encoder_embedding")]),
            Node(layer: TinyModels.randomize(Embedding(name: "decoder_embedding", inputDim: 20, outputDim: 4, maskZero: true), seed: 3), inputs: [TensorRef(layer: "target")]),
            Node(layer: TinyModels.randomize(Recurrent(name: "decoder_lstm", cell: .lstm, inputDim: 4, units: 6, returnSequences: true), seed: 4),
                 inputs: [TensorRef(layer: "decoder_embedding"), TensorRef(layer: "encoder_lstm", index: 1), TensorRef(layer: "encoder_lstm", index: 2)]),
            Node(layer: TinyModels.randomize(Dense(name: "decoder_output", inputDim: 6, units: 20, activation: .softmax), seed: 5), inputs: [TensorRef(layer: "decoder_lstm")]),
        ]
        return try Model(name: "encdec", isSequential: false, inputs: [src, tgt], nodes: nodes, outputs: [TensorRef(layer: "decoder_output")])
    }

    @Test("Functional export lists layers in tf.keras's depth order (what load_model matches weights by)")
    func functionalLayerOrder() throws {
        let m = try Self.encoderDecoder()
        let p = dir + "/order.h5"
        try m.saveKeras(path: p)
        // The order tf.keras itself wrote for the same graph (fixture encdec_lstm, minus its Dropout).
        #expect(try HDF5File(path: p).root.openGroup("model_weights").stringArrayAttribute("layer_names")
                == ["source", "target", "encoder_embedding", "decoder_embedding", "encoder_lstm", "decoder_lstm", "decoder_output"])
    }

    @Test("trained models round-trip bit-exactly: Sequential and encoder-decoder Functional", arguments: [false, true])
    func trainedRoundTrip(functional: Bool) throws {
        let start = functional ? try Self.encoderDecoder() : try TinyModels.manyToOne(.gru(resetAfter: false), maskZero: true)
        let n = 40
        var inputs: [String: Tensor] = [:]
        for i in start.inputs { inputs[i.name] = TinyModels.tokens(batch: n, steps: i.shape[1]!) }
        let steps = functional ? 4 : 1
        let data = TrainingSet(inputs: inputs, labels: (0..<(n * steps)).map { Int32($0 % 3) }, labelsPerExample: steps)
        let trained = try Trainer.train(start.kerasInitialized(seed: 3), on: data, configuration: TrainingConfiguration(epochs: 2, batchSize: 8)).model
        let back = try roundTrip(trained)
        Self.assertSameWeights(trained, back)
        #expect(try back.predict(inputs).prediction == trained.predict(inputs).prediction)
        #expect(trained.layers.last!.weights[0].tensor != start.kerasInitialized(seed: 3).layers.last!.weights[0].tensor, "training moved the weights")
    }
}
