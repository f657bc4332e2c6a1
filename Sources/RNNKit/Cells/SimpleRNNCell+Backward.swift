// MARK: - SimpleRNN backward step: dZ_t = g ⊙ act'(Z_t);  ∂h_{t-1} = dZ_t·Uᵀ

extension SimpleRNNCell {
    func backward<S: TrainScalar>(_ s: CellGradientStep<S>) {
        let (B, H) = (s.rows, s.units)
        s.dZ.update(from: s.g, count: B * H)
        s.activation.backpropagate(output: s.z, gradient: s.dZ, B * H)
        gemm(m: B, n: H, k: H, a: s.dZ, lda: H, b: s.recurrentKernelT, ldb: H, c: s.dhPrev, ldc: H)
    }
}
