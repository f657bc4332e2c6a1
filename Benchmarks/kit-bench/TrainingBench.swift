// Training speed: samples/s of `Trainer.train` on Clinc M:1 (Embedding 50 → LSTM-k of 100 →
// Dense 10, batch 32, Adam), best epoch of N, beside tf.keras `fit` of the same architecture on
// the same data (Benchmarks/peer/tf_keras_fit.py, reading the kit's training set from an HDF5
// file) when a peer Python is given.

import Corpora
import Foundation
import RNNKit
import Zoo

func runTrainingBench(shared: String, repeats: Int, peerPython: String?) {
    let locator = DataLocator.standard(extraRoots: [URL(fileURLWithPath: shared).appendingPathComponent("data")], environment: ProcessInfo.processInfo.environment)
    let set: TrainingSet
    let vocab: Int
    let source: String
    if let clinc = try? Corpora.load(name: "clinc_oos", profile: .paper, locator: locator) {
        set = clinc.train.trainingSet(task: .manyToOne); vocab = clinc.vocabSize; source = "Clinc OOS train (15,000 × 15)"
    } else {
        // Same shapes on random tokens when the real data is absent.
        var rng = SeededRandom(seed: 1)
        let n = 15_000
        set = TrainingSet(inputs: ["input_1": Tensor(shape: [n, 15], data: (0..<(n * 15)).map { _ in Float(1 + rng.below(5530)) })],
                          labels: (0..<n).map { _ in Int32(rng.below(10)) })
        vocab = 5531; source = "random tokens shaped like Clinc (15,000 × 15; real data not found)"
    }
    let epochs = max(1, min(repeats, 3))
    print("train: \(source), batch 32, best of \(epochs) epochs")
    for layers in [1, 4] {
        do {
            let arch = Architecture(task: .manyToOne, cell: .lstm, layers: layers, vocabulary: vocab, classes: 10, inputLength: 15)
            let model = try arch.build().kerasInitialized(seed: 1)
            let warmup = TrainingSet(inputs: set.inputs.mapValues { $0.slice(batch: 0..<640) }, labels: Array(set.labels.prefix(640)))
            _ = try Trainer.train(model, on: warmup, configuration: TrainingConfiguration(epochs: 1))
            let out = try Trainer.train(model, on: set, configuration: TrainingConfiguration(epochs: epochs, batchSize: 32, seed: 1))
            let rate = out.epochs.map(\.samplesPerSecond).max() ?? 0
            print("train Clinc M:1 LSTM-\(layers): \(String(format: "%.0f", rate)) samples/s (epochs: " +
                  out.epochs.map { String(format: "%.2f s", $0.seconds) }.joined(separator: ", ") + ")")
            if let peerRate = trainingPeer(peerPython, layers: layers, vocab: vocab, set: set, repeats: epochs) {
                print("  kit / tf.keras fit = \(String(format: "%.2f", rate / peerRate))× (target > 1×)")
            }
        } catch {
            print("train Clinc M:1 LSTM-\(layers): failed: \(error)")
        }
    }
}

/// tf.keras `fit` samples/s on the same training set (`x`, `y` of an HDF5 file the kit writes),
/// or nil with the reason printed.
private func trainingPeer(_ python: String?, layers: Int, vocab: Int, set: TrainingSet, repeats: Int) -> Double? {
    guard let python, let x = set.inputs.values.first else { return nil }
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("peer/tf_keras_fit.py").path
    let data: String
    do {
        data = try writePeerFile("train-data", [("x", x.shape, x.data.map { Int32($0) }), ("y", [set.labels.count], set.labels)])
    } catch { print("  peer: could not write the training data: \(error)"); return nil }
    return runPeer(python, [script, "--data", data, "--cell", "lstm", "--layers", "\(layers)", "--vocab", "\(vocab)",
                            "--seed", "1", "--batch-size", "32", "--repeats", "\(repeats)"], label: "fit")
}

/// The sizes of an encoder-decoder training benchmark.
struct EncoderDecoderSize {
    var name: String, pairs: Int, steps: Int, units: Int, embed: Int, sourceVocab: Int, targetVocab: Int
    /// Chapter 6's Estonian problem (source vocabulary 3,632, target softmax 4,572).
    static let estonian = EncoderDecoderSize(name: "Estonian-sized", pairs: 3_200, steps: 20, units: 100, embed: 100, sourceVocab: 3_632, targetVocab: 4_572)
    /// The paper's Tatoeba models (chapters 2-5; source vocabulary 11,553, target softmax 30,000),
    /// the paper profile's bottleneck; fewer pairs, as each costs 6.6 times more.
    static let tatoeba = EncoderDecoderSize(name: "Tatoeba-sized", pairs: 640, steps: 20, units: 100, embed: 100, sourceVocab: 11_553, targetVocab: 30_000)
}

