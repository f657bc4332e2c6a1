// kit-bench: the speed targets of the issues, measured (never asserted in tests).
//
//   kit-bench [--repeats N] [--peer-python PYTHON]
//
// For each benchmark model: 4,500 seeded random token sequences (SplitMix64, seed 1),
// `Model.predict` at batch 256 on all cores, best of N runs; samples/s and GFLOP/s
// (2·multiply-adds of every GEMM the Keras computation implies). With --peer-python (or
// $PEER_PYTHON) pointing at a Python that has tf_keras and h5py, the same model is timed with
// tf.keras `model.predict` in the same run (Benchmarks/peer/tf_keras_predict.py) on the same
// token sequences, which the kit writes to an HDF5 file the peer reads, and the ratio printed.
// The kit never needs Python.
//
//   kit-bench --only decode | decompose-translation | encoder-decoder | tatoeba
//
// just that measurement (no ../shared needed).
//
//   kit-bench --only corpora [--export DIR]
//
// just times loading every real data set and hashing its files; with --export it also writes
// each as a dataset file (`<name>.h5`) into DIR, for comparing with the Python recipe.

import Corpora
import Decomposition
import DecompositionInputs
import Experiments
import Foundation
import HDF5Kit
import RNNKit
import Zoo

Allocator.keepLargeBuffers()   // as the chapters and the CLI do
var args = Array(CommandLine.arguments.dropFirst())
func option(_ name: String) -> String? {
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    defer { args.removeSubrange(i...(i + 1)) }
    return args[i + 1]
}
let repeats = Int(option("--repeats") ?? "5") ?? 5
let peerPython = option("--peer-python") ?? ProcessInfo.processInfo.environment["PEER_PYTHON"]
let shared = ProcessInfo.processInfo.environment["SHARED_DIR"] ?? "../shared"
/// `--only encoder-decoder`: just those measurements (the others need ../shared);
/// `--only tatoeba`: only the Tatoeba-sized one; `--only decompose-translation`: only
/// `decomposeTranslation`'s time (TranslationDecompositionBench.swift); `--only decode`: only
/// greedy decoding, step-wise against re-running (DecodingBench.swift).
let only = option("--only")
/// `--export DIR` (with `--only corpora`): where the loaded data sets are written.
let exportDir = option("--export")
/// The files the peers read (inputs, training data): one scratch folder per run.
let peerFiles = FileManager.default.temporaryDirectory.appendingPathComponent("kit-bench-\(ProcessInfo.processInfo.processIdentifier)")
defer { try? FileManager.default.removeItem(at: peerFiles) }

/// Writes int32 tables to `<peerFiles>/<name>.h5` for a peer script; returns the path.
func writePeerFile(_ name: String, _ datasets: [(name: String, shape: [Int], values: [Int32])]) throws -> String {
    try FileManager.default.createDirectory(at: peerFiles, withIntermediateDirectories: true)
    let path = peerFiles.appendingPathComponent(name + ".h5").path
    try HDF5File.writeAtomically(to: path) { f in for d in datasets { _ = try f.root.createDataset(d.name, shape: d.shape, values: d.values) } }
    return path
}

let peerScript = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("peer/tf_keras_predict.py").path

/// Multiply-adds ×2 of one sample's forward pass (the GEMMs; element-wise work not counted).
func flopsPerSample(_ m: Model) throws -> Double {
    let shapes = try m.shapes()
    var flops = 0.0
    for n in m.nodes {
        let input = shapes[n.inputs[0]]!
        let steps = Double(input.count == 3 ? (input[1] ?? 1) : 1)
        if let r = n.layer as? Recurrent {
            let gh = Double(r.kernel.shape[1])
            flops += steps * 2 * (Double(r.kernel.shape[0]) + Double(r.units)) * gh
        } else if let d = n.layer as? Dense {
            flops += steps * 2 * Double(d.kernel.shape[0] * d.units)
        }
    }
    return flops
}

func timeBest(_ body: () throws -> Void) rethrows -> Double {
    var best = Double.infinity
    for _ in 0..<repeats {
        let t0 = DispatchTime.now().uptimeNanoseconds
        try body()
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
    }
    return best
}

