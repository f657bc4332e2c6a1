import Foundation
import HDF5Kit
import Testing
import TestSupport

/// What a new user met first (issue 12 item 6): where `data list` looked, a hand-written
/// dataset's missing attributes, label names on modules, activations only on request, help
/// that cites the project's own docs with defaults and values, `--version`.
struct FrictionsCLITests {
    let s: Scratch
    init() throws { s = try Scratch() }

    @Test("data list outside the repository says which folders it searched")
    func dataListSaysWhere() throws {
        let nothing = s.path("nothing")
        let r = try CLIRunner.run(["data", "list", "--no-load"], in: s.dir, environment: ["DATA_DIR": nothing, "SHARED_DIR": s.path("noshared")])
        #expect(r.status == 0, "\(r.stderr)")
        let first = r.stdout.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.contains(nothing) && first.contains(s.path("noshared") + "/data") && first.contains("DATA_DIR"), "\(first)")
        #expect(r.stdout.contains("not under any of the folders above"))
    }

    @Test("a hand-written dataset gets every missing required attribute and dataset in one message")
    func datasetMissingAll() throws {
        let (model, _) = try s.syntheticClassifier()
        let bad = s.path("hand.h5")
        try HDF5File.writeAtomically(to: bad) { f in
            try f.root.createDataset("x_train", shape: [2, 10], values: [Int32](repeating: 1, count: 20))
            try f.root.createDataset("y_train", shape: [2], values: [Int32(0), 1])
            try f.root.setAttribute("task", string: "many_to_one")
        }
        let r = try CLIRunner.run(["decompose", model, "--data", bad, "--out", s.path("never")])
        #expect(r.status != 0)
        #expect(r.stderr.contains("missing root attribute(s) num_classes, vocab_size, padding_label and dataset(s) x_test, y_test"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
        // The optional ones (label_names, recipe, synthetic, source, name) may be left out.
        try HDF5File.writeAtomically(to: bad) { f in
            for split in ["train", "test"] {
                try f.root.createDataset("x_\(split)", shape: [4, 10], values: [Int32](repeating: 1, count: 40))
                try f.root.createDataset("y_\(split)", shape: [4], values: [Int32(0), 1, 2, 3])
            }
            try f.root.setAttribute("task", string: "many_to_one")
            for (k, v) in [("num_classes", 4), ("vocab_size", 20), ("padding_label", -1)] { try f.root.setAttribute(k, values: [Int64(v)], shape: []) }
        }
        let p = try CLIRunner.run(["predict", s.path("model.h5"), "--inputs", bad, "--output", s.path("pred.h5")])
        #expect(!p.stderr.contains("missing"), "\(p.stderr)")
    }

    @Test("modules carry their label names; activations.h5 only with --keep-activations")
    func labelsAndActivations() throws {
        let (model, data) = try s.syntheticClassifier()
        let names = try JSONSerialization.jsonObject(with: Data(try HDF5File(path: data).root.stringAttribute("label_names").utf8)) as! [String]
        let out = s.path("mods")
        let d = try CLIRunner.run(["decompose", model, "--data", data, "--samples", "20", "--out", out])
        #expect(d.status == 0, "\(d.stderr)")
        #expect(d.stdout.contains("module 1 (\(names[1])):"), "\(d.stdout)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out)
        #expect(!files.contains("activations.h5") && files.contains("summary.json"))
        #expect(try HDF5File(path: out + "/module_1.h5").root.stringAttribute("label") == names[1])
        let i = try CLIRunner.run(["inspect", out + "/module_1.h5"])
        #expect(i.status == 0 && i.stdout.hasPrefix("Module of class 1 (\(names[1]))"), "\(i.stdout)\(i.stderr)")
        let e = try CLIRunner.run(["evaluate", model, "--modules", out, "--data", data])
        #expect(e.status == 0 && e.stdout.contains("module 0 (\(names[0])): JI"), "\(e.stdout)\(e.stderr)")
        let kept = s.path("kept")
        #expect(try CLIRunner.run(["decompose", model, "--data", data, "--samples", "20", "--keep-activations", "--out", kept]).status == 0)
        #expect(FileManager.default.fileExists(atPath: kept + "/activations.h5"))
        let manifest = try String(contentsOfFile: kept + "/manifest.json", encoding: .utf8)
        #expect(manifest.contains("activations.h5"))
        #expect(try CLIRunner.run(["evaluate", model, "--modules", kept, "--data", data]).status == 0)
    }

    @Test("decompose --help cites docs/METHOD.md (which exists), not ALGORITHMS.md, and shows defaults and values")
    func help() throws {
        let h = try CLIRunner.run(["decompose", "--help"])
        #expect(h.status == 0)
        let text = h.stdout.replacingOccurrences(of: "\\s+", with: " ", options: .regularExpression)
        #expect(text.contains("docs/METHOD.md") && !text.contains("ALGORITHMS.md"))
        for needle in ["rolled (one weight copy) or unrolled", "Default: rolled", "hidden (one value per unit", "per-gate", "Default: hidden",
                       "Default: 0.2 (paper preset), 0.05 (authors preset)", "Default: 500", "Default: 1.", "--keep-activations"] {
            #expect(text.contains(needle), "\(needle)")
        }
        // The method document it points to is in the project.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("docs/METHOD.md").path))
    }

    @Test("--version prints the kit's version constant")
    func version() throws {
        let v = try CLIRunner.run(["--version"])
        #expect(v.status == 0 && v.stdout.hasPrefix("rnn-decompose 0.12.0"), "\(v.stdout)")
    }
}
