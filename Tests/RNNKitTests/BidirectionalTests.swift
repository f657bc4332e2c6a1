// Fixtures: Tests/RNNKitTests/Foreign/tk_back_* and tk_bi_*, written by make_bidirectional.py
// there with tf_keras 2.21.0 and tensorflow-cpu 2.21.0 (h5py 3.14.0); each reference file names
// its producer. Inputs end in 0–2 padding steps, masked where the Embedding has mask_zero.
import Foundation
import Testing
import HDF5Kit
import TestSupport
@testable import RNNKit

/// go_backwards and Bidirectional (issue 12 item 3): every layer and the prediction as tf_keras
/// computed them, within 1e-5 + 1e-5·|ref|; the kit's export loads back to the same numbers.
struct BidirectionalTests {
    static let dir = ForeignFormatTests.dir
    static func path(_ name: String) -> String { dir + "/" + name }

    static let fixtures = ["tk_back_simple", "tk_back_lstm", "tk_back_gru", "tk_bi_concat", "tk_bi_sum", "tk_bi_ave",
                           "tk_bi_mul", "tk_bi_inner_back", "tk_bi_none"]

    @Test(arguments: fixtures)
    func matchesTFKeras(_ name: String) throws {
        _ = try foreignParity(name, batchSize: 4, tag: "bidirectional")
    }

    @Test(arguments: fixtures)
    func exportRoundTrips(_ name: String) throws {
        let m = try Model.loadKeras(path: Self.path(name + ".h5"))
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("bi-\(name)-\(UUID().uuidString).h5").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        try m.saveKeras(path: out)
        // For checking the export with tf_keras itself (make_bidirectional.py --check DIR).
        if let keep = ProcessInfo.processInfo.environment["KIT_EXPORT_DIR"] { try? FileManager.default.copyItem(atPath: out, toPath: "\(keep)/\(name).h5") }
        let back = try Model.loadKeras(path: out)
        let r = try back.parity(with: try KerasReference(path: Self.path(name + ".reference.h5")), batchSize: 4)
        #expect(r.passes)
    }

    @Test func bidirectionalTapsCoverBothDirections() throws {
        let m = try Model.loadKeras(path: Self.path("tk_bi_concat.h5"))
        let ref = try KerasReference(path: Self.path("tk_bi_concat.reference.h5"))
        let r = try m.predict([m.inputs[0].name: ref.inputs.first!.value], taps: true)
        let h = try #require(r.hidden["bidirectional"])
        #expect(h.shape == [6, 5, 10], "forward | backward hidden states per input step")
        let g = try #require(r.gates["bidirectional"])
        #expect(g.shape == [6, 5, 40])
    }

    @Test func keras3BidirectionalIsRefusedByName() throws {
        let json = """
        {"class_name": "Sequential", "config": {"name": "s", "layers": [
          {"class_name": "InputLayer", "config": {"batch_shape": [null, 5, 3], "dtype": "float32", "name": "x"}},
          {"class_name": "Bidirectional", "config": {"name": "bi", "merge_mode": "concat",
            "layer": {"class_name": "GRU", "config": {"name": "gru", "units": 2}}}}]}}
        """
        #expect(throws: RNNKitError.unsupportedLayer(kind: "Bidirectional (Keras 3; checked against tf_keras 2 only)", name: "bi")) {
            try Model.fromKerasConfig(json: json, weights: nil, kerasVersion: "3.15.1")
        }
    }
}