/// Runs a peer script (`python script args…`) that prints one JSON line with
/// `samples_per_second`; returns that rate, or nil with the reason printed. Both peers
/// (predict here, fit in TrainingBench.swift) go through it.
func runPeer(_ python: String, _ arguments: [String], label: String) -> Double? {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: python)
    p.arguments = arguments
    let out = Pipe()
    p.standardOutput = out; p.standardError = FileHandle.nullDevice
    do { try p.run() } catch { print("  peer: could not start \(python): \(error)"); return nil }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0, let line = String(data: data, encoding: .utf8)?.split(separator: "\n").last,
          let json = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
          let rate = json["samples_per_second"] as? Double else {
        print("  peer: tf.keras \(label) failed (exit \(p.terminationStatus))"); return nil
    }
    print("  peer: \(json["peer"] ?? "tf.keras") \(label): \(String(format: "%.0f", rate)) samples/s")
    return rate
}

/// tf.keras `predict` on the same model and the same inputs (`x` of the HDF5 file `inputs`).
func peer(_ model: String, inputs: String) -> Double? {
    guard let python = peerPython else { return nil }
    return runPeer(python, [peerScript, model, "--inputs", inputs, "--batch-size", "256", "--repeats", "\(repeats)"], label: "predict")
}

let cases: [(file: String, length: Int)] = [
    ("models/authors/lstm_models/many_to_one/model1.h5", 15),
    ("models/authors/gru_models/one_to_one/model4_combined_scratch.h5", 20),
]
if only == "corpora" {
    try runCorporaBench(shared: shared, export: exportDir)
    exit(0)
}
if only == "decode" {
    print("kit-bench: \(ProcessInfo.processInfo.activeProcessorCount) cores, best of \(repeats), \(GEMM.describe())")
    runDecodingBench()
    exit(0)
}
if only == "decompose-translation" {
    print("kit-bench: \(ProcessInfo.processInfo.activeProcessorCount) cores, best of \(repeats), \(GEMM.describe())")
    runTranslationDecompositionBench()
    exit(0)
}
if only == "encoder-decoder" || only == "tatoeba" {
    print("kit-bench: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(GEMM.describe())")
    for size in only == "tatoeba" ? [.tatoeba] : [EncoderDecoderSize.estonian, .tatoeba] { runEncoderDecoderBench(repeats: repeats, size: size) }
    exit(0)
}
guard FileManager.default.fileExists(atPath: shared + "/models/authors") else {
    print("kit-bench: \(shared)/models/authors not found (set SHARED_DIR); nothing to measure")
    exit(1)
}
print("kit-bench: \(ProcessInfo.processInfo.activeProcessorCount) cores, best of \(repeats), \(GEMM.describe())")
for c in cases {
    let path = shared + "/" + c.file
    let m = try Model.loadKeras(path: path)
    let vocab = (m.layers.first as? Embedding)?.inputDim ?? 2
    // Seeded, so every run (and the peer) predicts the same sequences: tokens 1..<vocab.
    var rng = SeededRandom(seed: 1)
    let n = 4500
    let tokens = (0..<(n * c.length)).map { _ in Int32(1 + rng.below(vocab - 1)) }
    let x = Tensor(shape: [n, c.length], data: tokens.map(Float.init))
    _ = try m.predict([m.inputs[0].name: x])   // warm-up
    let best = try timeBest { _ = try m.predict([m.inputs[0].name: x], batchSize: 256) }
    let rate = Double(n) / best
    let gflops = try flopsPerSample(m) * rate / 1e9
    print("predict \(c.file): \(n) × \(c.length) tokens, batch 256: \(String(format: "%.4f", best)) s, " +
          "\(String(format: "%.0f", rate)) samples/s, \(String(format: "%.1f", gflops)) GFLOP/s")
    if peerPython != nil, let peerRate = peer(path, inputs: try writePeerFile("predict-inputs-\(c.length)", [("x", [n, c.length], tokens)])) {
        print("  kit / tf.keras = \(String(format: "%.2f", rate / peerRate))× (target ≥ 2×)")
    }
}

