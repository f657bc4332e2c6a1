import Foundation
import Testing
import TestSupport

/// Models from other tools on the command line: weights with `--config`, a `.keras` archive,
/// and a SavedModel folder refused in one line (fixtures: Tests/RNNKitTests/Foreign).
struct ForeignModelCLITests {
    static let foreign = Shared.packageRoot.appendingPathComponent("Tests/RNNKitTests/Foreign").path

    @Test func inspectWeightsWithConfig() throws {
        let r = try CLIRunner.run(["inspect", Self.foreign + "/k3_sequential.weights.h5", "--config", Self.foreign + "/k3_sequential.json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("gru (GRU)") && r.stdout.contains("(None, 6, 7)"), "\(r.stdout)")
    }

    @Test func inspectKerasArchive() throws {
        let r = try CLIRunner.run(["inspect", Self.foreign + "/k3_functional.keras"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Keras 3.15.1") && r.stdout.contains("decoder (LSTM)"), "\(r.stdout)")
    }

    @Test("a PyTorch state dict in the kit's layout is read by inspect and predict like any model")
    func pyTorchStateDict() throws {
        let r = try CLIRunner.run(["inspect", Self.foreign + "/pt_lstm.h5"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("rnn_l0 (LSTM)") && r.stdout.contains("fc (Dense)"), "\(r.stdout)")
        let c = try CLIRunner.run(["inspect", Self.foreign + "/pt_lstm.h5", "--config", Self.foreign + "/k3_sequential.json"])
        #expect(c.status != 0 && c.stderr.contains("is a PyTorch state dict"), "\(c.stderr)")
    }

    @Test func savedModelFolderIsOneLine() throws {
        let d = TestScratch.root.appendingPathComponent("sm-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: d) }
        FileManager.default.createFile(atPath: d + "/saved_model.pb", contents: Data([8]))
        let r = try CLIRunner.run(["inspect", d])
        #expect(r.status != 0)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains("is a TensorFlow SavedModel directory; save with model.save('m.h5') or .keras"), "\(r.stderr)")
    }
}
