// MARK: - LSTM step (G = 4, Keras gate order i, f, c~, o; σ = recurrent activation)
//
// forward:  s = x_t·W + h_{t-1}·U + b;  i = σ(s_i), f = σ(s_f), c~ = act(s_c), o = σ(s_o)
//           c_t = f ⊙ c_{t-1} + i ⊙ c~;  h_t = o ⊙ act(c_t)          (aux_t keeps act(c_t))
// backward: with g = ∂h_t and gc = ∂c_t from later steps,
//           ∂c = gc + g ⊙ o ⊙ act'(c_t)
//           ds_i = ∂c ⊙ c~ ⊙ σ'(i),  ds_f = ∂c ⊙ c_{t-1} ⊙ σ'(f),  ds_c = ∂c ⊙ i ⊙ act'(c~),
//           ds_o = g ⊙ act(c_t) ⊙ σ'(o);  ∂c_{t-1} = ∂c ⊙ f;  ∂h_{t-1} = ds·Uᵀ

extension RecurrentOp {
    func lstmForward(_ t: Int) {
        let (BH, zt) = (B * H, z.p + t * B * GH)
        gemm(m: B, n: GH, k: H, a: hs.p + t * BH, lda: H, b: U, ldb: GH, c: zt, ldc: GH, beta: 1)
        let (act, rec) = (layer.activation, layer.recurrentActivation)
        for r in 0..<B {
            let gz = zt + r * GH
            rec.applyTrain(gz, 2 * H)                 // i, f
            act.applyTrain(gz + 2 * H, H)             // c~
            rec.applyTrain(gz + 3 * H, H)             // o
            let (cp, cn, a, hn) = (cs.p + t * BH + r * H, cs.p + (t + 1) * BH + r * H, aux.p + t * BH + r * H, hs.p + (t + 1) * BH + r * H)
            for j in 0..<H { cn[j] = gz[H + j] * cp[j] + gz[j] * gz[2 * H + j]; a[j] = cn[j] }
            act.applyTrain(a, H)
            for j in 0..<H { hn[j] = gz[3 * H + j] * a[j] }
        }
    }

    func lstmBackward(_ t: Int) {
        let (BH, zt, dzt) = (B * H, z.p + t * B * GH, dZ.p + t * B * GH)
        let (act, rec) = (layer.activation, layer.recurrentActivation)
        for r in 0..<B {
            let (gz, d) = (zt + r * GH, dzt + r * GH)
            let (a, cp, gr, gcr, dcp) = (aux.p + t * BH + r * H, cs.p + t * BH + r * H, g.p + r * H, gc.p + r * H, dcPrev.p + r * H)
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
        gemm(m: B, n: H, k: GH, a: dzt, lda: GH, b: Ut, ldb: H, c: dhPrev.p, ldc: H)
    }
}