let locator = DataLocator.standard(extraRoots: [URL(fileURLWithPath: shared + "/data")], environment: ProcessInfo.processInfo.environment)
try runCorporaBench(shared: shared, export: nil)

// Decomposing a Clinc M:1 LSTM-1 (10 modules, 500 positive samples each) and evaluating on
// the 4,500 test utterances: target under 10 s. The model is kit-trained with the paper's
// recipe (the zoo trains it once into .zoo/paper, ~15 s), and the authors' own model1 too.
do {
    let clinc = try Corpora.load(name: "clinc_oos", profile: .paper, locator: locator)
    let zoo = Zoo(profile: .paper, locator: locator)
    let trained = try zoo.entry(ZooModel(dataset: "clinc_oos", task: .manyToOne, cell: .lstm, layers: 1))
    let cases: [(String, Model, DecompositionConfig.Preset)] = [
        ("kit-trained", trained.model, .paper),
        ("authors' model1", try Model.loadKeras(path: shared + "/models/authors/lstm_models/many_to_one/model1.h5"), .paper),
        ("authors' model1", try Model.loadKeras(path: shared + "/models/authors/lstm_models/many_to_one/model1.h5"), .authors),
    ]
    for (label, model, preset) in cases {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let result = try Decomposer(model: model, config: .preset(preset)).decompose(train: try LabeledData(clinc, split: "train"))
        let t1 = DispatchTime.now().uptimeNanoseconds
        let e = try DecompositionEvaluation.evaluate(model: model, modules: result.modules, test: try LabeledData(clinc, split: "test"), preset: preset)
        let t2 = DispatchTime.now().uptimeNanoseconds
        print("decompose Clinc M:1 LSTM-1 (\(label), \(preset.rawValue) preset): \(String(format: "%.2f", Double(t1 - t0) / 1e9)) s for "
              + "\(result.modules.count) modules, evaluate \(String(format: "%.2f", Double(t2 - t1) / 1e9)) s; total "
              + "\(String(format: "%.2f", Double(t2 - t0) / 1e9)) s (target < 10 s); MMA \(String(format: "%.4f", e.mma)), CMA \(String(format: "%.4f", e.cma)), δ \(String(format: "%+.2f", e.delta)) points")
    }
}

runTrainingBench(shared: shared, repeats: repeats, peerPython: peerPython)
runSyntheticTrainingBench()
for size in [EncoderDecoderSize.estonian, .tatoeba] { runEncoderDecoderBench(repeats: repeats, size: size) }
runTranslationDecompositionBench()
runDecodingBench()

/// Loading every real data set with the paper's recipe (sha256 check, parsing, tokenising,
/// padding), once: target under 30 s in total; then hashing every manifest file alone (what
/// `data verify` does). With `export`, each loaded set is also written there as `<name>.h5`.
func runCorporaBench(shared: String, export: String?) throws {
    let locator = DataLocator.standard(extraRoots: [URL(fileURLWithPath: shared + "/data")], environment: ProcessInfo.processInfo.environment)
    if let export { try FileManager.default.createDirectory(atPath: export, withIntermediateDirectories: true) }
    var totalLoad = 0.0
    for name in Corpora.realNames + (export == nil ? [] : ["tatoeba_estonian/s2"]) {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let d = try Corpora.load(name: name, profile: .paper, locator: locator)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        totalLoad += seconds
        print("load \(name): \(String(format: "%.2f", seconds)) s (train \(d.train.count), test \(d.test.count))")
        if let export {
            let path = URL(fileURLWithPath: export).appendingPathComponent(name.replacingOccurrences(of: "/", with: "_") + ".h5").path
            try DatasetFile.write(d, to: path)
            print("  wrote \(path)")
        }
    }
    print("load all real data sets: \(String(format: "%.2f", totalLoad)) s (target < 30 s)")
    let t0 = DispatchTime.now().uptimeNanoseconds
    var bytes = 0
    for name in Corpora.realNames {
        let m = try locator.manifests.manifest(named: name)
        try locator.verify(m)
        bytes += m.files.reduce(0) { $0 + $1.bytes }
    }
    print("sha256 of all \(bytes) manifest bytes: \(String(format: "%.3f", Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)) s")
}
