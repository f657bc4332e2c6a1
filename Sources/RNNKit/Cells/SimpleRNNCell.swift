// MARK: - SimpleRNN step (G = 1): h_t = act(x_t·W + h_{t-1}·U + b)
//
// forward:  Z_t += h_{t-1}·U; Z_t ← act(Z_t); h_t = Z_t            (aux unused)
// backward: SimpleRNNCell+Backward.swift

struct SimpleRNNCell: RecurrentCell {
    var facts: CellFacts { CellFacts(gates: 1, stateCount: 1, sigmoidGates: [], kerasClassName: "SimpleRNN", kerasCellScope: "simple_rnn_cell") }

    func forward<A: GateActivations>(_ s: CellStep<A.Scalar>, _ act: A) {
        let (B, H) = (s.rows, s.units)
        if !s.hIsZero { gemm(m: B, n: H, k: H, a: s.hPrev, lda: H, b: s.recurrentKernel, ldb: H, c: s.z, ldc: s.ldz, beta: 1) }
        act.apply(s.activation, s.z, rows: B, width: H, stride: s.ldz)
        for r in 0..<B { (s.h + r * H).update(from: s.z + r * s.ldz, count: H) }
    }
}
