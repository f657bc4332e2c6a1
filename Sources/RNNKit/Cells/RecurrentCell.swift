/// A recurrent cell kind (SimpleRNN, LSTM, GRU): the facts other code asks of it, and its time
/// step, forward (the one inference and training both run) and backward (training).
///
/// Dimension letters as in `Recurrent`: B batch, H units, G gates, GH = G·H. Each kind is one
/// file `<Kind>Cell.swift` plus `<Kind>Cell+Backward.swift`; `Recurrent.Cell` names the kinds
/// and is the one place a case meets its type (`Recurrent+Cell.swift`).
protocol RecurrentCell: Sendable {
    var facts: CellFacts { get }
    /// Activates the step's gates in place and writes h_t, c_t and the aux values (`CellStep`).
    func forward<A: GateActivations>(_ s: CellStep<A.Scalar>, _ act: A)
    /// dZ_t (and dR_t), ∂h_{t-1} and ∂c_{t-1} from ∂h_t, ∂c_t and the forward caches.
    func backward<S: TrainScalar>(_ s: CellGradientStep<S>)
    /// ∂U over all T·B rows: H_prevᵀ·dR (dZ without a recurrent bias row) unless the cell
    /// feeds U something else.
    func accumulateRecurrentKernelGradient<S: TrainScalar>(_ s: RecurrentKernelGradient<S>)
}

/// What code outside a cell (layers, Keras import and export, initialisers, Decomposition)
/// asks of its kind, instead of testing which kind it is.
struct CellFacts: Sendable {
    /// G: blocks of H columns in the gate pre-activations, in Keras order.
    var gates: Int
    /// States a step carries: h, plus c for an LSTM.
    var stateCount: Int
    /// The gate blocks that are sigmoid gates (recurrent activation); the others are
    /// candidates (activation).
    var sigmoidGates: Set<Int>
    var kerasClassName: String
    /// The sub-scope Keras puts the cell's weights under (`lstm/lstm_cell/kernel:0`).
    var kerasCellScope: String
    /// Config entries only this kind writes (`reset_after`, `unit_forget_bias`).
    var kerasOptions: [String: Bool] = [:]
    /// What a model summary adds for this kind (`, reset_after=true`).
    var summaryOptions = ""
    /// Whether the bias has a second, recurrent row (`[2, GH]`, GRU reset_after) added to h·U;
    /// the recurrent side's pre-activation gradient dR then differs from dZ.
    var hasRecurrentBias = false
    /// The gate block Keras's `unit_forget_bias` initialises to 1 (LSTM f), if any.
    var forgetGate: Int? = nil
}

extension RecurrentCell {
    func accumulateRecurrentKernelGradient<S: TrainScalar>(_ s: RecurrentKernelGradient<S>) { accumulateHPrevTimesDR(s) }

    /// ∂U += H_prevᵀ·dR (dR = dZ when nil).
    func accumulateHPrevTimesDR<S: TrainScalar>(_ s: RecurrentKernelGradient<S>) {
        let (H, GH) = (s.units, facts.gates * s.units)
        gemm(transA: true, transB: false, m: H, n: GH, k: s.rows, a: s.hPrev, lda: H, b: s.dR ?? s.dZ, ldb: GH, c: s.dU, ldc: GH, beta: 1)
    }
}
