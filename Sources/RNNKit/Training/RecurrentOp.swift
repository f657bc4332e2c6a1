// MARK: - Recurrent layers in training (B batch, T steps, D inputs, H units, G gates, GH = G·H)
//
// Inside the op everything is time-major ([T, B, ·]) so a step's rows are contiguous.
// forward:  Z = X·W + b_in for all steps in one GEMM; per step the cell's forward step (Cells/,
//           the one inference runs too) adds h_{t-1}·U and activates in place, so Z ends up
//           holding the activated gates. A masked row keeps its state (h, c) and repeats its
//           previous output (zero before its first real step), exactly as Keras's
//           `backend.rnn` (and the kit's inference) does.
// backward: back-propagation through time carrying ∂h, ∂c and ∂out (the gradient reaching the
//           repeated output). At an unmasked step the cell's backward step receives
//           g = ∂h + ∂out and returns the pre-activation gradients dZ_t (input side) and dR_t
//           (recurrent side; differs from dZ_t only with a recurrent bias row) and ∂h_{t-1},
//           ∂c_{t-1}; at a masked step the carries pass unchanged. Then ∂W = Xᵀ·dZ, ∂U as the
//           cell says (H_prevᵀ·dR), ∂b = Σ dZ, ∂X = dZ·Wᵀ: GEMMs over all T·B rows. Leftover
//           carries are the gradients of the initial states.
// go_backwards: the op runs on the steps in reverse (step t of the run is input step T-1-t);
// only the copies in and out of the time-major caches know it. zero_output_for_mask: a masked
// row outputs zeros, so no gradient flows through it to the output it would have repeated.

final class RecurrentOp<S: TrainScalar>: TrainOp {
    let layer: Recurrent
    let kernel: Parameter<S>
    let recurrentKernel: Parameter<S>
    let bias: Parameter<S>?
    let H: Int, GH: Int
    /// The cell's answers, asked once: whether it carries c, and has a recurrent bias row.
    let carriesC: Bool, hasRecurrentBias: Bool
    var B = 0, T = 0, D = 0
    var mask: [Bool]? = nil             // in run order
    var initialStateCount = 0

    // Forward caches, time-major.
    let xs = Storage<S>(count: 0)       // [T, B, D] inputs
    let z = Storage<S>(count: 0)        // [T, B, GH] activated gates
    let hs = Storage<S>(count: 0)       // [T+1, B, H]: hs[0] initial state, hs[t+1] state after step t
    let cs = Storage<S>(count: 0)       // LSTM cell states, same layout
    let aux = Storage<S>(count: 0)      // [T, B, H]: LSTM act(c_t); GRU r⊙h_{t-1} (classic) or h_{t-1}·U_h + b_rec (reset_after)
    let scratch = Storage<S>(count: 0)  // [B, GH]

    // Backward buffers.
    let dZ = Storage<S>(count: 0), dR = Storage<S>(count: 0)       // [T, B, GH]
    let dh = Storage<S>(count: 0), dc = Storage<S>(count: 0), dout = Storage<S>(count: 0)
    let g = Storage<S>(count: 0), gc = Storage<S>(count: 0)         // this step's ∂h_t, ∂c_t   [B, H]
    let dhPrev = Storage<S>(count: 0), dcPrev = Storage<S>(count: 0)
    /// Uᵀ [GH, H], made once per backward pass: each step's ∂h_{t-1} = dZ_t·Uᵀ then reads it in
    /// place, where a transposed operand would be re-packed at every step (same bits either way).
    let ut = Storage<S>(count: 0)

    init(_ layer: Recurrent, kernel: Weight<S>, recurrentKernel: Weight<S>, bias: Weight<S>?) throws {
        for a in [layer.activation, layer.recurrentActivation] where !a.isTrainable || a == .softmax {
            throw RNNKitError.unsupportedOption(layer: layer.name, option: "activation for training", value: a.rawValue)
        }
        self.layer = layer
        self.kernel = Parameter(kernel); self.recurrentKernel = Parameter(recurrentKernel); self.bias = bias.map { Parameter($0) }
        H = layer.units; GH = layer.cell.gates * layer.units
        carriesC = layer.cell.stateCount > 1; hasRecurrentBias = layer.cell.hasRecurrentBias
    }

    var parameters: [Parameter<S>] { [kernel, recurrentKernel] + (bias.map { [$0] } ?? []) }
    var W: UnsafeMutablePointer<S> { kernel.value }
    var U: UnsafeMutablePointer<S> { recurrentKernel.value }
    var Ut: UnsafeMutablePointer<S> { ut.p }

