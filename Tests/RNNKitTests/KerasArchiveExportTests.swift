// Fixtures: the Keras 3 files in Tests/RNNKitTests/Foreign (make_foreign.py and
// make_bidirectional.py --keras3, keras 3.15.1 on tensorflow-cpu 2.21.0). That Keras itself
// loads the archives the kit writes is checked by Tests/Generators/check_keras3_archives.py DIR on the
// files KIT_EXPORT_DIR=DIR makes this suite keep.
import Foundation
import TestSupport
import Testing
import HDF5Kit
import ZIPFoundation
@testable import RNNKit

/// Writing Keras 3 models as `.keras` (issue 12 item 2): the archive reads back to the same
/// bits, its weights sit where Keras 3 itself puts them, and it is byte-reproducible.
struct KerasArchiveExportTests {
    static func path(_ name: String) -> String { ForeignFormatTests.dir + "/" + name }

    static let fixtures = ["k3_sequential.keras", "k3_functional.keras", "k3_activations.keras", "k3_hard_sigmoid.keras",
                           "k3_bi_lstm.keras", "k3_bi_gru.keras", "k3_back.keras", "k3_bi_functional.h5", "k3_sequential.h5"]

    static func stem(_ file: String) -> String { String(file.prefix { $0 != "." }) }

    static func temporary(_ name: String) -> String {
        TestScratch.root.appendingPathComponent("k3x-\(UUID().uuidString)-\(name)").path
    }

    /// `file` loaded and written by `save` to a temporary `<stem><ext>` (kept in KIT_EXPORT_DIR
    /// when set, for check_keras3_archives.py); `body` gets the model and the written path.
    static func exported(_ file: String, _ ext: String, _ save: (Model, String) throws -> Void, _ body: (Model, String) throws -> Void) throws {
        let m = try Model.loadKeras(path: path(file))
        let out = temporary(stem(file) + ext)
        defer { try? FileManager.default.removeItem(atPath: out) }
        try save(m, out)
        if let keep = ProcessInfo.processInfo.environment["KIT_EXPORT_DIR"] {
            try? FileManager.default.removeItem(atPath: "\(keep)/\(stem(file))\(ext)")
            try FileManager.default.copyItem(atPath: out, toPath: "\(keep)/\(stem(file))\(ext)")
        }
        try body(m, out)
    }

    @Test(arguments: fixtures)
    func archiveReadsBackToTheSameBits(_ file: String) throws {
        try Self.exported(file, ".keras", { try $0.saveKerasArchive(path: $1) }) { m, out in
            let back = try Model.loadKeras(path: out)
            #expect(back.kerasVersion == m.kerasVersion)
            let ref = try KerasReference(path: Self.path(Self.stem(file) + ".reference.h5"))
            let r = try back.parity(with: ref, batchSize: 4)
            #expect(r.passes, "worst \(r.worstAbsolute) at \(r.worstLayer)")
            try Self.expectSameBits(m, back, ref)
        }
    }

    /// The `.h5` a Keras 3 model is written as carries Keras 3's config (so Keras 3's
    /// `load_model` reads it; check_keras3_archives.py) and reads back to the same bits.
    @Test(arguments: fixtures)
    func keras3H5ReadsBackToTheSameBits(_ file: String) throws {
        try Self.exported(file, ".h5", { try $0.saveKeras(path: $1) }) { m, out in
            let config = try HDF5File(path: out).root.stringAttribute("model_config")
            #expect(config.contains("\"registered_name\"") && !config.contains("batch_input_shape"), "Keras 3's config")
            try Self.expectSameBits(m, try Model.loadKeras(path: out), try KerasReference(path: Self.path(Self.stem(file) + ".reference.h5")))
        }
    }

