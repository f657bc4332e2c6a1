import Foundation
import Testing
@testable import Decomposition
import RNNKit

/// Monitoring runs one forward pass per chunk of sampled rows, for every concern at once, and
/// taps only the recurrent layers identification reads.
struct MonitoringPassTests {
    /// Counts the passes and records what each tapped, then runs `inner`.
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var taps: [Set<String>] = []
        var passes: [Set<String>] { lock.lock(); defer { lock.unlock() }; return taps }
        func pass(_ inner: @escaping MonitorPass) -> MonitorPass {
            { m, x, layers, precision in
                self.lock.lock(); self.taps.append(layers); self.lock.unlock()
                return try inner(m, x, layers, precision)
            }
        }
    }

    /// The pass monitoring used before tapping: every layer, the output softmax included.
    static let everyTap: MonitorPass = { m, x, _, precision in try m.predict(x, taps: true, precision: precision) }

    static func chunks(_ rows: Int) -> Int { (rows + Monitor.chunkRows - 1) / Monitor.chunkRows }

    @Test("classification: one pass per chunk of the union of all concerns' rows, tapping the recurrent layers only",
          arguments: [(200, DecompositionConfig.Mode.rolled), (2600, .unrolled)])
    func classification(count: Int, mode: DecompositionConfig.Mode) throws {
        let m = try Tiny.model(.lstm, depth: 2)
        let data = try Tiny.data(count: count)
        var c = DecompositionConfig.paper
        c.mode = mode
        let counter = Counter()
        var d = Decomposer(model: m, config: c)
        d.monitorPass = counter.pass(Monitor.modelPass)
        let result = try d.decompose(train: data)
        let rows = Set(result.observations.flatMap { $0.flatMap { $0.samples.positives + $0.samples.negatives } }).count
        #expect(counter.passes.count == Self.chunks(rows) && (count < 1024 || counter.passes.count > 1), "\(rows) rows")
        #expect(counter.passes.allSatisfy { $0 == ["rnn0", "rnn1"] })
        var reference = Decomposer(model: m, config: c)
        reference.monitorPass = Self.everyTap
        let old = try reference.decompose(train: data)
        #expect(result.observations == old.observations)
        #expect(result.modules.map(\.removed) == old.modules.map(\.removed))
    }

    /// Decoder observations as decomposeTranslation made them before one-pass monitoring: per
    /// language, one full forward (every tap) over the positives and one over the negatives.
    static func twoPassObservations(_ m: Model, _ data: TranslationData, _ samples: ConcernSamples, config: DecompositionConfig) throws -> ConcernObservations {
        let (decoderLayer, T) = ("decoder", data.steps)
        let r = try #require(m.node(named: decoderLayer)?.layer as? Recurrent)
        let perGate = config.gates == .perGate
        let units = perGate ? r.gateCount * r.units : r.units
        func take(_ idx: [Int]) throws -> [[Float]] {
            let (s, t) = data.rows(idx)
            let f = try m.predict(["source": s, "target": t], taps: true)
            let v = perGate ? f.gates[r.name]! : f.hidden[r.name]!
            return (0..<T).map { step in
                var out: [Float] = []
                for b in 0..<t.shape[0] where t.data[b * T + step] != 0 { out += v.data[((b * T + step) * units)..<((b * T + step + 1) * units)] }
                return out
            }
        }
        return ConcernObservations(samples: samples, layers: [
            LayerObservations(layer: r.name, units: units, steps: Array(0..<T), positive: try take(samples.positives), negative: try take(samples.negatives)),
        ])
    }

    @Test("translation: one pass for every language, tapping the decoder only; the observations of two passes per language",
          arguments: [DecompositionConfig.GateStrategy.hiddenState, .perGate], [nil, [2, 0]])
    func translation(gates: DecompositionConfig.GateStrategy, languages: [Int]?) throws {
        let (m, train, _) = try TranslationTests().setUp()
        var c = DecompositionConfig.paper
        c.gates = gates; c.samplesPerClass = 150
        let counter = Counter()
        var d = Decomposer(model: m, config: c)
        d.monitorPass = counter.pass(Monitor.modelPass)
        let result = try d.decomposeTranslation(train: train, languages: languages)
        let chosen = languages ?? Array(train.languages.indices)
        #expect(result.modules.map(\.concern) == chosen)
        let rows = Set(result.observations.flatMap { $0.flatMap { $0.samples.positives + $0.samples.negatives } }).count
        #expect(counter.passes.count == Self.chunks(rows) && counter.passes.allSatisfy { $0 == ["decoder"] }, "\(rows) rows")
        let view = try LabeledData(x: train.source, labels: train.language, numClasses: train.languages.count)
        let reference = try chosen.map { l in
            [try Self.twoPassObservations(m, train, try Sampler.samples(view, concern: l, step: nil, config: c), config: c)]
        }
        #expect(result.observations == reference)
    }
}
