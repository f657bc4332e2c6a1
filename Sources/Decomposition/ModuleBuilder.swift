import Metrics
import RNNKit

// MARK: - Concern modularization: removing units (channeling the output layer: Channeling.swift)
//
// Removing hidden unit n (hiddenState mode) zeroes column n + g·H of W, U and the bias for
// every gate block g, row n of U, and row n of the next trainable layer's input kernel.
// Removing gate unit j (perGate mode) zeroes column j of W, U and the bias: the gate is
// silenced, the hidden unit itself stays. Removal is final. In unrolled mode each time step
// has its own copy of the weights, edited with that step's removals.

enum ModuleBuilder {
    /// Builds concern `c`'s module. `removals[i][s]` = units removed from recurrent layer i in
    /// step copy s (one copy when rolled, one per time step when unrolled).
    /// `modelSet`: the model's side of the Jaccard index (`modelJaccardSet`), the same for every
    /// module and cap of one decomposition — pass it to build it once.
    static func build(_ model: Model, _ anatomy: ModelAnatomy, concern c: Int, removals: [[[Int]]],
                      config: DecompositionConfig, paddingLabel: Int?, sourceSHA256: String,
                      modelSet: WeightValueSet? = nil) throws -> Module {
        // Softmax heads in the Dense or in a layer after it, and logits, channel alike: the head's
        // own activation layer (if any) stays in the module, so the module computes as the model.
        guard var dense = model.nodes[anatomy.output].layer as? Dense, anatomy.head != .sigmoid else {
            throw DecompositionError.unsupportedModel("a sigmoid (multi-label) head is decomposed per label (Decomposer.decomposeMultiLabel)")
        }
        let pruned = prune(model, recurrent: anatomy.recurrent, steps: anatomy.steps, removals: removals, config: config)
        var m = pruned.model

        // Output layer: rows of the last recurrent layer's removed units, then channeling.
        let last = anatomy.recurrent.count - 1
        let outputCopies = anatomy.isManyOutput ? config.mode.copies(anatomy.steps[last]) : 1
        var full: [Dense.StepWeights] = []       // channeled, all K columns (for the Jaccard index)
        var slots: [Dense.StepWeights] = []      // exported head
        let ns = nonDominant(c, paddingLabel: paddingLabel, classes: anatomy.numClasses)
        let ids = classIDs(c, ns, paddingLabel)
        for s in 0..<outputCopies {
            var k = dense.kernel
            // One-output unrolled: the output reads the last step only.
            zeroRows(&k, pruned.hiddenRemoved(last, anatomy.isManyOutput ? s : config.mode.copies(anatomy.steps[last]) - 1))
            let channeled = channel(kernel: k, bias: dense.bias, concern: c, nonDominant: ns, padding: paddingLabel)
            full.append(channeled)
            slots.append(Dense.StepWeights(kernel: selectColumns(channeled.kernel, ids), bias: selectColumns(channeled.bias, ids)))
        }
        dense.units = ids.count
        dense.kernel = slots[0].kernel; dense.bias = slots[0].bias
        dense.stepWeights = outputCopies > 1 ? slots : nil
        m.nodes[anatomy.output].layer = dense
        return try module(model, m, concern: c, classIDs: ids, recurrent: anatomy.recurrent, copies: pruned.copies,
                          outputNode: anatomy.output, outputs: full, removals: removals, config: config, sourceSHA256: sourceSHA256,
                          modelSet: modelSet)
    }

    /// The module value with its Jaccard indices: one per step copy (one when rolled),
    /// averaged, so an unrolled module is compared step by step with its model.
    static func module(_ original: Model, _ m: Model, concern c: Int, classIDs ids: [Int], recurrent: [Int],
                       copies: [[Recurrent.StepWeights]], outputNode: Int, outputs: [Dense.StepWeights],
                       removals: [[[Int]]], config: DecompositionConfig, sourceSHA256: String,
                       modelSet: WeightValueSet? = nil) throws -> Module {
        let stepCount = max(copies.map(\.count).max() ?? 1, outputs.count)
        let a = modelSet ?? modelJaccardSet(original, recurrent: recurrent, outputNode: outputNode)
        var ji = 0.0, structural = 0.0
        for s in 0..<stepCount {
            let stepCopies = copies.map { $0[min(s, $0.count - 1)] }
            let b = moduleJaccardList(copies: stepCopies, output: outputs[min(s, outputs.count - 1)])
            ji += try a.authorsJaccard(with: WeightValueSet(b)) / Double(stepCount)
            let (ea, eb) = edgeLists(original, recurrent: recurrent, copies: stepCopies)
            structural += try structuralJaccard(model: ea, module: eb) / Double(stepCount)
        }
        var removedByLayer: [String: [[Int]]] = [:]
        for (i, node) in recurrent.enumerated() { removedByLayer[original.nodes[node].layer.name] = removals[i] }
        return Module(concern: c, classIDs: ids, model: m, mode: config.mode, config: config, removed: removedByLayer,
                      sourceModelSHA256: sourceSHA256, jaccard: ji, structuralJaccard: structural)
    }

