// Fixtures: Tests/RNNKitTests/Foreign/pt_*.h5, written by make_pytorch.py there through
// tools/pytorch/export_state_dict.py; references from a NumPy float64 implementation of
// PyTorch's documented equations (torch itself could not be installed at generation time).
import Foundation
import Testing
import HDF5Kit
import TestSupport
@testable import RNNKit

/// PyTorch state dicts (issue 12 item 7): converted into Keras layers, every layer and the
/// prediction within 1e-5 + 1e-5·|ref| of PyTorch's equations; malformed records refused by name.
struct PyTorchImportTests {
    static func path(_ name: String) -> String { ForeignFormatTests.path(name) }

    func parity(_ name: String) throws -> (Model, ParityReport) {
        let (m, r) = try foreignParity(name, batchSize: 3, tag: "pytorch")
        #expect((r.absolute["(prediction)"] ?? 1) <= 1e-5)
        return (m, r)
    }

    @Test("a 2-layer PyTorch LSTM (Embedding → LSTM×2 → Linear + softmax): gate order i, f, g, o and b_ih + b_hh")
    func lstm() throws {
        let (m, _) = try parity("pt_lstm")
        #expect(m.layers.map(\.name) == ["emb", "rnn_l0", "rnn_l1", "fc"])
        #expect((m.layers[1] as! Recurrent).returnSequences && !(m.layers[2] as! Recurrent).returnSequences)
    }

    @Test("a PyTorch GRU per step with a logits Linear: reset_after with (r, z, n) → (z, r, h~) and both biases")
    func gru() throws {
        let (m, _) = try parity("pt_gru")
        let gru = try #require(m.layers[1] as? Recurrent)
        #expect(gru.cell == .gru(resetAfter: true) && gru.bias.shape == [2, 18])
        #expect((m.layers[2] as! Dense).activation == .linear)
    }

    @Test("a ReLU torch.nn.RNN on float features with a sigmoid Linear")
    func reluRNN() throws {
        let (m, _) = try parity("pt_rnn")
        #expect((m.layers[0] as! Recurrent).activation == .relu && m.inputs[0].shape == [nil, 6, 3])
    }

    @Test("the GRU read with PyTorch's gate order taken as Keras's would be wrong (the fixture tells them apart)")
    func gruOrderMatters() throws {
        let m = try Model.loadKeras(path: Self.path("pt_gru.h5"))
        let ref = try KerasReference(path: Self.path("pt_gru.reference.h5"))
        var wrong = m
        var g = wrong.nodes[1].layer as! Recurrent
        let H = g.units
        let swap = { (t: Tensor) -> Tensor in   // columns z ↔ r
            var o = t
            let w = t.shape.last!
            for r in 0..<(t.count / w) { for j in 0..<H { o.data[r * w + j] = t.data[r * w + H + j]; o.data[r * w + H + j] = t.data[r * w + j] } }
            return o
        }
        g.setWeights([swap(g.kernel), swap(g.recurrentKernel), swap(g.bias)])
        wrong.nodes[1].layer = g
        #expect(try wrong.parity(with: ref).worstAbsolute > 1e-2)
    }

    @Test("malformed PyTorch files are refused naming the reason")
    func refusals() throws {
        let dir = TestScratch.root.appendingPathComponent("pt-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func variant(_ name: String, _ edit: (HDF5Group) throws -> Void) throws -> String {
            let p = dir + "/" + name + ".h5"
            try FileManager.default.copyItem(atPath: Self.path("pt_lstm.h5"), toPath: p)
            let f = try HDF5File(path: p, mode: .readWrite)
            try edit(f.root)
            try f.close()
            return p
        }
        func message(_ p: String) -> String {
            do { _ = try Model.loadKeras(path: p); return "loaded" } catch { return "\(error)" }
        }
        let arch = try HDF5File(path: Self.path("pt_lstm.h5")).root.stringAttribute("architecture")
        let bidi = try variant("bidi") { r in
            let w = try r.openDataset("state_dict/rnn.weight_ih_l0")
            try r.createDataset("state_dict/rnn.weight_ih_l0_reverse", shape: try w.shape(), values: try w.read(Float.self))
        }
        #expect(message(bidi).contains("bidirectional"))
        let gelu = try variant("gelu") { r in try r.setAttribute("architecture", string: arch.replacingOccurrences(of: "\"softmax\"", with: "\"gelu\"")) }
        #expect(message(gelu).contains("activation=gelu"), "\(message(gelu))")
        let conv = try variant("conv") { r in try r.setAttribute("architecture", string: arch.replacingOccurrences(of: "\"Linear\"", with: "\"Conv1d\"")) }
        #expect(message(conv).contains("torch.nn.Conv1d"), "\(message(conv))")
        let extra = try variant("extra") { r in try r.createDataset("state_dict/head.weight", shape: [2, 2], values: [Float](repeating: 0, count: 4)) }
        #expect(message(extra).contains("state_dict/head.weight is used by no layer"), "\(message(extra))")
        let noArch = try variant("noarch") { r in try r.setAttribute("architecture", string: "[]") }
        #expect(message(noArch).contains("no architecture attribute"), "\(message(noArch))")
    }
}