// An encoder-decoder's training step: LSTM-1, 100 units, embedding 100, batch 32, on seeded
// random sentences of 4–14 tokens, in GFLOP/s and as a share of this machine's float32 fma
// peak on all cores (GEMM.peakGFLOPS). FLOPs: 3× the forward pass's multiply-adds (forward,
// ∂input, ∂weights), counting both LSTMs and the output layer at the steps the loss counts.
func runEncoderDecoderBench(repeats: Int, size z: EncoderDecoderSize) {
    let (n, steps, units, embed, sourceVocab, targetVocab) = (z.pairs, z.steps, z.units, z.embed, z.sourceVocab, z.targetVocab)
    var rng = SeededRandom(seed: 1)
    var source = [Float](repeating: 0, count: n * steps), target = source, labels = [Int32](repeating: 0, count: n * steps)
    for i in 0..<n {
        let (ls, lt) = (4 + rng.below(11), 4 + rng.below(11))
        for t in 0..<ls { source[i * steps + t] = Float(1 + rng.below(sourceVocab - 1)) }
        for t in 0..<lt {
            let token = Int32(1 + rng.below(targetVocab - 1))
            target[i * steps + t] = Float(token)
            if t > 0 { labels[i * steps + t - 1] = token }
        }
    }
    let set = TrainingSet(inputs: ["source": Tensor(shape: [n, steps], data: source), "target": Tensor(shape: [n, steps], data: target)],
                          labels: labels, labelsPerExample: steps)
    // The recurrent layers run every step; the output layer only the steps the loss counts
    // (LossRows.swift). "Executed" counts what runs; "all rows" what a dense softmax over every
    // step would cost, the work a pair stands for.
    let countedSteps = Double(labels.lazy.filter { $0 != 0 }.count) / Double(n)
    let recurrent = 2.0 * Double(steps) * 2 * Double(4 * units * (embed + units))
    let forward = recurrent + 2.0 * countedSteps * Double(units * targetVocab)
    let allRows = recurrent + 2.0 * Double(steps) * Double(units * targetVocab)
    let label = "train encoder-decoder LSTM-1 (\(z.name), softmax \(targetVocab.formatted()), batch 32)"
    do {
        let arch = Architecture(task: .encoderDecoder, cell: .lstm, layers: 1, units: units, embed: embed, vocabulary: sourceVocab,
                                classes: targetVocab, inputLength: steps, outputSteps: steps, maskZero: true)
        let model = try arch.build().kerasInitialized(seed: 1)
        let epochs = max(1, min(repeats, 3))
        var config = TrainingConfiguration(epochs: epochs, batchSize: 32, seed: 1)
        config.ignoreLabel = 0
        let cpuBefore = processCPUSeconds()
        let out = try Trainer.train(model, on: set, configuration: config)
        let cpu = processCPUSeconds() - cpuBefore
        let rate = out.epochs.map(\.samplesPerSecond).max() ?? 0
        let (gflops, equivalent) = (3 * forward * rate / 1e9, 3 * allRows * rate / 1e9)
        let peak = GEMM.peakGFLOPS(workers: ProcessInfo.processInfo.activeProcessorCount)
        print("\(label): \(String(format: "%.0f", rate)) pairs/s, "
              + "\(String(format: "%.1f", gflops)) GFLOP/s executed = \(String(format: "%.0f", 100 * gflops / peak)) % of this machine's "
              + "fma peak \(String(format: "%.0f", peak)) GFLOP/s (target ≥ 50 %); \(String(format: "%.1f", equivalent)) GFLOP/s all-rows "
              + "equivalent (softmax at all \(steps) steps, \(String(format: "%.1f", countedSteps)) counted; epochs: "
              + out.epochs.map { String(format: "%.2f s", $0.seconds) }.joined(separator: ", ") + ")")
        // The same work against the CPU time it took, which other processes on the machine do
        // not inflate (wall time above does): per busy core, beside one core's peak by its thread clock.
        let perCore = 3 * forward * Double(n * epochs) / cpu / 1e9
        let corePeak = GEMM.shapeGFLOPS(transA: false, transB: false, m: 8, n: 8, k: 8, repeats: 1).peak
        print("  by CPU time: \(String(format: "%.1f", cpu)) CPU-s for \(epochs) epochs, \(String(format: "%.1f", perCore)) GFLOP/s per busy core "
              + "= \(String(format: "%.0f", 100 * perCore / corePeak)) % of one core's fma peak \(String(format: "%.0f", corePeak)) GFLOP/s (thread CPU time)")
        evaluationMemory(out.model, set, label: z.name)
    } catch {
        print("\(label): failed: \(error)")
    }
    // Where the step's time goes: the output layer's three products on one worker's share of a
    // batch's counted rows (batch 32 over the cores), each against one core's peak.
    let workers = max(1, min(32, ProcessInfo.processInfo.activeProcessorCount))
    let rows = Int((32 * countedSteps / Double(workers)).rounded())
    let shapes: [(String, Bool, Bool, Int, Int, Int)] = [
        ("logits X·W", false, false, rows, targetVocab, units),
        ("∂W = Xᵀ·P", true, false, units, targetVocab, rows),
        ("∂Xᵀ = W·Pᵀ", false, true, units, rows, targetVocab),
    ]
    let measured = shapes.map { name, ta, tb, m, n, k in
        (label: "\(name) [\(m)×\(n)×\(k)]", result: GEMM.shapeGFLOPS(transA: ta, transB: tb, m: m, n: n, k: k))
    }
    let parts = measured.map { "\($0.label) \(String(format: "%.0f", 100 * $0.result.gemm / $0.result.peak)) %" }
    print("  output-layer GEMMs (\(rows) counted rows per worker), share of one core's fma peak (thread CPU time): " + parts.joined(separator: ", "))
    // A trained ReLU head's probabilities can underflow into float32 subnormals, which reach ∂W's
    // product; on some CPUs an fma on one is a microcode assist, so ReLU training's cost depends
    // on the machine although its bits do not. Against the normal ∂W timed just above (shapes[1]).
    let normal = measured[1].result.gemm
    let slowdowns = [0.01, 0.1, 0.5].map { share in
        let g = GEMM.shapeGFLOPS(transA: true, transB: false, m: units, n: targetVocab, k: rows, subnormalShare: share).gemm
        return "\(String(format: "%.0f", 100 * share)) % → \(String(format: "%.1f", normal / g))×"
    }
    print("  ∂W = Xᵀ·P with a share of P subnormal, time against normal P (\(cpuModelName())): " + slowdowns.joined(separator: ", "))
}

