import Foundation
import TestSupport
import Testing
import HDF5Kit
@testable import RNNKit

/// Bad input to the importer and to inference: each gives a typed error naming the problem.
struct KerasImportErrorTests {
    let dir = TestScratch.root.appendingPathComponent("rnnkit-import-\(UUID().uuidString)").path
    init() throws { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }

    /// Writes a tiny LSTM model, then lets `edit` change the config JSON or weights.
    func writeModel(_ name: String, editConfig: (String) -> String = { $0 }, editWeights: ((HDF5Group) throws -> Void)? = nil) throws -> String {
        let path = dir + "/" + name
        let model = try TinyModels.manyToOne(.lstm)
        try HDF5File.writeAtomically(to: path) { f in
            try model.writeKeras(to: f.root)
            try f.root.setAttribute("model_config", string: editConfig(try model.kerasConfigJSON()))
            try editWeights?(try f.root.openGroup("model_weights"))
        }
        return path
    }

    @Test func nonHDF5File() throws {
        let p = dir + "/text.h5"
        try "just text\n".write(toFile: p, atomically: true, encoding: .utf8)
        #expect(throws: HDF5Error.notHDF5(path: p)) { try Model.loadKeras(path: p) }
    }

    @Test func missingFile() throws {
        #expect(throws: HDF5Error.fileNotFound(path: dir + "/absent.h5")) { try Model.loadKeras(path: dir + "/absent.h5") }
    }

    @Test func truncatedFile() throws {
        let full = try writeModel("full.h5")
        let data = try Data(contentsOf: URL(fileURLWithPath: full))
        let cut = dir + "/cut.h5"
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: cut))
        let error = try #require(throws: HDF5Error.self) { try Model.loadKeras(path: cut) }
        guard case let .library(call, _, stack) = error else { Issue.record("unexpected \(error)"); return }
        #expect(call == "H5Fopen")
        #expect(stack.contains("truncated"), "HDF5's own message is carried: \(stack)")
    }

    /// make fuzz (fuzz-keras): a model whose global heap holds a free-space object of size 0
    /// made libhdf5 1.10 loop forever reading model_config; it is refused before libhdf5 opens it.
    @Test func globalHeapThatWouldHangLibhdf5() throws {
        let full = try writeModel("heap.h5")
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: full)))
        func u64(_ i: Int) -> Int { (0..<8).reduce(0) { $0 | Int(bytes[i + $1]) << (8 * $1) } }
        let gcol = Array("GCOL".utf8)
        let heap = try #require(bytes.indices.first { bytes[$0..<min($0 + 4, bytes.count)].elementsEqual(gcol) })
        var q = heap + 16
        while Int(bytes[q]) | Int(bytes[q + 1]) << 8 != 0 { q += 16 + (u64(q + 8) + 7) / 8 * 8 }   // to the free space
        for i in 0..<8 { bytes[q + 8 + i] = 0 }
        let bad = dir + "/heap-zero.h5"
        try Data(bytes).write(to: URL(fileURLWithPath: bad))
        let error = try #require(throws: HDF5Error.self) { try Model.loadKeras(path: bad) }
        guard case let .implausibleSize(path, detail) = error else { Issue.record("unexpected \(error)"); return }
        #expect(path == bad)
        #expect(detail == "has a corrupt global heap collection at byte \(heap): free space of 0 bytes at offset \(q - heap) (less than its own header)")
    }

    @Test func hdf5FileThatIsNotAModel() throws {
        let p = dir + "/data.h5"
        try HDF5File.writeAtomically(to: p) { f in try f.root.createDataset("x", shape: [2], values: [Float(1), 2]) }
        let error = try #require(throws: RNNKitError.self) { try Model.loadKeras(path: p) }
        #expect(error == .notAKerasModel(path: p, reason: "no model_config attribute on the root group"))
    }

    @Test func unknownLayerIsNamed() throws {
        let p = try writeModel("conv.h5", editConfig: { $0.replacingOccurrences(of: "\"class_name\":\"Dense\"", with: "\"class_name\":\"Conv1D\"") })
        #expect(throws: RNNKitError.unsupportedLayer(kind: "Conv1D", name: "dense")) { try Model.loadKeras(path: p) }
    }

    @Test func unknownActivationIsNamed() throws {
        let p = try writeModel("act.h5", editConfig: { $0.replacingOccurrences(of: "\"activation\":\"softmax\"", with: "\"activation\":\"gelu_fast\"") })
        #expect(throws: RNNKitError.unknownActivation(name: "gelu_fast", layer: "dense")) { try Model.loadKeras(path: p) }
    }

    @Test func weightShapeDisagreesWithConfig() throws {
        // The config says 7 units for the LSTM, the stored kernel has 6 units' worth (4·6 columns).
        let p = try writeModel("shape.h5", editConfig: { $0.replacingOccurrences(of: "\"units\":6", with: "\"units\":7") })
        #expect(throws: RNNKitError.weightShapeMismatch(layer: "rnn", weight: "rnn/lstm_cell/kernel:0", expected: [4, 28], found: [4, 24])) {
            try Model.loadKeras(path: p)
        }
    }

    @Test func tokenOutsideEmbeddingRange() throws {
        let m = try TinyModels.manyToOne(.gru(resetAfter: false))
        var x = TinyModels.tokens(batch: 3)
        x.data[7] = 20
        #expect(throws: RNNKitError.tokenOutOfRange(layer: "embedding", value: 20, inputDim: 20)) { try m.predict(["tokens": x]) }
        x.data[7] = -1
        #expect(throws: RNNKitError.tokenOutOfRange(layer: "embedding", value: -1, inputDim: 20)) { try m.predict(["tokens": x]) }
    }

    @Test func missingInputIsNamed() throws {
        let m = try TinyModels.manyToOne(.simple)
        #expect(throws: RNNKitError.missingInput(name: "tokens", source: "the inputs given")) { try m.predict(["other": TinyModels.tokens(batch: 2)]) }
    }

    @Test func wrongSequenceLength() throws {
        let m = try TinyModels.manyToOne(.simple)
        #expect(throws: RNNKitError.inputShapeMismatch(layer: "tokens", expected: "(None, 5)", found: [2, 6])) {
            try m.predict(["tokens": TinyModels.tokens(batch: 2, steps: 6)])
        }
    }
}
