import Metrics
import RNNKit

// MARK: - Concern modularization: removing units (channeling the output layer: Channeling.swift)
//
// Removing hidden unit n (hiddenState mode) zeroes column n + g·H of W, U and the bias for
// every gate block g, row n of U, and row n of the next trainable layer's input kernel.
// Removing gate unit j (perGate mode) zeroes column j of W, U and the bias: the gate is
// silenced, the hidden unit itself stays. Removal is final. In unrolled mode each time step
// has its own copy of the weights, edited with that step's removals. A Bidirectional's two
// directions are parts of their own (RecurrentPart): each loses its own units, and the next
// layer loses the rows of the merged features that became zero.

enum ModuleBuilder {
    /// Builds concern `c`'s module. `removals[i][s]` = units removed from recurrent part i
    /// (`anatomy.parts`) in step copy s (one copy when rolled, one per processing step when unrolled).
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
        let pruned = prune(model, parts: anatomy.parts, removals: removals, config: config)
        var m = pruned.model

        // Output layer: rows of the last recurrent layer's zeroed features, then channeling.
        let last = anatomy.recurrent.last!
        let outputCopies = anatomy.isManyOutput ? config.mode.copies(anatomy.steps.last!) : 1
        var full: [Dense.StepWeights] = []       // channeled, all K columns (for the Jaccard index)
        var slots: [Dense.StepWeights] = []      // exported head
        let ns = nonDominant(c, paddingLabel: paddingLabel, classes: anatomy.numClasses)
        let ids = classIDs(c, ns, paddingLabel)
        for s in 0..<outputCopies {
            var k = dense.kernel
            // Many-output: copy s reads output position s; one-output: the final output only.
            zeroRows(&k, pruned.zeroFeatures(last, anatomy.isManyOutput ? s : nil))
            let channeled = channel(kernel: k, bias: dense.bias, concern: c, nonDominant: ns, padding: paddingLabel)
            full.append(channeled)
            slots.append(Dense.StepWeights(kernel: selectColumns(channeled.kernel, ids), bias: selectColumns(channeled.bias, ids)))
        }
        dense.units = ids.count
        dense.kernel = slots[0].kernel; dense.bias = slots[0].bias
        dense.stepWeights = outputCopies > 1 ? slots : nil
        m.nodes[anatomy.output].layer = dense
        return try module(model, m, concern: c, classIDs: ids, parts: anatomy.parts, copies: pruned.copies,
                          outputNode: anatomy.output, outputs: full, removals: removals, config: config, sourceSHA256: sourceSHA256,
                          modelSet: modelSet)
    }

    /// The module value with its Jaccard indices: one per step copy (one when rolled),
    /// averaged, so an unrolled module is compared step by step with its model.
    static func module(_ original: Model, _ m: Model, concern c: Int, classIDs ids: [Int], parts: [RecurrentPart],
                       copies: [[Recurrent.StepWeights]], outputNode: Int, outputs: [Dense.StepWeights],
                       removals: [[[Int]]], config: DecompositionConfig, sourceSHA256: String,
                       modelSet: WeightValueSet? = nil) throws -> Module {
        let stepCount = max(copies.map(\.count).max() ?? 1, outputs.count)
        let a = modelSet ?? modelJaccardSet(original, parts: parts, outputNode: outputNode)
        var ji = 0.0, structural = 0.0
        for s in 0..<stepCount {
            let stepCopies = copies.map { $0[min(s, $0.count - 1)] }
            let b = moduleJaccardList(copies: stepCopies, output: outputs[min(s, outputs.count - 1)])
            ji += try a.authorsJaccard(with: WeightValueSet(b)) / Double(stepCount)
            let (ea, eb) = edgeLists(original, parts: parts, copies: stepCopies)
            structural += try structuralJaccard(model: ea, module: eb) / Double(stepCount)
        }
        var removedByLayer: [String: [[Int]]] = [:]
        for (i, part) in parts.enumerated() { removedByLayer[part.name(original)] = removals[i] }
        return Module(concern: c, classIDs: ids, model: m, mode: config.mode, config: config, removed: removedByLayer,
                      sourceModelSHA256: sourceSHA256, jaccard: ji, structuralJaccard: structural)
    }

    /// The recurrent parts `parts` (in order, each layer feeding the next) with their units
    /// removed; the first layer after the last one is left to the caller.
    struct Pruned {
        var model: Model
        var copies: [[Recurrent.StepWeights]]
        /// The output features of recurrent node `node` that are zero at output position p (nil:
        /// its final output) because the units computing them were removed: the rows the layer
        /// it feeds loses. None in perGate mode (gates go, units stay).
        var zeroFeatures: (_ node: Int, _ position: Int?) -> [Int]
    }

    static func prune(_ model: Model, parts: [RecurrentPart], removals: [[[Int]]], config: DecompositionConfig) -> Pruned {
        var m = model
        let perGate = config.gates == .perGate
        let unrolled = config.mode == .unrolled
        let layers = parts.map { $0.layer(model) }
        var copies: [[Recurrent.StepWeights]] = layers.indices.map { i in
            let r = layers[i]
            return (0..<config.mode.copies(parts[i].steps)).map { s in
                var w = r.sharedStepWeights
                let H = r.units, G = r.gateCount
                for u in removals[i][s] {
                    if perGate && G > 1 {
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
        let counts = copies.map(\.count)
        let zeroFeatures = { (node: Int, position: Int?) -> [Int] in
            let removed: [Set<Int>] = parts.indices.filter { parts[$0].node == node }.map { i in
                perGate && layers[i].gateCount > 1 ? [] : Set(removals[i][parts[i].copy(atOutput: position, copies: counts[i])])
            }
            return mergedZeros(model.nodes[node].layer, removed)
        }
        // Rows of the next recurrent layer's kernels: copy s of a part reads the input position it processes at s.
        let nodes = Array(Set(parts.map(\.node))).sorted()
        for i in parts.indices {
            guard let k = nodes.firstIndex(of: parts[i].node), k > 0 else { continue }
            for s in copies[i].indices {
                let p = parts[i].inputPosition(atStep: unrolled ? s : 0, model)
                zeroRows(&copies[i][s].kernel, zeroFeatures(nodes[k - 1], p))
            }
        }
        for (i, part) in parts.enumerated() {
            var r = layers[i]
            if unrolled { r.stepWeights = copies[i] } else { r.setWeights(stepWeightList(copies[i][0])) }
            part.set(r, in: &m)
        }
        return Pruned(model: m, copies: copies, zeroFeatures: zeroFeatures)
    }

    /// The features of a recurrent layer's output that are identically zero, given each part's
    /// removed units (a removed unit's state is 0). A Bidirectional's merge mode decides: concat
    /// places the backward units after the forward ones; a sum or mean is zero where both
    /// directions lost the unit; a product where either did.
    static func mergedZeros(_ layer: any Layer, _ removed: [Set<Int>]) -> [Int] {
        guard let b = layer as? Bidirectional, removed.count == 2 else { return removed.first.map { $0.sorted() } ?? [] }
        let (f, r) = (removed[0], removed[1])
        switch b.mergeMode {
        case .concat?: return f.sorted() + r.map { $0 + b.forwardLayer.units }.sorted()
        case .sum?, .ave?: return f.intersection(r).sorted()
        case .mul?: return f.union(r).sorted()
        case nil: return []      // refused by ModelAnatomy
        }
    }

    /// The authors' Jaccard lists (ALGORITHMS.md §2b item 8): every recurrent input kernel W
    /// and the (channeled, all-K-columns) output kernel, model against module. Channeling alone
    /// lowers it: it is below 1 even when no unit is removed.
    /// The model's list is the same for every module and step: its value set is sorted once.
    static func modelJaccardSet(_ model: Model, parts: [RecurrentPart], outputNode: Int) -> WeightValueSet {
        var a: [Float] = []
        for part in parts { a += part.layer(model).kernel.data }
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
    static func edgeLists(_ model: Model, parts: [RecurrentPart], copies: [Recurrent.StepWeights]) -> ([Float], [Float]) {
        var a: [Float] = [], b: [Float] = []
        for (i, part) in parts.enumerated() {
            let r = part.layer(model)
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
