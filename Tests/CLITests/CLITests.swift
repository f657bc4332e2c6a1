import Foundation
import Testing
import HDF5Kit
import RNNKit
import TestSupport

/// The command-line tool end to end: outputs, and a clear error plus non-zero exit (and no
/// output file) for each kind of bad input.
struct CLITests {
    let s: Scratch
    init() throws { s = try Scratch() }
    var tokens: [Int32] { [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0] }

    @Test func inspectPrintsSummary() throws {
        let r = try CLIRunner.run(["inspect", try s.model()])
        #expect(r.status == 0)
        #expect(r.stdout.contains("lstm (LSTM)") && r.stdout.contains("(None, 4)"))
        // Embedding 12·3 + LSTM (3·16 + 4·16 + 16) + Dense (4·2 + 2) = 36 + 128 + 10.
        #expect(r.stdout.contains("Total params: 174"))
    }

    /// `--help` at every level prints the usage on stdout and exits 0 (the custom `main` once
    /// printed ArgumentParser's internal help request as an error).
    @Test(arguments: [["--help"], ["help"], ["decompose", "--help"], ["data", "list", "--help"], ["help", "evaluate"]])
    func helpIsUsageNotAnError(_ args: [String]) throws {
        let r = try CLIRunner.run(args)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("USAGE: rnn-decompose"), "stdout: \(r.stdout)")
        #expect(!r.stderr.contains("CommandError") && !r.stdout.contains("CommandError"))
    }

    @Test func predictWritesPredictionAndLayers() throws {
        let out = s.path("out.h5")
        let r = try CLIRunner.run(["predict", try s.model(), "--inputs", try s.inputs(tokens), "--output", out, "--layers", "--batch-size", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        let f = try HDF5File(path: out)
        let p = try f.root.openDataset("prediction")
        #expect(try p.shape() == [3, 2])
        #expect(try p.elementType() == .float(bits: 32))
        let rows = try p.read(Float.self)
        for i in 0..<3 { #expect(abs(rows[2 * i] + rows[2 * i + 1] - 1) < Float(Tolerance.float32Rounding)) }
        #expect(try f.root.openDataset("outputs/embedding").shape() == [3, 4, 3])
        #expect(try f.root.openDataset("outputs/lstm").shape() == [3, 4])
        // Same numbers as the library computes.
        let m = try Model.loadKeras(path: s.path("model.h5"))
        let want = try m.predict(["tokens": Tensor(shape: [3, 4], data: tokens.map(Float.init))]).prediction
        #expect(rows == want.data)
    }

    @Test func singleInputModelTakesTheOnlyDataset() throws {
        let r = try CLIRunner.run(["predict", try s.model(), "--inputs", try s.inputs(tokens, name: "x"), "--output", s.path("o.h5")])
        #expect(r.status == 0, "\(r.stderr)")
    }

    func expectFailure(_ args: [String], mentions: String) throws {
        let out = s.path("never.h5")
        let r = try CLIRunner.run(args + ["--output", out])
        #expect(r.status != 0)
        #expect(r.stderr.contains(mentions), "stderr: \(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out), "no partial output")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: s.dir).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "no temporary files left: \(leftovers)")
    }

    @Test func tokenOutOfRange() throws {
        var t = tokens; t[5] = 12
        try expectFailure(["predict", try s.model(), "--inputs", try s.inputs(t)], mentions: "token id 12.0 outside the embedding's range 0..<12")
    }

    @Test func missingInputDataset() throws {
        let p = s.path("two.h5")
        try HDF5File.writeAtomically(to: p) { f in
            try f.root.createDataset("inputs/a", shape: [3, 4], values: tokens)
            try f.root.createDataset("inputs/b", shape: [3, 4], values: tokens)
        }
        try expectFailure(["predict", try s.model(), "--inputs", p], mentions: "input '/inputs/tokens' not found")
    }

    @Test func notHDF5Model() throws {
        try "not a model".write(toFile: s.path("m.h5"), atomically: true, encoding: .utf8)
        try expectFailure(["predict", s.path("m.h5"), "--inputs", try s.inputs(tokens)], mentions: "is not an HDF5 file")
        let r = try CLIRunner.run(["inspect", s.path("m.h5")])
        #expect(r.status != 0 && r.stderr.contains("is not an HDF5 file"))
    }

    @Test func truncatedModel() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: try s.model()))
        try data.prefix(data.count / 3).write(to: URL(fileURLWithPath: s.path("cut.h5")))
        try expectFailure(["predict", s.path("cut.h5"), "--inputs", try s.inputs(tokens)], mentions: "H5Fopen failed")
    }

    @Test func unknownLayer() throws {
        let m = try s.model()
        let f = try HDF5File(path: m, mode: .readWrite)
        let cfg = try f.root.stringAttribute("model_config").replacingOccurrences(of: "\"class_name\":\"LSTM\"", with: "\"class_name\":\"ConvLSTM1D\"")
        try f.root.setAttribute("model_config", string: cfg)
        try f.close()
        try expectFailure(["predict", m, "--inputs", try s.inputs(tokens)], mentions: "layer 'lstm' has unsupported kind ConvLSTM1D")
    }

    @Test func badBatchSize() throws {
        try expectFailure(["predict", try s.model(), "--inputs", try s.inputs(tokens), "--batch-size", "0"], mentions: "--batch-size must be positive")
    }
}
