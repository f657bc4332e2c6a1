// MARK: - GRU backward step
//
// With g = ∂h_t:  ds_z = g ⊙ (h_{t-1} − h~) ⊙ σ'(z),  ds_h = g ⊙ (1 − z) ⊙ act'(h~),
//   ∂h_{t-1} = g ⊙ z + (recurrent terms):
//   classic:      ∂(r⊙h) = ds_h·U_hᵀ;  ds_r = ∂(r⊙h) ⊙ h ⊙ σ'(r);  ∂h += ∂(r⊙h) ⊙ r + [ds_z, ds_r]·U_zrᵀ
//   reset_after:  ds_r = ds_h ⊙ s_h ⊙ σ'(r);  dR = [ds_z, ds_r, ds_h ⊙ r];  ∂h += dR·Uᵀ
// ∂U: classic feeds the candidate block r⊙h (aux) instead of h.

extension GRUCell {
    func backward<S: TrainScalar>(_ s: CellGradientStep<S>) {
        resetAfter ? backwardResetAfter(s) : backwardClassic(s)
    }

    func accumulateRecurrentKernelGradient<S: TrainScalar>(_ s: RecurrentKernelGradient<S>) {
        let (H, GH) = (s.units, 3 * s.units)
        guard !resetAfter else { accumulateHPrevTimesDR(s); return }
        gemm(transA: true, transB: false, m: H, n: 2 * H, k: s.rows, a: s.hPrev, lda: H, b: s.dZ, ldb: GH, c: s.dU, ldc: GH, beta: 1)
        gemm(transA: true, transB: false, m: H, n: H, k: s.rows, a: s.aux, lda: H, b: s.dZ + 2 * H, ldb: GH, c: s.dU + 2 * H, ldc: GH, beta: 1)
    }

    /// Shared first part: ds_z, ds_h into dZ_t and ∂h_{t-1} = g ⊙ z into dhPrev.
    private func gateGradients<S: TrainScalar>(_ s: CellGradientStep<S>) {
        let (H, GH, hp) = (s.units, 3 * s.units, s.hPrev)
        for r in 0..<s.rows {
            let (gz, d, gr, o) = (s.z + r * GH, s.dZ + r * GH, s.g + r * H, r * H)
            for j in 0..<H {
                d[j] = gr[j] * (hp[o + j] - gz[2 * H + j])
                d[2 * H + j] = gr[j] * (1 - gz[j])
                s.dhPrev[o + j] = gr[j] * gz[j]
            }
            s.recurrentActivation.backpropagate(output: gz, gradient: d, H)
            s.activation.backpropagate(output: gz + 2 * H, gradient: d + 2 * H, H)
        }
    }

    private func backwardClassic<S: TrainScalar>(_ s: CellGradientStep<S>) {
        let (B, H, GH, hp, drh) = (s.rows, s.units, 3 * s.units, s.hPrev, s.scratch)
        gateGradients(s)
        gemm(m: B, n: H, k: H, a: s.dZ + 2 * H, lda: GH, b: s.recurrentKernelT + 2 * H * H, ldb: H, c: drh, ldc: H)
        for r in 0..<B {
            let (gz, d, o) = (s.z + r * GH, s.dZ + r * GH, r * H)
            for j in 0..<H {
                d[H + j] = drh[o + j] * hp[o + j]
                s.dhPrev[o + j] += drh[o + j] * gz[H + j]
            }
            s.recurrentActivation.backpropagate(output: gz + H, gradient: d + H, H)
        }
        gemm(m: B, n: H, k: 2 * H, a: s.dZ, lda: GH, b: s.recurrentKernelT, ldb: H, c: s.dhPrev, ldc: H, beta: 1)
    }

    private func backwardResetAfter<S: TrainScalar>(_ s: CellGradientStep<S>) {
        let (B, H, GH, sh, dR) = (s.rows, s.units, 3 * s.units, s.aux, s.dR!)
        gateGradients(s)
        for r in 0..<B {
            let (gz, d, dr, o) = (s.z + r * GH, s.dZ + r * GH, dR + r * GH, r * H)
            for j in 0..<H { d[H + j] = d[2 * H + j] * sh[o + j] }
            s.recurrentActivation.backpropagate(output: gz + H, gradient: d + H, H)
            for j in 0..<H { dr[j] = d[j]; dr[H + j] = d[H + j]; dr[2 * H + j] = d[2 * H + j] * gz[H + j] }
        }
        gemm(m: B, n: H, k: GH, a: dR, lda: GH, b: s.recurrentKernelT, ldb: H, c: s.dhPrev, ldc: H, beta: 1)
    }
}
