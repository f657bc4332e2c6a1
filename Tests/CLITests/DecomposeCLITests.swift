import Foundation
import Testing
import HDF5Kit
import RNNKit
import TestSupport

/// `decompose`, `evaluate` and `bleu` end to end, on a synthetic data set and a model built
/// for it (no ../shared needed).
struct DecomposeCLITests {
    let s: Scratch
    init() throws { s = try Scratch() }

    func setUp() throws -> (model: String, data: String) { try s.syntheticClassifier() }

    @Test func decomposeThenEvaluate() throws {
        let (model, data) = try setUp()
        let out = s.path("modules")
        let d = try CLIRunner.run(["decompose", model, "--data", data, "--mode", "unrolled", "--gates", "per-gate", "--samples", "50", "--keep-activations", "--out", out])
        #expect(d.status == 0, "\(d.stderr)")
        #expect(d.stdout.contains("config: preset paper, mode unrolled, gates perGate"))
        #expect(d.stdout.contains("head: softmax Dense"))
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(files.contains("activations.h5") && files.contains("summary.json") && files.filter { $0.hasPrefix("module_") }.count >= 2)
        let e = try CLIRunner.run(["evaluate", model, "--modules", out, "--data", data, "--json"])
        #expect(e.status == 0, "\(e.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(e.stdout.utf8)) as? [String: Any])
        let mma = try #require(json["mma"] as? Double), cma = try #require(json["cma"] as? Double), delta = try #require(json["delta"] as? Double)
        #expect((0...1).contains(mma) && (0...1).contains(cma))
        // One unit in the JSON: fractions, delta included (the text output gives points).
        #expect(abs(delta - (cma - mma)) < Tolerance.float64Arithmetic)
        #expect((json["units"] as? String)?.hasPrefix("fraction") == true)
        #expect((json["modules"] as? [Any])?.count == files.filter { $0.hasPrefix("module_") }.count)
        #expect(json["jaccard_mean"] is Double)
    }

    @Test func evaluateRefusesModulesOfAnotherModel() throws {
        let (model, data) = try setUp()
        let out = s.path("modules")
        #expect(try CLIRunner.run(["decompose", model, "--data", data, "--samples", "20", "--out", out]).status == 0)
        // Another model file (same architecture, one weight changed) is refused.
        let other = s.path("other.h5")
        var m = try Model.loadKeras(path: model)
        var dense = m.nodes[2].layer as! Dense
        dense.bias.data[0] += 1
        m.nodes[2].layer = dense
        try m.saveKeras(path: other)
        let e = try CLIRunner.run(["evaluate", other, "--modules", out, "--data", data])
        #expect(e.status != 0 && e.stderr.contains("was decomposed from a model with sha256"))
    }

    @Test func decomposeRefusesMismatchedData() throws {
        let (model, _) = try setUp()
        let other = s.path("tagging.h5")
        #expect(try CLIRunner.run(["data", "export", "synthetic_many_to_many", "--profile", "smoke", "--out", other], in: s.dir).status == 0)
        let out = s.path("never")
        let r = try CLIRunner.run(["decompose", model, "--data", other, "--out", out])
        #expect(r.status != 0 && r.stderr.contains("does not fit the model"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test("BLEU-1…4 as NLTK's corpus_bleu (values derived by hand)")
    func bleu() throws {
        let refs = s.path("r.txt"), hyps = s.path("h.txt")
        try "the cat sat on the mat\n".write(toFile: refs, atomically: true, encoding: .utf8)
        try "the cat\n".write(toFile: hyps, atomically: true, encoding: .utf8)
        let r = try CLIRunner.run(["bleu", "--references", refs, "--hypotheses", hyps])
        #expect(r.status == 0, "\(r.stderr)")
        // Precisions 2/2 and 1/1; brevity penalty exp(1 − 6/2); no 3- or 4-grams: NLTK's tiny value.
        #expect(r.stdout == "BLEU-1 0.135335283237\nBLEU-2 0.135335283237\nBLEU-3 0.000000000000\nBLEU-4 0.000000000000\n")
        try "the cat sat on the mat\n".write(toFile: hyps, atomically: true, encoding: .utf8)
        #expect(try CLIRunner.run(["bleu", "--references", refs, "--hypotheses", hyps]).stdout.hasSuffix("BLEU-4 1.000000000000\n"))
    }
}
