import Foundation
import TestSupport
import HDF5Kit
import RNNKit

/// Runs the built `rnn-decompose` executable (it sits beside the test bundle).
struct CLIRunner {
    static let executable: URL = {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [dir, dir.deletingLastPathComponent()].map { $0.appendingPathComponent("rnn-decompose") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }()

    struct Output {
        var status: Int32; var stdout: String; var stderr: String
        /// Killed by signal `status` rather than exited with it.
        var signaled = false
    }

    static func run(_ args: [String], in directory: String? = nil, environment: [String: String] = [:], executable program: String? = nil) throws -> Output {
        let p = Process()
        p.executableURL = program.map { URL(fileURLWithPath: $0) } ?? executable
        p.arguments = args
        if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
        if !environment.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Output(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self),
                      signaled: p.terminationReason == .uncaughtSignal)
    }
}

/// A scratch directory with a small LSTM model and an inputs file.
struct Scratch {
    let dir: String
    init() throws {
        dir = TestScratch.root.appendingPathComponent("cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }
    func path(_ name: String) -> String { dir + "/" + name }

    /// Embedding(12, 3) → LSTM(4, hard_sigmoid) → Dense(2, softmax), T = 4; weights from a fixed ramp.
    func model() throws -> String {
        var layers: [any Layer] = [Embedding(name: "embedding", inputDim: 12, outputDim: 3),
                                   Recurrent(name: "lstm", cell: .lstm, inputDim: 3, units: 4, recurrentActivation: .hardSigmoid),
                                   Dense(name: "dense", inputDim: 4, units: 2, activation: .softmax)]
        for i in layers.indices {
            layers[i].setWeights(layers[i].weights.map { w in
                Tensor(shape: w.tensor.shape, data: (0..<w.tensor.count).map { Float(($0 * 37 + i * 11) % 19 - 9) / 20 })
            })
        }
        let m = try Model.sequential(name: "cli", input: ModelInput(name: "tokens", shape: [nil, 4], dtype: "int32"), layers: layers)
        try m.saveKeras(path: path("model.h5"))
        return path("model.h5")
    }

    func inputs(_ values: [Int32], name: String = "tokens", rows: Int = 3) throws -> String {
        let p = path("in-\(name).h5")
        try HDF5File.writeAtomically(to: p) { f in try f.root.createDataset("inputs/\(name)", shape: [rows, values.count / rows], values: values) }
        return p
    }
}

extension Scratch {
    /// Exports the smoke synthetic M:1 task and writes a random-weight LSTM model that fits it.
    func syntheticClassifier() throws -> (model: String, data: String) {
        let data = path("syn.h5")
        let r = try CLIRunner.run(["data", "export", "synthetic_many_to_one", "--profile", "smoke", "--out", data], in: dir)
        guard r.status == 0 else { throw CLIFailure(message: r.stderr) }
        let f = try HDF5File(path: data)
        let vocab = Int(try f.root.numericAttribute("vocab_size", as: Int64.self)[0])
        let classes = Int(try f.root.numericAttribute("num_classes", as: Int64.self)[0])
        let steps = try f.root.openDataset("x_train").shape()[1]
        var layers: [any Layer] = [Embedding(name: "embedding", inputDim: vocab, outputDim: 8),
                                   Recurrent(name: "lstm", cell: .lstm, inputDim: 8, units: 16, recurrentActivation: .hardSigmoid),
                                   Dense(name: "dense", inputDim: 16, units: classes, activation: .softmax)]
        for i in layers.indices {
            layers[i].setWeights(layers[i].weights.map { w in Tensor(shape: w.tensor.shape, data: (0..<w.tensor.count).map { Float(($0 * 37 + i * 5) % 29 - 14) / 20 }) })
        }
        let model = path("model.h5")
        try Model.sequential(name: "m", input: ModelInput(name: "tokens", shape: [nil, steps], dtype: "int32"), layers: layers).saveKeras(path: model)
        return (model, data)
    }

}

struct CLIFailure: Error { var message: String }
