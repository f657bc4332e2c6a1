// MARK: - GRU step (G = 3, Keras gate order z, r, h~; σ = recurrent activation)
//
// reset_after = false (bias [3H]):  z = σ(x W_z + h U_z + b_z), r = σ(x W_r + h U_r + b_r),
//   h~ = act(x W_h + (r⊙h) U_h + b_h)                               (aux_t keeps r⊙h)
// reset_after = true (bias [2, 3H], input row then recurrent row): s = h·U + b_rec,
//   z = σ(x W_z + b_in,z + s_z), r = σ(… + s_r), h~ = act(x W_h + b_in,h + r ⊙ s_h)   (aux_t keeps s_h)
// both: h_t = z ⊙ h_{t-1} + (1 − z) ⊙ h~
//
// backward, with g = ∂h_t:  ds_z = g ⊙ (h_{t-1} − h~) ⊙ σ'(z),  ds_h = g ⊙ (1 − z) ⊙ act'(h~),
//   ∂h_{t-1} = g ⊙ z + (recurrent terms):
//   classic:      ∂(r⊙h) = ds_h·U_hᵀ;  ds_r = ∂(r⊙h) ⊙ h ⊙ σ'(r);  ∂h += ∂(r⊙h) ⊙ r + [ds_z, ds_r]·U_zrᵀ
//   reset_after:  ds_r = ds_h ⊙ s_h ⊙ σ'(r);  dR = [ds_z, ds_r, ds_h ⊙ r];  ∂h += dR·Uᵀ

extension RecurrentOp {
    func gruClassicForward(_ t: Int) {
        let (BH, zt, rh) = (B * H, z.p + t * B * GH, aux.p + t * B * H)
        let hp = hs.p + t * BH, hn = hs.p + (t + 1) * BH
        gemm(m: B, n: 2 * H, k: H, a: hp, lda: H, b: U, ldb: GH, c: zt, ldc: GH, beta: 1)
        for r in 0..<B {
            let gz = zt + r * GH
            layer.recurrentActivation.applyTrain(gz, 2 * H)
            for j in 0..<H { rh[r * H + j] = gz[H + j] * hp[r * H + j] }
        }
        gemm(m: B, n: H, k: H, a: rh, lda: H, b: U + 2 * H, ldb: GH, c: zt + 2 * H, ldc: GH, beta: 1)
        for r in 0..<B {
            let gz = zt + r * GH
            layer.activation.applyTrain(gz + 2 * H, H)
            for j in 0..<H { hn[r * H + j] = gz[j] * hp[r * H + j] + (1 - gz[j]) * gz[2 * H + j] }
        }
    }

    func gruResetAfterForward(_ t: Int) {
        let (BH, zt, sh) = (B * H, z.p + t * B * GH, aux.p + t * B * H)
        let hp = hs.p + t * BH, hn = hs.p + (t + 1) * BH, s = scratch.p
        if let bias { for r in 0..<B { (s + r * GH).update(from: bias.value + GH, count: GH) } } else { s.update(repeating: 0, count: B * GH) }
        gemm(m: B, n: GH, k: H, a: hp, lda: H, b: U, ldb: GH, c: s, ldc: GH, beta: 1)
        for r in 0..<B {
            let (gz, sr) = (zt + r * GH, s + r * GH)
            for j in 0..<(2 * H) { gz[j] += sr[j] }
            layer.recurrentActivation.applyTrain(gz, 2 * H)
            for j in 0..<H { gz[2 * H + j] += gz[H + j] * sr[2 * H + j]; sh[r * H + j] = sr[2 * H + j] }
            layer.activation.applyTrain(gz + 2 * H, H)
            for j in 0..<H { hn[r * H + j] = gz[j] * hp[r * H + j] + (1 - gz[j]) * gz[2 * H + j] }
        }
    }

    /// Shared first part: ds_z, ds_h into dZ_t and ∂h_{t-1} = g ⊙ z into dhPrev.
    private func gruGateGradients(_ t: Int) {
        let (zt, dzt, hp) = (z.p + t * B * GH, dZ.p + t * B * GH, hs.p + t * B * H)
        for r in 0..<B {
            let (gz, d, gr, o) = (zt + r * GH, dzt + r * GH, g.p + r * H, r * H)
            for j in 0..<H {
                d[j] = gr[j] * (hp[o + j] - gz[2 * H + j])
                d[2 * H + j] = gr[j] * (1 - gz[j])
                dhPrev.p[o + j] = gr[j] * gz[j]
            }
            layer.recurrentActivation.backpropagate(output: gz, gradient: d, H)
            layer.activation.backpropagate(output: gz + 2 * H, gradient: d + 2 * H, H)
        }
    }

    func gruClassicBackward(_ t: Int) {
        let (zt, dzt, hp, drh) = (z.p + t * B * GH, dZ.p + t * B * GH, hs.p + t * B * H, scratch.p)
        gruGateGradients(t)
        gemm(m: B, n: H, k: H, a: dzt + 2 * H, lda: GH, b: Ut + 2 * H * H, ldb: H, c: drh, ldc: H)
        for r in 0..<B {
            let (gz, d, o) = (zt + r * GH, dzt + r * GH, r * H)
            for j in 0..<H {
                d[H + j] = drh[o + j] * hp[o + j]
                dhPrev.p[o + j] += drh[o + j] * gz[H + j]
            }
            layer.recurrentActivation.backpropagate(output: gz + H, gradient: d + H, H)
        }
        gemm(m: B, n: H, k: 2 * H, a: dzt, lda: GH, b: Ut, ldb: H, c: dhPrev.p, ldc: H, beta: 1)
    }

    func gruResetAfterBackward(_ t: Int) {
        let (zt, dzt, drt, sh) = (z.p + t * B * GH, dZ.p + t * B * GH, dR.p + t * B * GH, aux.p + t * B * H)
        gruGateGradients(t)
        for r in 0..<B {
            let (gz, d, dr, o) = (zt + r * GH, dzt + r * GH, drt + r * GH, r * H)
            for j in 0..<H { d[H + j] = d[2 * H + j] * sh[o + j] }
            layer.recurrentActivation.backpropagate(output: gz + H, gradient: d + H, H)
            for j in 0..<H { dr[j] = d[j]; dr[H + j] = d[H + j]; dr[2 * H + j] = d[2 * H + j] * gz[H + j] }
        }
        gemm(m: B, n: H, k: GH, a: drt, lda: GH, b: Ut, ldb: H, c: dhPrev.p, ldc: H, beta: 1)
    }
}
