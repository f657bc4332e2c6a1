// MARK: - Recurrent forward pass (B batch, T steps, D inputs, H units, G gates, GH = G·H)
//
// 1. One GEMM projects every step at once: Z[B, T, GH] = X[B·T, D] · W + b_in.
// 2. Per step, one GEMM over the whole batch adds h_{t-1} · U into Z's step slice in place
//    (leading dimension T·GH), then the gates are activated in place. After the loop Z holds
//    every step's activated gates, which is exactly the `gates` tap.
// 3. Masked steps (mask false) keep h (and c) and repeat the previous output, which starts
//    at zero, exactly as Keras's `backend.rnn` does.

extension Recurrent {
    public func forward(_ inputs: [Flow], taps: Bool) throws -> LayerResult {
        let x = inputs[0].tensor
        guard x.rank == 3, x.shape[2] == kernel.shape[0] else {
            throw RNNKitError.inputShapeMismatch(layer: name, expected: "[batch, time, \(kernel.shape[0])]", found: x.shape)
        }
        let (B, T, D, H) = (x.shape[0], x.shape[1], x.shape[2], units)
        let GH = cell.gates * H
        let initial = try initialStates(inputs, batch: B)
        let mask = inputs[0].mask

        // 1. input projection for all steps, bias (input row) first.
        var z = [Float](repeating: 0, count: B * T * GH)
        z.withUnsafeMutableBufferPointer { zp in
            let zb = zp.baseAddress!
            if useBias { bias.data.withUnsafeBufferPointer { bp in for r in 0..<(B * T) { (zb + r * GH).update(from: bp.baseAddress!, count: GH) } } }
            x.data.withUnsafeBufferPointer { xp in
                kernel.data.withUnsafeBufferPointer { wp in
                    sgemm(m: B * T, n: GH, k: D, a: xp.baseAddress!, lda: D, b: wp.baseAddress!, ldb: GH, c: zb, ldc: GH, beta: useBias ? 1 : 0)
                }
            }
        }

        var h = initial.first ?? [Float](repeating: 0, count: B * H)
        var c = cell == .lstm ? (initial.count > 1 ? initial[1] : [Float](repeating: 0, count: B * H)) : []
        var out = [Float](repeating: 0, count: B * H)           // previous output (Keras starts it at 0)
        var seq = returnSequences ? [Float](repeating: 0, count: B * T * H) : []
        var hidden = taps ? [Float](repeating: 0, count: B * T * H) : []
        var hNew = [Float](repeating: 0, count: B * H)
        var cNew = [Float](repeating: 0, count: cell == .lstm ? B * H : 0)
        var scratch = [Float](repeating: 0, count: B * GH)      // GRU: r·h or h·U (+ recurrent bias)
        let hStartsAtZero = initial.isEmpty

        z.withUnsafeMutableBufferPointer { zp in
        recurrentKernel.data.withUnsafeBufferPointer { up in
        bias.data.withUnsafeBufferPointer { bp in
        h.withUnsafeMutableBufferPointer { hp in
        hNew.withUnsafeMutableBufferPointer { np in
        c.withUnsafeMutableBufferPointer { cp in
        cNew.withUnsafeMutableBufferPointer { ncp in
        scratch.withUnsafeMutableBufferPointer { sp in
            let (u, hb, nb, s) = (up.baseAddress!, hp.baseAddress!, np.baseAddress!, sp.baseAddress!)
            let ldz = T * GH
            for t in 0..<T {
                let zt = zp.baseAddress! + t * GH
                // h_{t-1} is known to be zero at t = 0 without an initial state: skip its GEMM.
                let hIsZero = hStartsAtZero && t == 0
                switch cell {
                case .simple:
                    if !hIsZero { sgemm(m: B, n: H, k: H, a: hb, lda: H, b: u, ldb: H, c: zt, ldc: ldz, beta: 1) }
                    activation.apply(zt, rows: B, width: H, stride: ldz)
                    for r in 0..<B { (nb + r * H).update(from: zt + r * ldz, count: H) }
                case .lstm:
                    if !hIsZero { sgemm(m: B, n: GH, k: H, a: hb, lda: H, b: u, ldb: GH, c: zt, ldc: ldz, beta: 1) }
                    let (cb, ncb) = (cp.baseAddress!, ncp.baseAddress!)
                    for r in 0..<B {
                        let g = zt + r * ldz
                        recurrentActivation.applyElementwise(g, 2 * H)          // i, f
                        activation.applyElementwise(g + 2 * H, H)               // c~
                        recurrentActivation.applyElementwise(g + 3 * H, H)      // o
                        let (cr, ncr, hr) = (cb + r * H, ncb + r * H, nb + r * H)
                        for j in 0..<H { ncr[j] = g[H + j] * cr[j] + g[j] * g[2 * H + j] }
                        hr.update(from: ncr, count: H)
                        activation.applyElementwise(hr, H)
                        for j in 0..<H { hr[j] *= g[3 * H + j] }
                    }
                case .gru(resetAfter: false):
                    if !hIsZero { sgemm(m: B, n: 2 * H, k: H, a: hb, lda: H, b: u, ldb: GH, c: zt, ldc: ldz, beta: 1) }
                    for r in 0..<B {
                        let g = zt + r * ldz
                        recurrentActivation.applyElementwise(g, 2 * H)          // z, r
                        for j in 0..<H { s[r * H + j] = g[H + j] * hb[r * H + j] }  // r ⊙ h
                    }
                    if !hIsZero { sgemm(m: B, n: H, k: H, a: s, lda: H, b: u + 2 * H, ldb: GH, c: zt + 2 * H, ldc: ldz, beta: 1) }
                    for r in 0..<B {
                        let g = zt + r * ldz
                        activation.applyElementwise(g + 2 * H, H)               // h~
                        let (hr, nr) = (hb + r * H, nb + r * H)
                        for j in 0..<H { nr[j] = g[j] * hr[j] + (1 - g[j]) * g[2 * H + j] }
                    }
                case .gru(resetAfter: true):
                    // s = h·U + b_rec (the recurrent bias row applies even when h is zero).
                    for r in 0..<B { (s + r * GH).update(from: bp.baseAddress! + GH, count: GH) }
                    if !hIsZero { sgemm(m: B, n: GH, k: H, a: hb, lda: H, b: u, ldb: GH, c: s, ldc: GH, beta: 1) }
                    for r in 0..<B {
                        let (g, sr) = (zt + r * ldz, s + r * GH)
                        for j in 0..<(2 * H) { g[j] += sr[j] }
                        recurrentActivation.applyElementwise(g, 2 * H)          // z, r
                        for j in 0..<H { g[2 * H + j] += g[H + j] * sr[2 * H + j] }
                        activation.applyElementwise(g + 2 * H, H)               // h~
                        let (hr, nr) = (hb + r * H, nb + r * H)
                        for j in 0..<H { nr[j] = g[j] * hr[j] + (1 - g[j]) * g[2 * H + j] }
                    }
                }
                commitStep(t: t, B: B, T: T, H: H, mask: mask, h: hb, hNew: nb,
                           c: cp.baseAddress, cNew: ncp.baseAddress, out: &out, seq: &seq, hidden: &hidden)
            }
        }}}}}}}}

        var outputs = [Flow(returnSequences ? Tensor(shape: [B, T, H], data: seq) : Tensor(shape: [B, H], data: out),
                            mask: returnSequences ? mask : nil)]
        if returnState {
            outputs.append(Flow(Tensor(shape: [B, H], data: h)))
            if cell == .lstm { outputs.append(Flow(Tensor(shape: [B, H], data: c))) }
        }
        return LayerResult(outputs: outputs,
                           gates: taps ? Tensor(shape: [B, T, GH], data: z) : nil,
                           hidden: taps ? Tensor(shape: [B, T, H], data: hidden) : nil)
    }

