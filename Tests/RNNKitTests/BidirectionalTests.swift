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
        let out = TestScratch.root.appendingPathComponent("bi-\(name)-\(UUID().uuidString).h5").path
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

    /// Keras 3 fixtures (make_bidirectional.py --keras3, keras 3.15.1 on tensorflow-cpu 2.21.0).
    static let keras3Fixtures = [("k3_bi_lstm", ".keras"), ("k3_bi_gru", ".keras"), ("k3_back", ".keras"), ("k3_bi_functional", ".h5")]

    @Test(arguments: keras3Fixtures)
    func matchesKeras3(_ name: String, _ ext: String) throws {
        let (m, _) = try foreignParity(name, ext: ext, batchSize: 4, tag: "bidirectional keras3")
        let bi = m.nodes.compactMap { $0.layer as? Bidirectional }
        #expect(bi.allSatisfy { $0.forwardLayer.name.hasPrefix("forward_") && !$0.innerName.hasPrefix("forward_") }, "\(bi.map(\.innerName))")
        #expect(bi.count == (name == "k3_back" ? 0 : 2))
    }

    /// Keras 3's config of one Bidirectional(GRU(2)) on [B, 5, 3], its backward layer edited by `edit`.
    static func keras3Config(_ edit: (inout [String: Any]) -> Void) throws -> String {
        func gru(_ name: String, back: Bool) -> [String: Any] {
            ["module": "keras.layers", "class_name": "GRU", "registered_name": NSNull(),
             "config": ["name": name, "units": 2, "go_backwards": back, "zero_output_for_mask": false, "reset_after": true] as [String: Any]]
        }
        var back = gru("backward_gru", back: true)
        edit(&back)
        let bi: [String: Any] = ["class_name": "Bidirectional", "config": ["name": "bi", "merge_mode": "concat", "layer": gru("forward_gru", back: false), "backward_layer": back] as [String: Any]]
        let top: [String: Any] = ["class_name": "Sequential", "config": ["name": "s", "layers": [
            ["class_name": "InputLayer", "config": ["batch_shape": [NSNull(), 5, 3], "dtype": "float32", "name": "x"] as [String: Any]], bi]] as [String: Any]]
        return String(decoding: try JSONSerialization.data(withJSONObject: top, options: [.sortedKeys]), as: UTF8.self)
    }

    @Test func keras3MirroredBackwardLayerIsRead() throws {
        // Weights absent: the config passes every check and is refused only for the missing weights.
        let e = try #require(throws: RNNKitError.self) { try Model.fromKerasConfig(json: try Self.keras3Config { _ in }, weights: nil, kerasVersion: "3.15.1") }
        guard case let .missingWeights(layer, _) = e else { Issue.record("\(e)"); return }
        #expect(layer == "bi")
    }

    @Test func keras3CustomBackwardLayerIsRefusedByField() throws {
        let json = try Self.keras3Config { b in
            var c = b["config"] as! [String: Any]; c["units"] = 3; b["config"] = c
        }
        #expect(throws: RNNKitError.unsupportedOption(layer: "bi", option: "backward_layer units (differs from the forward layer's)", value: "3")) {
            try Model.fromKerasConfig(json: json, weights: nil, kerasVersion: "3.15.1")
        }
        let same = try Self.keras3Config { b in
            var c = b["config"] as! [String: Any]; c["go_backwards"] = false; b["config"] = c
        }
        #expect(throws: RNNKitError.unsupportedOption(layer: "bi", option: "backward_layer go_backwards (differs from the forward layer's)", value: "false")) {
            try Model.fromKerasConfig(json: same, weights: nil, kerasVersion: "3.15.1")
        }
    }

    @Test func tfKerasCustomBackwardLayerIsRefusedByName() throws {
        #expect(throws: RNNKitError.unsupportedOption(layer: "bi", option: "backward_layer", value: "a custom backward layer (tf_keras 2)")) {
            try Model.fromKerasConfig(json: try Self.keras3Config { _ in }, weights: nil, kerasVersion: "2.21.0")
        }
    }
}
