// MARK: - LSTM backward step
//
// With g = ∂h_t and gc = ∂c_t from later steps,
//   ∂c = gc + g ⊙ o ⊙ act'(c_t)
//   ds_i = ∂c ⊙ c~ ⊙ σ'(i),  ds_f = ∂c ⊙ c_{t-1} ⊙ σ'(f),  ds_c = ∂c ⊙ i ⊙ act'(c~),
//   ds_o = g ⊙ act(c_t) ⊙ σ'(o);  ∂c_{t-1} = ∂c ⊙ f;  ∂h_{t-1} = ds·Uᵀ

extension LSTMCell {
    func backward<S: TrainScalar>(_ s: CellGradientStep<S>) {
        let (B, H, GH) = (s.rows, s.units, 4 * s.units)
        let (act, rec, cPrev) = (s.activation, s.recurrentActivation, s.cPrev!)
        for r in 0..<B {
            let (gz, d) = (s.z + r * GH, s.dZ + r * GH)
            let (a, cp, gr, gcr, dcp) = (s.aux + r * H, cPrev + r * H, s.g + r * H, s.gc + r * H, s.dcPrev + r * H)
            // ∂c through h = o ⊙ act(c): staged in the o block, which is overwritten below.
            let tmp = d + 3 * H
            for j in 0..<H { tmp[j] = gr[j] * gz[3 * H + j] }
            act.backpropagate(output: a, gradient: tmp, H)
            for j in 0..<H {
                let dct = gcr[j] + tmp[j]
                d[j] = dct * gz[2 * H + j]            // i
                d[H + j] = dct * cp[j]                // f
                d[2 * H + j] = dct * gz[j]            // c~
                d[3 * H + j] = gr[j] * a[j]           // o
                dcp[j] = dct * gz[H + j]
            }
            rec.backpropagate(output: gz, gradient: d, 2 * H)
            act.backpropagate(output: gz + 2 * H, gradient: d + 2 * H, H)
            rec.backpropagate(output: gz + 3 * H, gradient: d + 3 * H, H)
        }
        gemm(m: B, n: H, k: GH, a: s.dZ, lda: GH, b: s.recurrentKernelT, ldb: H, c: s.dhPrev, ldc: H)
    }
}