    /// Applies step t's new state per row, honouring the mask, and records outputs.
    @inline(__always)
    private func commitStep(t: Int, B: Int, T: Int, H: Int, mask: Mask?,
                            h: UnsafeMutablePointer<Float>, hNew: UnsafeMutablePointer<Float>,
                            c: UnsafeMutablePointer<Float>?, cNew: UnsafeMutablePointer<Float>?,
                            out: inout [Float], seq: inout [Float], hidden: inout [Float]) {
        out.withUnsafeMutableBufferPointer { op in
            for r in 0..<B {
                if mask?.values[r * T + t] ?? true {
                    (h + r * H).update(from: hNew + r * H, count: H)
                    if let c, let cNew { (c + r * H).update(from: cNew + r * H, count: H) }
                    (op.baseAddress! + r * H).update(from: hNew + r * H, count: H)
                }
            }
            if !seq.isEmpty {
                seq.withUnsafeMutableBufferPointer { sp in
                    for r in 0..<B { (sp.baseAddress! + (r * T + t) * H).update(from: op.baseAddress! + r * H, count: H) }
                }
            }
            if !hidden.isEmpty {
                hidden.withUnsafeMutableBufferPointer { hp in
                    for r in 0..<B { (hp.baseAddress! + (r * T + t) * H).update(from: h + r * H, count: H) }
                }
            }
        }
    }

    /// Initial states from `inputs[1...]` (Keras `initial_state`), each `[B, H]`.
    private func initialStates(_ inputs: [Flow], batch: Int) throws -> [[Float]] {
        let states = inputs.dropFirst().map(\.tensor)
        guard states.isEmpty || states.count == stateCount else {
            throw RNNKitError.inputShapeMismatch(layer: name, expected: "\(stateCount) initial state tensor(s)", found: [states.count])
        }
        for s in states where s.shape != [batch, units] {
            throw RNNKitError.inputShapeMismatch(layer: name, expected: "initial state [\(batch), \(units)]", found: s.shape)
        }
        return states.map(\.data)
    }
}
