// MARK: - Recurrent forward pass (B batch, T steps, D inputs, H units, G gates, GH = G·H)
//
// 1. One GEMM projects every step at once: Z[B, T, GH] = X[B·T, D] · W + b_in.
// 2. Per step, the cell's forward step (Cells/, the one training runs too) adds h_{t-1} · U
//    into Z's step slice in place (one GEMM over the whole batch, leading dimension T·GH) and
//    activates the gates in place. After the loop Z holds every step's activated gates, which
//    is exactly the `gates` tap.
// 3. Masked steps (mask false) keep h (and c) and repeat the previous output, which starts
//    at zero, exactly as Keras's `backend.rnn` does.
// Everything runs in the scalar type S of the requested precision; results are float32.
// A run may continue a sequence from a `Carry` (the step-wise decoder, Model+Stepwise.swift):
// each element's arithmetic is the same either way, so steps run one call at a time give the
// bits of one call over all steps.

extension Recurrent {
    /// The state between two runs over consecutive steps of the same sequences: h, c (LSTM;
    /// empty otherwise) and the previous output Keras repeats on masked steps, each `[B, H]`.
    /// Double holds float32 state exactly and float64 state in full, so a continued run
    /// computes what one run over all the steps computes, in either precision.
    struct Carry: Sendable, Equatable {
        var h: [Double]
        var c: [Double]
        var output: [Double]
    }

    public func forward(_ inputs: [Flow], options: RunOptions) throws -> LayerResult {
        try forward(inputs, continuing: nil, offset: 0, options: options).result
    }

    /// Runs `inputs` as steps `offset…` of sequences whose earlier steps ended in `carry` (nil:
    /// the sequences start here, from the initial states `inputs[1...]` or zeros); returns the
    /// state after the last step with the result. `offset` picks unrolled weights only.
    func forward(_ inputs: [Flow], continuing carry: Carry?, offset: Int,
                 options: RunOptions) throws -> (result: LayerResult, carry: Carry) {
        let x = inputs[0].tensor
        guard x.rank == 3, x.shape[2] == kernel.shape[0] else {
            throw RNNKitError.inputShapeMismatch(layer: name, expected: "[batch, time, \(kernel.shape[0])]", found: x.shape)
        }
        guard carry == nil || !goBackwards else {
            throw RNNKitError.unsupportedOption(layer: name, option: "go_backwards", value: "true, continued step by step")
        }
        let initial = carry == nil ? try initialStates(inputs, batch: x.shape[0]) : []
        if let carry, carry.h.count != x.shape[0] * units {
            throw RNNKitError.inputShapeMismatch(layer: name, expected: "\(carry.h.count / max(units, 1)) rows (the carried state's)", found: x.shape)
        }
        // Unrolled weights serve sequences up to their length (a decoder runs growing prefixes).
        var unrolled: [[Tensor]]? = nil
        if let steps = weightsPerStep {
            guard offset + x.shape[1] <= steps.count else {
                throw RNNKitError.inputShapeMismatch(layer: name, expected: "at most \(steps.count) time steps (unrolled weights)",
                                                     found: [x.shape[0], offset + x.shape[1], x.shape[2]])
            }
            unrolled = Array(steps[offset..<(offset + x.shape[1])])
        }
        // go_backwards: run on the time-reversed input and mask; outputs stay in run order.
        let (xRun, maskRun) = goBackwards ? (x.reversedInTime(), inputs[0].mask?.reversedInTime()) : (x, inputs[0].mask)
        var (result, end) = options.precision == .float32
            ? run(xRun, mask: maskRun, initial: initial, carry: carry, unrolled: unrolled, taps: options.taps, Float.self)
            : run(xRun, mask: maskRun, initial: initial, carry: carry, unrolled: unrolled, taps: options.taps, Double.self)
        if returnSequences { result.outputs[0].mask = inputs[0].mask }
        return (result, end)
    }