    /// Both models' outputs on the reference's inputs, bit for bit (the file holds the very
    /// weights and layers). A Sequential's reference names its one input as the generator did.
    static func expectSameBits(_ m: Model, _ back: Model, _ ref: KerasReference) throws {
        let x = m.inputs.count == 1 ? [m.inputs[0].name: try #require(ref.inputs.first?.value)] : ref.inputs
        let (a, b) = (try m.predict(x, batchSize: 4).outputs, try back.predict(x, batchSize: 4).outputs)
        #expect(a.map(\.data) == b.map(\.data))
        #expect(a.map(\.shape) == b.map(\.shape))
    }

    /// Keras 3 finds weights by place (`layers/<class>[_k]/…/vars/<i>`): the kit's archive must
    /// have exactly the datasets, shapes and `vars` names (of groups holding weights) Keras
    /// wrote for the same model. Groups without weights may differ: Keras also writes one for an
    /// activation object inside a layer, which holds nothing to load.
    @Test(arguments: fixtures.filter { $0.hasSuffix(".keras") })
    func weightsSitWhereKerasPutsThem(_ file: String) throws {
        try Self.exported(file, ".keras", { try $0.saveKerasArchive(path: $1) }) { _, out in
            let ours = try Self.layout(archive: out), keras = try Self.layout(archive: Self.path(file))
            #expect(ours.count > 2)
            #expect(ours == keras)
        }
    }

    @Test func sameModelSameBytes() throws {
        let m = try Model.loadKeras(path: Self.path("k3_bi_gru.keras"))
        let (x, y) = (Self.temporary("a.keras"), Self.temporary("b.keras"))
        defer { try? FileManager.default.removeItem(atPath: x); try? FileManager.default.removeItem(atPath: y) }
        try m.saveKerasArchive(path: x)
        try m.saveKerasArchive(path: y)
        let (dx, dy) = (try Data(contentsOf: URL(fileURLWithPath: x)), try Data(contentsOf: URL(fileURLWithPath: y)))
        #expect(dx.count > 1000)
        #expect(dx == dy)
    }

    @Test func tfKeras2ModelIsNotWrittenAsKeras3() throws {
        let m = try Model.loadKeras(path: BidirectionalTests.path("tk_bi_concat.h5"))
        let out = Self.temporary("tk.keras")
        #expect(throws: RNNKitError.refusedValue(layer: m.name, field: "keras_version", value: m.kerasVersion ?? "unknown",
                                                 reason: "a .keras archive is written for Keras 3 models only; save this one as .h5")) {
            try m.saveKerasArchive(path: out)
        }
        #expect(!FileManager.default.fileExists(atPath: out), "nothing is left behind")
    }

    @Test func perStepWeightsAreNotWrittenAsKeras() throws {
        var m = try Model.loadKeras(path: Self.path("k3_back.keras"))
        let i = try #require(m.nodes.firstIndex { $0.layer is Recurrent })
        var r = m.nodes[i].layer as! Recurrent
        r.weightsPerStep = Array(repeating: r.weights.map(\.tensor), count: 3)
        m.nodes[i].layer = r
        let out = Self.temporary("steps.keras")
        #expect(throws: RNNKitError.refusedValue(layer: r.name, field: "weights per step", value: "3 copies",
                                                 reason: "no Keras layer holds per-step weights (an unrolled module); the kit's .h5 keeps them")) {
            try m.saveKerasArchive(path: out)
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func snakeCaseIsKeras() {
        #expect(["SimpleRNN", "LSTM", "TimeDistributed", "InputLayer", "SpatialDropout1D", "LeakyReLU", "Bidirectional"].map(snakeCase)
                == ["simple_rnn", "lstm", "time_distributed", "input_layer", "spatial_dropout1d", "leaky_re_lu", "bidirectional"])
    }

    /// Every dataset of an archive's `model.weights.h5` with its shape, and every `vars` group's name.
    static func layout(archive path: String) throws -> [String: String] {
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        let entry = try #require(archive["model.weights.h5"])
        var data = Data()
        _ = try archive.extract(entry) { data.append($0) }
        let tmp = temporary("w.h5")
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        try data.write(to: URL(fileURLWithPath: tmp))
        let f = try HDF5File(path: tmp)
        defer { try? f.close() }
        var out: [String: String] = [:]
        func walk(_ g: HDF5Group, _ prefix: String) throws {
            for name in try g.childNames() {
                let p = prefix.isEmpty ? name : prefix + "/" + name
                switch g.kind(of: name) {
                case .group:
                    let sub = try g.openGroup(name)
                    if name == "vars", try !sub.childNames().isEmpty { out[p] = (try? sub.stringAttribute("name")) ?? "" }
                    try walk(sub, p)
                default: out[p] = "\(try g.openDataset(name).shape())"
                }
            }
        }
        try walk(f.root, "")
        return out
    }
}
