import Foundation

/// How a model is trained: Keras's `fit` with Adam and categorical cross-entropy.
public struct TrainingConfiguration: Sendable, Codable, Equatable {
    public var epochs: Int = 5
    public var batchSize: Int = 32
    /// Seeds shuffling and dropout (initial weights come from `Model.kerasInitialized(seed:)`).
    public var seed: UInt64 = 1
    public var shuffle: Bool = true
    /// Targets with this label take no part in loss or accuracy (e.g. 0 = padding).
    public var ignoreLabel: Int? = nil
    public var adam = AdamConfiguration()
    /// Every batch is cut into this many contiguous shards whose gradients are summed in shard
    /// order; shards run on separate cores when there are any. A fixed count, not the core
    /// count, so a seed gives the same weights on any machine (the GEMM has one order of arithmetic).
    public var shards: Int = 2

    public init(epochs: Int = 5, batchSize: Int = 32, seed: UInt64 = 1, shuffle: Bool = true, ignoreLabel: Int? = nil) {
        self.epochs = epochs; self.batchSize = batchSize; self.seed = seed; self.shuffle = shuffle; self.ignoreLabel = ignoreLabel
    }
}

/// Training examples: each model input's rows (`[N, …]`, token ids as floats, as `predict`
/// takes them) and integer labels, `[N]` or `[N, T]` row-major (`labelsPerExample` = T).
public struct TrainingSet: Sendable {
    public var inputs: [String: Tensor]
    public var labels: [Int32]
    public var labelsPerExample: Int

    public init(inputs: [String: Tensor], labels: [Int32], labelsPerExample: Int = 1) {
        self.inputs = inputs; self.labels = labels; self.labelsPerExample = labelsPerExample
    }

    public var count: Int { labelsPerExample == 0 ? 0 : labels.count / labelsPerExample }
}

/// One epoch: mean loss over its counted targets, accuracy, throughput.
public struct EpochReport: Sendable, Codable, Equatable {
    public var epoch: Int
    public var loss: Double
    public var accuracy: Double
    public var samples: Int
    public var seconds: Double
    public var samplesPerSecond: Double { seconds > 0 ? Double(samples) / seconds : 0 }
}

public struct TrainingOutcome: Sendable {
    /// The trained model (float32 weights).
    public var model: Model
    public var epochs: [EpochReport]
    public var seconds: Double { epochs.reduce(0) { $0 + $1.seconds } }
}

/// Mini-batch training in float32, batched with GEMMs, each batch's shards in parallel.
/// Same model, data, configuration and seed → bit-identical weights on any machine.
public enum Trainer {
    public static func train(_ model: Model, on data: TrainingSet, configuration c: TrainingConfiguration,
                             progress: ((EpochReport) -> Void)? = nil) throws -> TrainingOutcome {
        try train(model, on: data, configuration: c, lazyTables: true, progress: progress)
    }

