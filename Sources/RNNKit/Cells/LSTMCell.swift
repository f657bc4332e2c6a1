// MARK: - LSTM step (G = 4, Keras gate order i, f, c~, o; σ = recurrent activation)
//
// forward:  s = x_t·W + h_{t-1}·U + b;  i = σ(s_i), f = σ(s_f), c~ = act(s_c), o = σ(s_o)
//           c_t = f ⊙ c_{t-1} + i ⊙ c~;  h_t = o ⊙ act(c_t)          (aux keeps act(c_t))
// backward: LSTMCell+Backward.swift

struct LSTMCell: RecurrentCell {
    var facts: CellFacts {
        CellFacts(gates: 4, stateCount: 2, sigmoidGates: [0, 1, 3], kerasClassName: "LSTM", kerasCellScope: "lstm_cell",
                  kerasOptions: ["unit_forget_bias": true], forgetGate: 1)
    }

    func forward<A: GateActivations>(_ s: CellStep<A.Scalar>, _ act: A) {
        let (B, H, GH) = (s.rows, s.units, 4 * s.units)
        if !s.hIsZero { gemm(m: B, n: GH, k: H, a: s.hPrev, lda: H, b: s.recurrentKernel, ldb: GH, c: s.z, ldc: s.ldz, beta: 1) }
        let (cPrev, c) = (s.cPrev!, s.c!)
        for r in 0..<B {
            let g = s.z + r * s.ldz
            act.apply(s.recurrentActivation, g, 2 * H)          // i, f
            act.apply(s.activation, g + 2 * H, H)               // c~
            act.apply(s.recurrentActivation, g + 3 * H, H)      // o
            let (cp, cn, a, hn) = (cPrev + r * H, c + r * H, s.aux + r * H, s.h + r * H)
            for j in 0..<H { cn[j] = g[H + j] * cp[j] + g[j] * g[2 * H + j]; a[j] = cn[j] }
            act.apply(s.activation, a, H)
            for j in 0..<H { hn[j] = g[3 * H + j] * a[j] }
        }
    }
}