    /// The input step run step t reads.
    @inline(__always) func inputStep(_ t: Int) -> Int { layer.goBackwards ? T - 1 - t : t }
    @inline(__always) func isReal(_ r: Int, _ t: Int) -> Bool { mask?[r * T + t] ?? true }

    // MARK: forward

    func forward(_ inputs: [Batch<S>], context: ForwardContext) throws -> [Batch<S>] {
        let x = inputs[0]
        guard x.shape.count == 3, x.shape[2] == layer.kernel.shape[0] else {
            throw RNNKitError.inputShapeMismatch(layer: layer.name, expected: "[batch, time, \(layer.kernel.shape[0])]", found: x.shape)
        }
        (B, T, D) = (x.shape[0], x.shape[1], x.shape[2])
        mask = layer.goBackwards ? x.mask.map { reversedSteps($0, batch: B, steps: T, width: 1) } : x.mask
        let states = inputs.dropFirst()
        guard states.isEmpty || states.count == layer.stateCount else {
            throw RNNKitError.inputShapeMismatch(layer: layer.name, expected: "\(layer.stateCount) initial state tensor(s)", found: [states.count])
        }
        for s in states where s.shape != [B, H] {
            throw RNNKitError.inputShapeMismatch(layer: layer.name, expected: "initial state [\(B), \(H)]", found: s.shape)
        }
        initialStateCount = states.count
        let BH = B * H

        xs.reserve(T * B * D)
        x.data.withUnsafeBufferPointer { src in
            for b in 0..<B { for t in 0..<T { (xs.p + (t * B + b) * D).update(from: src.baseAddress! + (b * T + inputStep(t)) * D, count: D) } }
        }
        // Input projection of every step, input bias first.
        z.reserve(T * B * GH)
        if let bias { for r in 0..<(T * B) { (z.p + r * GH).update(from: bias.value, count: GH) } } else { z.zero() }
        gemm(m: T * B, n: GH, k: D, a: xs.p, lda: D, b: W, ldb: GH, c: z.p, ldc: GH, beta: 1)

        hs.reserve((T + 1) * BH)
        if let h0 = states.first { h0.data.withUnsafeBufferPointer { hs.p.update(from: $0.baseAddress!, count: BH) } } else { hs.p.update(repeating: 0, count: BH) }
        if carriesC {
            cs.reserve((T + 1) * BH)
            if states.count > 1 { states.last!.data.withUnsafeBufferPointer { cs.p.update(from: $0.baseAddress!, count: BH) } } else { cs.p.update(repeating: 0, count: BH) }
        }
        aux.reserve(T * BH)
        scratch.reserve(B * GH)

        var out = [S](repeating: 0, count: BH)
        var seq = [S](repeating: 0, count: layer.returnSequences ? B * T * H : 0)
        let act = TrainingActivations<S>()
        let recurrentBias = hasRecurrentBias ? bias.map { UnsafePointer($0.value + GH) } : nil
        for t in 0..<T {
            layer.cell.forward(CellStep(rows: B, units: H, z: z.p + t * B * GH, ldz: GH, hPrev: hs.p + t * BH, h: hs.p + (t + 1) * BH,
                                        cPrev: carriesC ? cs.p + t * BH : nil, c: carriesC ? cs.p + (t + 1) * BH : nil,
                                        aux: aux.p + t * BH, scratch: scratch.p, recurrentKernel: U, recurrentBias: recurrentBias,
                                        hIsZero: false, activation: layer.activation, recurrentActivation: layer.recurrentActivation), act)
            let (prev, next) = (hs.p + t * BH, hs.p + (t + 1) * BH)
            for r in 0..<B {
                if isReal(r, t) {
                    for j in 0..<H { out[r * H + j] = next[r * H + j] }
                } else {
                    if layer.zeroOutputForMask { for j in 0..<H { out[r * H + j] = 0 } }
                    (next + r * H).update(from: prev + r * H, count: H)
                    if carriesC { (cs.p + (t + 1) * BH + r * H).update(from: cs.p + t * BH + r * H, count: H) }
                }
                if layer.returnSequences { for j in 0..<H { seq[(r * T + t) * H + j] = out[r * H + j] } }
            }
        }
        var outputs = [layer.returnSequences ? Batch(shape: [B, T, H], data: seq, mask: x.mask) : Batch(shape: [B, H], data: out)]
        if layer.returnState {
            outputs.append(Batch(shape: [B, H], data: Array(UnsafeBufferPointer(start: hs.p + T * BH, count: BH))))
            if carriesC { outputs.append(Batch(shape: [B, H], data: Array(UnsafeBufferPointer(start: cs.p + T * BH, count: BH)))) }
        }
        return outputs
    }