    /// `lazyTables: false` updates every table densely each step: the reference the lazy
    /// update must match bit for bit (tests).
    static func train(_ model: Model, on data: TrainingSet, configuration c: TrainingConfiguration, lazyTables lazy: Bool,
                      progress: ((EpochReport) -> Void)? = nil) throws -> TrainingOutcome {
        try check(model, data, c)
        var graphs = [try TrainingGraph<Float>(model: model)]
        for _ in 1..<c.shards { graphs.append(try graphs[0].replica()) }
        // Tables fed by a model input are updated lazily: each batch's ids are announced first.
        let tables = lazy ? graphs[0].tablesReadingInputs : []
        let adam = Adam(weights: graphs[0].weights, configuration: c.adam, lazyTables: Set(tables.map(\.weight)))
        let workers = min(c.shards, ProcessInfo.processInfo.activeProcessorCount)
        let n = data.count
        let batches = Array(stride(from: 0, to: n, by: c.batchSize))
        var reports: [EpochReport] = []

        for epoch in stride(from: 1, through: c.epochs, by: 1) {
            let started = DispatchTime.now().uptimeNanoseconds
            var order = Array(0..<n)
            if c.shuffle { var rng = SeededRandom(seed: c.seed, salt: UInt64(epoch)); rng.shuffle(&order) }
            var (lossSum, correct, counted) = (0.0, 0, 0)
            for (b, start) in batches.enumerated() {
                let rows = Array(order[start..<min(start + c.batchSize, n)])
                var stepRandom = SeededRandom(seed: c.seed, salt: UInt64(epoch) << 32 | UInt64(b))
                for table in tables { adam.catchUp(table: table.weight, rows: ids(data.inputs[table.input], rows), workers: workers) }
                let done = try runShards(graphs, data, rows: rows, seed: stepRandom.next(), ignoreLabel: c.ignoreLabel, workers: workers)
                let batchCounted = done.reduce(0) { $0 + $1.counted }
                lossSum += done.reduce(0) { $0 + $1.lossSum }
                correct += done.reduce(0) { $0 + $1.correct }
                counted += batchCounted
                guard batchCounted > 0 else { continue }
                adam.update(gradients: graphs.prefix(done.count).map(\.parameters), scale: 1 / Float(batchCounted), workers: workers)
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            let report = EpochReport(epoch: epoch, loss: counted > 0 ? lossSum / Double(counted) : 0,
                                     accuracy: counted > 0 ? Double(correct) / Double(counted) : 0, samples: n, seconds: seconds)
            reports.append(report)
            progress?(report)
        }
        adam.flush(workers: workers)
        return TrainingOutcome(model: graphs[0].exportModel(), epochs: reports)
    }

    /// The token ids of `rows` of an input, truncated toward zero as the embedding reads them
    /// (values it would reject are passed on; `catchUp` skips them).
    private static func ids(_ t: Tensor?, _ rows: [Int]) -> [Int] {
        guard let t, let n = t.shape.first, n > 0 else { return [] }
        let width = t.data.count / n
        var out: [Int] = []
        out.reserveCapacity(rows.count * width)
        for r in rows {
            for v in t.data[(r * width)..<((r + 1) * width)] {
                let id = v.rounded(.towardZero)
                out.append(id >= 0 && id < 2_147_483_647 ? Int(id) : -1)
            }
        }
        return out
    }

    /// One batch: its rows cut into contiguous shards, shard s on replica s (in parallel when
    /// there are cores), each with seed `seed + s`. Results come back in shard order.
    private static func runShards(_ graphs: [TrainingGraph<Float>], _ data: TrainingSet, rows: [Int], seed: UInt64,
                                  ignoreLabel: Int?, workers: Int) throws -> [CrossEntropyResult<Float>] {
        let parts = shardRanges(rows.count, graphs.count)
        var results = [Result<CrossEntropyResult<Float>, Error>?](repeating: nil, count: parts.count)
        let run = { (s: Int) in
            Result { try step(graphs[s], data, rows: Array(rows[parts[s]]), seed: seed &+ UInt64(s), ignoreLabel: ignoreLabel) }
        }
        if workers > 1, parts.count > 1 {
            // Each shard writes only its own slot.
            results.withUnsafeMutableBufferPointer { slots in
                DispatchQueue.concurrentPerform(iterations: parts.count) { s in slots[s] = run(s) }
            }
        } else {
            for s in parts.indices { results[s] = run(s) }
        }
        return try results.map { try $0!.get() }
    }

    /// Forward, loss and backward of one shard; the gradients stay in the graph's parameters.
    private static func step(_ graph: TrainingGraph<Float>, _ data: TrainingSet, rows: [Int], seed: UInt64,
                             ignoreLabel: Int?) throws -> CrossEntropyResult<Float> {
        graph.zeroGradients()
        var inputs: [String: Batch<Float>] = [:]
        for (name, t) in data.inputs { inputs[name] = Batch(gather(t, rows)) }
        let per = data.labelsPerExample
        var labels: [Int32] = []
        labels.reserveCapacity(rows.count * per)
        for r in rows { labels += data.labels[(r * per)..<((r + 1) * per)] }
        let outputs = try graph.forward(inputs, context: ForwardContext(training: true, seed: seed,
                                                                        lossRows: LossRows(labels: labels, ignoreLabel: ignoreLabel),
                                                                        headEvaluatesLoss: true))
        let others = [[Float]?](repeating: nil, count: outputs.count - 1)
        if let loss = try graph.headLoss(labels: labels) {
            graph.backward([[]] + others)
            return loss
        }
        let loss = try SoftmaxCrossEntropy.evaluate(outputs[0], labels: labels, ignoreLabel: ignoreLabel, wrtLogits: graph.fusesSoftmaxLoss)
        graph.backward([loss.gradient] + others)
        return loss
    }

    /// Contiguous, nearly equal parts of 0..<count (empty parts dropped).
    static func shardRanges(_ count: Int, _ shards: Int) -> [Range<Int>] {
        (0..<shards).map { s in (s * count / shards)..<((s + 1) * count / shards) }.filter { !$0.isEmpty }
    }

    /// Rows `rows` of `t` along the first axis.
    static func gather(_ t: Tensor, _ rows: [Int]) -> Tensor {
        let width = t.shape.dropFirst().reduce(1, *)
        var data = [Float](); data.reserveCapacity(rows.count * width)
        for r in rows { data += t.data[(r * width)..<((r + 1) * width)] }
        return Tensor(shape: [rows.count] + t.shape.dropFirst(), data: data)
    }

    private static func check(_ model: Model, _ data: TrainingSet, _ c: TrainingConfiguration) throws {
        guard c.batchSize > 0, c.epochs >= 0, c.shards > 0 else {
            throw RNNKitError.invalidConfig("training needs a positive batch size and shard count and epochs ≥ 0")
        }
        guard data.labelsPerExample > 0, data.labels.count % data.labelsPerExample == 0 else {
            throw RNNKitError.batchMismatch("\(data.labels.count) labels are not whole rows of \(data.labelsPerExample)")
        }
        for i in model.inputs {
            guard let t = data.inputs[i.name] else { throw RNNKitError.missingInput(name: i.name, source: "the training set") }
            guard t.shape.first == data.count else {
                throw RNNKitError.batchMismatch("input \(i.name) has \(t.shape.first ?? 0) rows, the labels \(data.count)")
            }
        }
    }
}