    /// `unrolled`: the weights of each of x's steps (nil: the shared ones at every step).
    private func run<S: KitScalar>(_ x: Tensor, mask: Mask?, initial: [[Float]], carry: Carry?, unrolled: [[Tensor]]?,
                                   taps: Bool, _: S.Type) -> (LayerResult, Carry) {
        let (B, T, D, H) = (x.shape[0], x.shape[1], x.shape[2], units)
        let GH = cell.gates * H
        // Per-step weights (unrolled) or the shared ones at every step; bias zero without use_bias.
        let steps: [[Tensor]] = unrolled ?? [[kernel, recurrentKernel, bias]]
        let Ws = steps.map { widened($0[0].data, as: S.self) }
        let Us = steps.map { widened($0[1].data, as: S.self) }
        let biases = steps.map { useBias ? widened($0[2].data, as: S.self) : [S](repeating: 0, count: $0[2].count) }

        // 1. input projection, bias (input row) first: all steps in one GEMM when they share W.
        var z = [S](repeating: 0, count: B * T * GH)
        z.withUnsafeMutableBufferPointer { zp in
            let zb = zp.baseAddress!
            for r in 0..<(B * T) { (zb + r * GH).update(from: biases[unrolled == nil ? 0 : r % T], count: GH) }
            widened(x.data, as: S.self).withUnsafeBufferPointer { xp in
                if unrolled == nil {
                    gemm(m: B * T, n: GH, k: D, a: xp.baseAddress!, lda: D, b: Ws[0], ldb: GH, c: zb, ldc: GH, beta: 1)
                } else {
                    for t in 0..<T {
                        gemm(m: B, n: GH, k: D, a: xp.baseAddress! + t * D, lda: T * D, b: Ws[t], ldb: GH, c: zb + t * GH, ldc: T * GH, beta: 1)
                    }
                }
            }
        }

        // A carried state continues exactly (it holds S values); else the initial states or zeros.
        let carriesC = stateCount > 1
        var h = carry.map { $0.h.map { S($0) } } ?? initial.first.map { widened($0, as: S.self) } ?? [S](repeating: 0, count: B * H)
        var c = !carriesC ? [] : carry.map { $0.c.map { S($0) } }
            ?? (initial.count > 1 ? widened(initial[1], as: S.self) : [S](repeating: 0, count: B * H))
        // The previous output, repeated on masked steps: Keras starts it at 0.
        var out = carry.map { $0.output.map { S($0) } } ?? [S](repeating: 0, count: B * H)
        var seq = [S](repeating: 0, count: returnSequences ? B * T * H : 0)
        var hidden = [S](repeating: 0, count: taps ? B * T * H : 0)
        var hNew = [S](repeating: 0, count: B * H)
        var cNew = [S](repeating: 0, count: carriesC ? B * H : 0)
        var aux = [S](repeating: 0, count: B * H)             // the cell's aux values, unused here
        var scratch = [S](repeating: 0, count: B * GH)
        let hStartsAtZero = carry == nil && initial.isEmpty
        let (act, hasRecurrentBias) = (InferenceActivations<S>(), cell.hasRecurrentBias)

        z.withUnsafeMutableBufferPointer { zp in
        h.withUnsafeMutableBufferPointer { hp in
        hNew.withUnsafeMutableBufferPointer { np in
        c.withUnsafeMutableBufferPointer { cp in
        cNew.withUnsafeMutableBufferPointer { ncp in
        out.withUnsafeMutableBufferPointer { op in
        seq.withUnsafeMutableBufferPointer { sq in
        hidden.withUnsafeMutableBufferPointer { hd in
        aux.withUnsafeMutableBufferPointer { ap in
        scratch.withUnsafeMutableBufferPointer { sp in
            let (hb, nb, ob) = (hp.baseAddress!, np.baseAddress!, op.baseAddress!)
            for t in 0..<T {
                let step = unrolled == nil ? 0 : t
                Us[step].withUnsafeBufferPointer { up in
                biases[step].withUnsafeBufferPointer { bp in
                    // h_{t-1} is known to be zero at t = 0 without an initial state: the cell skips its GEMM.
                    cell.forward(CellStep(rows: B, units: H, z: zp.baseAddress! + t * GH, ldz: T * GH, hPrev: hb, h: nb,
                                          cPrev: cp.baseAddress, c: ncp.baseAddress, aux: ap.baseAddress!, scratch: sp.baseAddress!,
                                          recurrentKernel: up.baseAddress!, recurrentBias: hasRecurrentBias ? bp.baseAddress! + GH : nil,
                                          hIsZero: hStartsAtZero && t == 0, activation: activation, recurrentActivation: recurrentActivation), act)
                }}
                // Commit step t row by row, honouring the mask; record outputs and taps.
                for r in 0..<B {
                    guard mask?.values[r * T + t] ?? true else {
                        if zeroOutputForMask { (ob + r * H).update(repeating: 0, count: H) }
                        continue
                    }
                    (hb + r * H).update(from: nb + r * H, count: H)
                    if carriesC { (cp.baseAddress! + r * H).update(from: ncp.baseAddress! + r * H, count: H) }
                    (ob + r * H).update(from: nb + r * H, count: H)
                }
                if returnSequences { for r in 0..<B { (sq.baseAddress! + (r * T + t) * H).update(from: ob + r * H, count: H) } }
                if taps { for r in 0..<B { (hd.baseAddress! + (r * T + t) * H).update(from: hb + r * H, count: H) } }
            }
        }}}}}}}}}}

        var outputs = [Flow(returnSequences ? Tensor(shape: [B, T, H], data: narrowed(seq)) : Tensor(shape: [B, H], data: narrowed(out)),
                            mask: returnSequences ? mask : nil)]
        if returnState {
            outputs.append(Flow(Tensor(shape: [B, H], data: narrowed(h))))
            if carriesC { outputs.append(Flow(Tensor(shape: [B, H], data: narrowed(c)))) }
        }
        let end = Carry(h: h.map { Double($0) }, c: c.map { Double($0) }, output: out.map { Double($0) })
        return (LayerResult(outputs: outputs,
                            gates: taps ? Tensor(shape: [B, T, GH], data: narrowed(z)) : nil,
                            hidden: taps ? Tensor(shape: [B, T, H], data: narrowed(hidden)) : nil), end)
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