    /// The recurrent layers `recurrent` (node indices, in order, each feeding the next) with
    /// their units removed; the first layer after the last one is left to the caller.
    struct Pruned {
        var model: Model
        var copies: [[Recurrent.StepWeights]]
        /// Hidden units removed from layer i in copy s (none in perGate mode: gates go, units stay).
        var hiddenRemoved: (Int, Int) -> [Int]
    }

    static func prune(_ model: Model, recurrent: [Int], steps: [Int], removals: [[[Int]]], config: DecompositionConfig) -> Pruned {
        var m = model
        let perGate = config.gates == .perGate
        let unrolled = config.mode == .unrolled
        let layers = recurrent.map { model.nodes[$0].layer as! Recurrent }
        var copies: [[Recurrent.StepWeights]] = layers.indices.map { i in
            let r = layers[i]
            return (0..<config.mode.copies(steps[i])).map { s in
                var w = r.sharedStepWeights
                let H = r.units, G = r.gateCount
                for u in removals[i][s] {
                    if perGate && r.cell != .simple {
                        zeroColumns(&w.kernel, [u]); zeroColumns(&w.recurrentKernel, [u]); zeroColumns(&w.bias, [u])
                    } else {
                        let cols = (0..<G).map { u + $0 * H }
                        zeroColumns(&w.kernel, cols); zeroColumns(&w.recurrentKernel, cols); zeroColumns(&w.bias, cols)
                        zeroRows(&w.recurrentKernel, [u])
                    }
                }
                return w
            }
        }
        let hiddenRemoved = { (i: Int, s: Int) -> [Int] in perGate && layers[i].cell != .simple ? [] : removals[i][s] }
        // Rows of the next recurrent layer's kernel.
        for i in layers.indices.dropLast() {
            for s in copies[i + 1].indices { zeroRows(&copies[i + 1][s].kernel, hiddenRemoved(i, min(s, copies[i].count - 1))) }
        }
        for (i, node) in recurrent.enumerated() {
            var r = layers[i]
            if unrolled { r.stepWeights = copies[i] } else { r.setWeights(stepWeightList(copies[i][0])) }
            m.nodes[node].layer = r
        }
        return Pruned(model: m, copies: copies, hiddenRemoved: hiddenRemoved)
    }

    /// The authors' Jaccard lists (ALGORITHMS.md §2b item 8): every recurrent input kernel W
    /// and the (channeled, all-K-columns) output kernel, model against module. Channeling alone
    /// lowers it: it is below 1 even when no unit is removed.
    /// The model's list is the same for every module and step: its value set is sorted once.
    static func modelJaccardSet(_ model: Model, recurrent: [Int], outputNode: Int) -> WeightValueSet {
        var a: [Float] = []
        for node in recurrent { a += (model.nodes[node].layer as! Recurrent).kernel.data }
        a += (model.nodes[outputNode].layer as! Dense).kernel.data
        return WeightValueSet(a)
    }

    static func moduleJaccardList(copies: [Recurrent.StepWeights], output: Dense.StepWeights) -> [Float] {
        var b: [Float] = []
        for c in copies { b += c.kernel.data }
        b += output.kernel.data
        return b
    }

    /// Our structural lists: the recurrent layers' connections (W and U), whose removal is
    /// what decomposition does; the channeled head is left out, so keeping every unit gives 1.
    static func edgeLists(_ model: Model, recurrent: [Int], copies: [Recurrent.StepWeights]) -> ([Float], [Float]) {
        var a: [Float] = [], b: [Float] = []
        for (i, node) in recurrent.enumerated() {
            let r = model.nodes[node].layer as! Recurrent
            a += r.kernel.data + r.recurrentKernel.data
            b += copies[i].kernel.data + copies[i].recurrentKernel.data
        }
        return (a, b)
    }

    static func stepWeightList(_ w: Recurrent.StepWeights) -> [Tensor] { [w.kernel, w.recurrentKernel, w.bias] }

    /// Zeroes columns of a `[R, C]` matrix, or entries of a vector, or columns of each row of
    /// a `[2, C]` GRU bias (the last axis is the column axis in every case).
    static func zeroColumns(_ t: inout Tensor, _ cols: [Int]) {
        let c = t.shape.last!
        for r in 0..<(t.count / c) { for j in cols { t.data[r * c + j] = 0 } }
    }

    static func zeroRows(_ t: inout Tensor, _ rows: [Int]) {
        let c = t.shape.last!
        for r in rows { for j in 0..<c { t.data[r * c + j] = 0 } }
    }

    /// Columns `ids` of a `[R, K]` matrix (or entries of a `[K]` vector), in that order.
    static func selectColumns(_ t: Tensor, _ ids: [Int]) -> Tensor {
        let k = t.shape.last!
        let rows = t.count / k
        var out = [Float](); out.reserveCapacity(rows * ids.count)
        for r in 0..<rows { for j in ids { out.append(t.data[r * k + j]) } }
        return Tensor(shape: Array(t.shape.dropLast()) + [ids.count], data: out)
    }
}
