import Foundation
import HDF5Kit
import RNNKit
import Testing
import TestSupport

/// `decompose` on a Keras 3 `.keras` model (issue 12 item 2): each rolled module is written as
/// the kit's module file and, in the format the model came in, as `module_<c>.keras` listed in
/// the manifest; the archive holds the same module (same predictions, bit for bit).
struct Keras3ModulesCLITests {
    let s: Scratch
    init() throws { s = try Scratch() }

    /// The synthetic classifier as a Keras 3 model: its LSTM's hard sigmoid is Keras 3's.
    func keras3Model() throws -> (model: String, data: String) {
        let (h5, data) = try s.syntheticClassifier()
        let base = try Model.loadKeras(path: h5)
        var layers = base.layers
        var lstm = try #require(layers[1] as? Recurrent)
        lstm.recurrentActivation = .hardSigmoidKeras3
        layers[1] = lstm
        var m = try Model.sequential(name: "m3", input: base.inputs[0], layers: layers)
        m.kerasVersion = "3.15.1"
        let path = s.path("model.keras")
        try m.saveKerasArchive(path: path)
        return (path, data)
    }

    @Test func rolledModulesAreAlsoKerasArchives() throws {
        let (model, data) = try keras3Model()
        let out = s.path("mods")
        let d = try CLIRunner.run(["decompose", model, "--data", data, "--samples", "40", "--out", out])
        #expect(d.status == 0, "\(d.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out)
        let h5 = files.filter { $0.hasPrefix("module_") && $0.hasSuffix(".h5") }.sorted()
        let archives = files.filter { $0.hasSuffix(".keras") }.sorted()
        #expect(h5.count >= 2)
        #expect(archives == h5.map { String($0.dropLast(3)) + ".keras" })
        let manifest = try String(contentsOfFile: out + "/manifest.json", encoding: .utf8)
        for a in archives { #expect(manifest.contains("\"\(a)\""), "\(a) listed in the manifest") }
        let xt = try HDF5File(path: data).root.openDataset("x_test")
        let steps = try xt.shape()[1]
        let x = Tensor(shape: [8, steps], data: Array(try xt.read(Int32.self).prefix(8 * steps)).map(Float.init))
        for (a, b) in zip(h5, archives) {
            let (m1, m2) = (try Model.loadKeras(path: out + "/" + a), try Model.loadKeras(path: out + "/" + b))
            #expect(m2.kerasVersion == "3.15.1")
            #expect(try m1.predict([m1.inputs[0].name: x]).prediction.data == m2.predict([m2.inputs[0].name: x]).prediction.data, "\(b)")
        }
        // The folder with its archives still evaluates (the manifest's sizes and hashes hold).
        let e = try CLIRunner.run(["evaluate", model, "--modules", out, "--data", data])
        #expect(e.status == 0, "\(e.stderr)")
    }

    @Test func unrolledModulesAreKitFilesOnly() throws {
        let (model, data) = try keras3Model()
        let out = s.path("mods-unrolled")
        let d = try CLIRunner.run(["decompose", model, "--data", data, "--samples", "40", "--mode", "unrolled", "--out", out])
        #expect(d.status == 0, "\(d.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out)
        #expect(files.contains { $0.hasSuffix(".h5") } && !files.contains { $0.hasSuffix(".keras") })
    }
}
