// MARK: - GRU step (G = 3, Keras gate order z, r, h~; σ = recurrent activation)
//
// reset_after = false (bias [3H]):  z = σ(x W_z + h U_z + b_z), r = σ(x W_r + h U_r + b_r),
//   h~ = act(x W_h + (r⊙h) U_h + b_h)                               (aux keeps r⊙h)
// reset_after = true (bias [2, 3H], input row then recurrent row): s = h·U + b_rec,
//   z = σ(x W_z + b_in,z + s_z), r = σ(… + s_r), h~ = act(x W_h + b_in,h + r ⊙ s_h)   (aux keeps s_h)
// both: h_t = z ⊙ h_{t-1} + (1 − z) ⊙ h~
// backward: GRUCell+Backward.swift

struct GRUCell: RecurrentCell {
    var resetAfter: Bool
    var facts: CellFacts {
        CellFacts(gates: 3, stateCount: 1, sigmoidGates: [0, 1], kerasClassName: "GRU", kerasCellScope: "gru_cell",
                  kerasOptions: ["reset_after": resetAfter], summaryOptions: ", reset_after=\(resetAfter)", hasRecurrentBias: resetAfter)
    }

    func forward<A: GateActivations>(_ s: CellStep<A.Scalar>, _ act: A) {
        resetAfter ? forwardResetAfter(s, act) : forwardClassic(s, act)
    }

    private func forwardClassic<A: GateActivations>(_ s: CellStep<A.Scalar>, _ act: A) {
        let (B, H, GH, ldz) = (s.rows, s.units, 3 * s.units, s.ldz)
        let (hp, hn, rh, u) = (s.hPrev, s.h, s.aux, s.recurrentKernel)
        if !s.hIsZero { gemm(m: B, n: 2 * H, k: H, a: hp, lda: H, b: u, ldb: GH, c: s.z, ldc: ldz, beta: 1) }
        for r in 0..<B {
            let g = s.z + r * ldz
            act.apply(s.recurrentActivation, g, 2 * H)                      // z, r
            for j in 0..<H { rh[r * H + j] = g[H + j] * hp[r * H + j] }     // r ⊙ h
        }
        if !s.hIsZero { gemm(m: B, n: H, k: H, a: rh, lda: H, b: u + 2 * H, ldb: GH, c: s.z + 2 * H, ldc: ldz, beta: 1) }
        for r in 0..<B {
            let g = s.z + r * ldz
            act.apply(s.activation, g + 2 * H, H)                           // h~
            for j in 0..<H { hn[r * H + j] = g[j] * hp[r * H + j] + (1 - g[j]) * g[2 * H + j] }
        }
    }

    private func forwardResetAfter<A: GateActivations>(_ s: CellStep<A.Scalar>, _ act: A) {
        let (B, H, GH, ldz) = (s.rows, s.units, 3 * s.units, s.ldz)
        let (hp, hn, sh, sc) = (s.hPrev, s.h, s.aux, s.scratch)
        // s = h·U + b_rec (the recurrent bias row applies even when h is zero).
        if let b = s.recurrentBias { for r in 0..<B { (sc + r * GH).update(from: b, count: GH) } } else { sc.update(repeating: 0, count: B * GH) }
        if !s.hIsZero { gemm(m: B, n: GH, k: H, a: hp, lda: H, b: s.recurrentKernel, ldb: GH, c: sc, ldc: GH, beta: 1) }
        for r in 0..<B {
            let (g, sr) = (s.z + r * ldz, sc + r * GH)
            for j in 0..<(2 * H) { g[j] += sr[j] }
            act.apply(s.recurrentActivation, g, 2 * H)                      // z, r
            for j in 0..<H { g[2 * H + j] += g[H + j] * sr[2 * H + j]; sh[r * H + j] = sr[2 * H + j] }
            act.apply(s.activation, g + 2 * H, H)                           // h~
            for j in 0..<H { hn[r * H + j] = g[j] * hp[r * H + j] + (1 - g[j]) * g[2 * H + j] }
        }
    }
}