/// The CPU's name as Linux reports it, for lines whose numbers depend on the model.
func cpuModelName() -> String {
    let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    let line = info.split(separator: "\n").first { $0.hasPrefix("model name") }
    return line?.split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces) ?? "CPU model unknown"
}

/// The trainer end to end on the embedded synthetic smoke tasks (what TrainerTests checks for
/// learning, timed here instead): 8 epochs, batch 32; target under 60 s each.
func runSyntheticTrainingBench() {
    for (task, cell) in [(Task.manyToOne, CellKind.lstm), (.manyToMany, .gru)] {
        do {
            let data = SyntheticTasks.make(task, profile: .smoke)
            let ignore = data.paddingLabel >= 0 ? data.paddingLabel : nil
            var arch = Architecture.paper(for: data, cell: cell, layers: 1, units: 24, embed: 16)
            arch.maskZero = arch.maskZero || task == .manyToMany
            let model = try arch.build().kerasInitialized(seed: 1)
            let t0 = DispatchTime.now().uptimeNanoseconds
            let out = try Trainer.train(model, on: data.train.trainingSet(task: task),
                                        configuration: TrainingConfiguration(epochs: 8, batchSize: 32, seed: 2, ignoreLabel: ignore))
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            print("train synthetic smoke \(task.rawValue) \(cell.rawValue)-1, 8 epochs: \(String(format: "%.1f", seconds)) s (target < 60 s), "
                  + "final loss \(String(format: "%.4f", out.epochs.last?.loss ?? .nan))")
        } catch {
            print("train synthetic smoke \(task.rawValue): failed: \(error)")
        }
    }
}

/// Peak memory of `Model.evaluate` on 4× and 16× the training pairs (memory must not grow with
/// the pairs: it is bounded by a chunk; the first run also pays for heap the allocator then
/// keeps, so the second may read lower; the kit once kept every
/// chunk's 30,000-way loss gradient and was OOM-killed on the paper's Tatoeba test set).
private func evaluationMemory(_ model: Model, _ set: TrainingSet, label: String) {
    func repeated(_ k: Int) -> TrainingSet {
        var inputs: [String: Tensor] = [:]
        for (name, t) in set.inputs { inputs[name] = Tensor(shape: [t.shape[0] * k] + t.shape.dropFirst(), data: Array([[Float]](repeating: t.data, count: k).joined())) }
        return TrainingSet(inputs: inputs, labels: Array([[Int32]](repeating: set.labels, count: k).joined()), labelsPerExample: set.labelsPerExample)
    }
    var parts: [String] = []
    for k in [4, 16] {
        let data = repeated(k)
        guard let before = peakResidentMB(reset: true) else { print("evaluate (\(label)): no /proc/self peak RSS here"); return }
        do {
            let e = try model.evaluate(data, ignoreLabel: 0)
            let peak = peakResidentMB(reset: false) ?? before
            parts.append("\(data.count.formatted()) pairs: peak RSS +\(String(format: "%.0f", peak - before)) MB (accuracy \(String(format: "%.4f", e.accuracy)))")
        } catch { print("evaluate (\(label)): failed: \(error)"); return }
    }
    print("evaluate \(label): " + parts.joined(separator: ", ") + " (target: no growth with the pairs)")
}

/// This process's peak resident memory (VmHWM) in MB; `reset` first resets it to the current
/// resident size (Linux's clear_refs 5).
func peakResidentMB(reset: Bool) -> Double? {
    if reset { guard (try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)) != nil else { return nil } }
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
    return kb / 1024
}

/// User plus system CPU time of this process so far (every thread), in seconds.
func processCPUSeconds() -> Double {
    var u = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u)
    return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
}
