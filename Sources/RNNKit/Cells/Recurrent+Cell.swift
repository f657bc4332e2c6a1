// MARK: - The cell kinds a recurrent layer runs, and the one place each meets its type
//
// Adding a kind: a case here with its arm in each switch below, `<Kind>Cell.swift` (the facts
// and the forward step) and `<Kind>Cell+Backward.swift`. Each switch calls the concrete type,
// so a step is specialised for the scalar and the path's activations.

extension Recurrent {
    public enum Cell: Sendable, Equatable {
        case simple, lstm, gru(resetAfter: Bool)
    }
}

extension Recurrent.Cell {
    var facts: CellFacts {
        switch self {
        case .simple: SimpleRNNCell().facts
        case .lstm: LSTMCell().facts
        case .gru(let resetAfter): GRUCell(resetAfter: resetAfter).facts
        }
    }

    /// The cell a Keras layer config names (nil: no recurrent class). GRU's `reset_after`
    /// defaults to true, as in tf.keras 2.
    init?(keras c: KerasLayerConfig) {
        switch c.className {
        case "SimpleRNN": self = .simple
        case "LSTM": self = .lstm
        case "GRU": self = .gru(resetAfter: c.bool("reset_after", default: true))
        default: return nil
        }
    }

    func forward<A: GateActivations>(_ s: CellStep<A.Scalar>, _ act: A) {
        switch self {
        case .simple: SimpleRNNCell().forward(s, act)
        case .lstm: LSTMCell().forward(s, act)
        case .gru(let resetAfter): GRUCell(resetAfter: resetAfter).forward(s, act)
        }
    }

    func backward<S: TrainScalar>(_ s: CellGradientStep<S>) {
        switch self {
        case .simple: SimpleRNNCell().backward(s)
        case .lstm: LSTMCell().backward(s)
        case .gru(let resetAfter): GRUCell(resetAfter: resetAfter).backward(s)
        }
    }

    func accumulateRecurrentKernelGradient<S: TrainScalar>(_ s: RecurrentKernelGradient<S>) {
        switch self {
        case .simple: SimpleRNNCell().accumulateRecurrentKernelGradient(s)
        case .lstm: LSTMCell().accumulateRecurrentKernelGradient(s)
        case .gru(let resetAfter): GRUCell(resetAfter: resetAfter).accumulateRecurrentKernelGradient(s)
        }
    }

    // MARK: facts
    public var gates: Int { facts.gates }
    /// States a step carries: h, plus c for an LSTM.
    public var stateCount: Int { facts.stateCount }
    /// Whether gate block g (Keras order) is a sigmoid gate (recurrent activation) rather than
    /// a candidate (activation): LSTM i, f, o; GRU z, r; SimpleRNN has none.
    public func isSigmoidGate(_ g: Int) -> Bool { facts.sigmoidGates.contains(g) }
    /// Whether the recurrent activation is used at all (some gate is a sigmoid gate).
    public var usesRecurrentActivation: Bool { !facts.sigmoidGates.isEmpty }
    /// The sub-scope Keras puts the cell's weights under (`lstm/lstm_cell/kernel:0`).
    public var kerasCellScope: String { facts.kerasCellScope }
    public var kerasClassName: String { facts.kerasClassName }
    var hasRecurrentBias: Bool { facts.hasRecurrentBias }
    /// 1, or 2 with a recurrent bias row (input row, recurrent row).
    var biasRows: Int { hasRecurrentBias ? 2 : 1 }
    /// `[G·H]`, or `[2, G·H]` with a recurrent bias row.
    func biasShape(units: Int) -> [Int] { hasRecurrentBias ? [2, gates * units] : [gates * units] }
}