    // MARK: backward

    func backward(_ grads: [[S]?]) -> [[S]?] {
        let BH = B * H
        for s in [dh, dc, dout, g, gc, dhPrev, dcPrev] { s.reserve(BH); s.zero() }
        func load(_ v: [S]?, into s: Storage<S>) { v?.withUnsafeBufferPointer { s.p.update(from: $0.baseAddress!, count: BH) } }
        if layer.returnState { load(grads.count > 1 ? grads[1] : nil, into: dh); if carriesC { load(grads.count > 2 ? grads[2] : nil, into: dc) } }
        let dSeq = layer.returnSequences ? grads[0] : nil
        if !layer.returnSequences { load(grads[0], into: dout) }
        dZ.reserve(T * B * GH); dZ.zero()
        if hasRecurrentBias { dR.reserve(T * B * GH); dR.zero() }
        ut.reserve(GH * H)
        for i in 0..<H { for j in 0..<GH { ut.p[j * H + i] = U[i * GH + j] } }

        for t in stride(from: T - 1, through: 0, by: -1) {
            for r in 0..<B {
                let o = r * H
                if let dSeq { for j in 0..<H { dout.p[o + j] += dSeq[(r * T + t) * H + j] } }
                if isReal(r, t) {
                    for j in 0..<H { g.p[o + j] = dh.p[o + j] + dout.p[o + j]; dout.p[o + j] = 0 }
                    if carriesC { (gc.p + o).update(from: dc.p + o, count: H) }
                } else {
                    if layer.zeroOutputForMask { (dout.p + o).update(repeating: 0, count: H) }
                    (g.p + o).update(repeating: 0, count: H)
                    if carriesC { (gc.p + o).update(repeating: 0, count: H) }
                }
            }
            layer.cell.backward(CellGradientStep(rows: B, units: H, z: z.p + t * B * GH, dZ: dZ.p + t * B * GH,
                                                 dR: hasRecurrentBias ? dR.p + t * B * GH : nil,
                                                 hPrev: hs.p + t * BH, cPrev: carriesC ? cs.p + t * BH : nil, aux: aux.p + t * BH,
                                                 g: g.p, gc: gc.p, dhPrev: dhPrev.p, dcPrev: dcPrev.p, recurrentKernelT: Ut, scratch: scratch.p,
                                                 activation: layer.activation, recurrentActivation: layer.recurrentActivation))
            for r in 0..<B where isReal(r, t) {
                (dh.p + r * H).update(from: dhPrev.p + r * H, count: H)
                if carriesC { (dc.p + r * H).update(from: dcPrev.p + r * H, count: H) }
            }
        }
        accumulateWeightGradients()

        // ∂X = dZ·Wᵀ, back to batch-major.
        let dxs = Storage<S>(count: T * B * D)
        gemm(transA: false, transB: true, m: T * B, n: D, k: GH, a: dZ.p, lda: GH, b: W, ldb: GH, c: dxs.p, ldc: D)
        var dx = [S](repeating: 0, count: B * T * D)
        dx.withUnsafeMutableBufferPointer { dst in
            for b in 0..<B { for t in 0..<T { (dst.baseAddress! + (b * T + inputStep(t)) * D).update(from: dxs.p + (t * B + b) * D, count: D) } }
        }
        var result: [[S]?] = [dx]
        if initialStateCount > 0 {
            result.append(dh.array)
            if carriesC { result.append(dc.array) }
        }
        return result
    }

    /// ∂W = Xᵀ·dZ, ∂U as the cell says (H_prevᵀ·dR by default), ∂b = column sums (a
    /// recurrent bias row takes dR's).
    private func accumulateWeightGradients() {
        let rows = T * B
        gemm(transA: true, transB: false, m: D, n: GH, k: rows, a: xs.p, lda: D, b: dZ.p, ldb: GH, c: kernel.grad.p, ldc: GH, beta: 1)
        layer.cell.accumulateRecurrentKernelGradient(RecurrentKernelGradient(rows: rows, units: H, hPrev: hs.p, aux: aux.p, dZ: dZ.p,
                                                                              dR: hasRecurrentBias ? dR.p : nil, dU: recurrentKernel.grad.p))
        guard let bias else { return }
        columnSums(dZ.p, rows: rows, into: bias.grad.p)
        if hasRecurrentBias { columnSums(dR.p, rows: rows, into: bias.grad.p + GH) }
    }

    private func columnSums(_ m: UnsafePointer<S>, rows: Int, into out: UnsafeMutablePointer<S>) {
        for r in 0..<rows { let row = m + r * GH; for j in 0..<GH { out[j] += row[j] } }
    }
}
