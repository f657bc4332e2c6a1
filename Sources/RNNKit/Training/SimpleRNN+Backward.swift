// MARK: - SimpleRNN step (G = 1): h_t = act(x_t·W + h_{t-1}·U + b)
//
// forward:  Z_t += h_{t-1}·U; Z_t ← act(Z_t); h_t = Z_t
// backward: dZ_t = g ⊙ act'(Z_t);  ∂h_{t-1} = dZ_t·Uᵀ

extension RecurrentOp {
    func simpleForward(_ t: Int) {
        let (BH, zt) = (B * H, z.p + t * B * GH)
        gemm(m: B, n: H, k: H, a: hs.p + t * BH, lda: H, b: U, ldb: GH, c: zt, ldc: GH, beta: 1)
        layer.activation.applyTrain(zt, BH)
        (hs.p + (t + 1) * BH).update(from: zt, count: BH)
    }

    func simpleBackward(_ t: Int) {
        let (BH, zt, dzt) = (B * H, z.p + t * B * GH, dZ.p + t * B * GH)
        dzt.update(from: g.p, count: BH)
        layer.activation.backpropagate(output: zt, gradient: dzt, BH)
        gemm(m: B, n: H, k: H, a: dzt, lda: GH, b: Ut, ldb: H, c: dhPrev.p, ldc: H)
    }
}
