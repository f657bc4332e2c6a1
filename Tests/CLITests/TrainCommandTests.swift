import Foundation
import Testing
import HDF5Kit
import RNNKit

/// `rnn-decompose train` end to end: a named data set, a dataset file, and errors that exit
/// non-zero and leave no model file behind.
struct TrainCommandTests {
    let s: Scratch
    init() throws { s = try Scratch() }

    /// A tiny M:N tagging dataset file in the documented layout (docs/FORMATS.md): tag = token parity + 1.
    func taggingFile() throws -> String {
        let p = s.path("tagging.h5")
        func split(_ n: Int, _ salt: Int) -> (x: [Int32], y: [Int32]) {
            let x = (0..<(n * 6)).map { Int32(1 + ($0 * 7 + salt) % 9) }
            return (x, x.map { $0 % 2 + 1 })
        }
        let (train, test) = (split(64, 1), split(16, 5))
        try HDF5File.writeAtomically(to: p) { f in
            let r = f.root
            try r.createDataset("x_train", shape: [64, 6], values: train.x); try r.createDataset("y_train", shape: [64, 6], values: train.y)
            try r.createDataset("x_test", shape: [16, 6], values: test.x); try r.createDataset("y_test", shape: [16, 6], values: test.y)
            try r.setAttribute("task", string: "many_to_many")
            for (k, v) in [("num_classes", 3), ("vocab_size", 10), ("padding_label", 0), ("synthetic", 1)] {
                try r.setAttribute(k, values: [Int64(v)], shape: [])
            }
            try r.setAttribute("label_names", string: "[\"<pad>\", \"even\", \"odd\"]")
            try r.setAttribute("recipe", string: "{}")
            try r.setAttribute("source", string: "synthetic")
            try r.setAttribute("name", string: "parity")
        }
        return p
    }

    @Test func trainsNamedDataSet() throws {
        let out = s.path("m2o.h5")
        let r = try CLIRunner.run(["train", "--task", "synthetic_many_to_one", "--profile", "smoke", "--cell", "lstm", "--layers", "1",
                                   "--units", "8", "--epochs", "1", "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("test accuracy") && r.stdout.contains("600 training examples"), "\(r.stdout)")
        #expect(r.stderr.isEmpty, "no progress lines when stderr is not a terminal")
        let m = try Model.loadKeras(path: out)
        #expect(m.layers.map(\.kerasClassName) == ["Embedding", "LSTM", "Dense"])
        #expect(try HDF5File(path: out).root.hasAttribute("kit_training"))
    }

    /// `--bidirectional` wraps each recurrent layer (concat, the units per direction), and the
    /// model it writes is one `decompose` and `evaluate` take (modules per direction).
    @Test func trainsBidirectionalModelThatDecomposes() throws {
        let data = s.path("syn.h5"), out = s.path("bi.h5"), modules = s.path("bi-modules")
        #expect(try CLIRunner.run(["data", "export", "synthetic_many_to_one", "--profile", "smoke", "--out", data]).status == 0)
        let r = try CLIRunner.run(["train", "--data", data, "--cell", "gru", "--layers", "1", "--units", "6", "--epochs", "1",
                                   "--bidirectional", "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("BiGRU-1"), "\(r.stdout)")
        let m = try Model.loadKeras(path: out)
        #expect(m.layers.map(\.kerasClassName) == ["Embedding", "Bidirectional", "Dense"])
        let bi = try #require(m.layers[1] as? Bidirectional)
        #expect(bi.mergeMode == .concat && (m.layers[2] as? Dense)?.kernel.shape.first == 12)
        let d = try CLIRunner.run(["decompose", out, "--data", data, "--samples", "20", "--out", modules])
        #expect(d.status == 0, "\(d.stderr)")
        let e = try CLIRunner.run(["evaluate", out, "--modules", modules, "--data", data, "--json"])
        #expect(e.status == 0, "\(e.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(e.stdout.utf8)) as? [String: Any])
        #expect((0...1).contains(try #require(json["cma"] as? Double)))
    }

    @Test func bidirectionalEncoderDecoderIsRefused() throws {
        let out = s.path("bi-translation.h5")
        let r = try CLIRunner.run(["train", "--task", "synthetic_encoder_decoder", "--profile", "smoke", "--cell", "lstm", "--layers", "1",
                                   "--epochs", "1", "--bidirectional", "--out", out])
        #expect(r.status == 1 && r.stderr.contains("a bidirectional encoder-decoder is not one of the zoo's architectures"), "\(r.status): \(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1 && !FileManager.default.fileExists(atPath: out))
    }

    @Test func trainsDatasetFileWithItsArchitecture() throws {
        let out = s.path("tagger.h5")
        let r = try CLIRunner.run(["train", "--data", try taggingFile(), "--cell", "gru", "--layers", "2", "--units", "8", "--embed", "4",
                                   "--epochs", "2", "--batch-size", "16", "--seed", "3", "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        let m = try Model.loadKeras(path: out)
        #expect(m.layers.map(\.kerasClassName) == ["Embedding", "GRU", "GRU", "TimeDistributed"])
        #expect((m.layers[0] as! Embedding).outputDim == 4 && (m.layers[1] as! Recurrent).units == 8)
        // Same seed → same file contents (weights).
        let again = s.path("tagger2.h5")
        _ = try CLIRunner.run(["train", "--data", try taggingFile(), "--cell", "gru", "--layers", "2", "--units", "8", "--embed", "4",
                               "--epochs", "2", "--batch-size", "16", "--seed", "3", "--out", again])
        let m2 = try Model.loadKeras(path: again)
        #expect(zip(m.layers, m2.layers).allSatisfy { $0.weights.map(\.tensor) == $1.weights.map(\.tensor) })
    }

    func expectFailure(_ args: [String], mentions: String) throws {
        let out = s.path("never.h5")
        let r = try CLIRunner.run(["train"] + args + ["--out", out])
        #expect(r.status != 0)
        #expect(r.stderr.contains(mentions), "stderr: \(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out), "no output file")
    }

    @Test func errors() throws {
        try expectFailure(["--cell", "lstm", "--layers", "1"], mentions: "give exactly one of --task and --data")
        try expectFailure(["--task", "x", "--data", "y.h5", "--cell", "lstm", "--layers", "1"], mentions: "give exactly one of --task and --data")
        try expectFailure(["--task", "synthetic_one_to_one", "--cell", "lstm", "--layers", "5"], mentions: "--layers must be 1...4")
        try expectFailure(["--task", "synthetic_one_to_one", "--cell", "cnn", "--layers", "1"], mentions: "cnn")
        try expectFailure(["--task", "no_such_set", "--cell", "lstm", "--layers", "1"], mentions: "unknown data set 'no_such_set'")
        try expectFailure(["--data", s.path("missing.h5"), "--cell", "lstm", "--layers", "1"], mentions: "missing.h5")
    }
}
