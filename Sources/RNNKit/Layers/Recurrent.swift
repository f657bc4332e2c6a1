/// A recurrent layer: SimpleRNN, LSTM or GRU (both `reset_after` variants), Keras semantics.
///
/// Dimension letters: B batch, T time steps, D input features, H units, G gates
/// (1 SimpleRNN; 4 LSTM in Keras order i, f, c~, o; 3 GRU in order z, r, h~).
/// `kernel` W is `[D, G·H]`, `recurrentKernel` U is `[H, G·H]`, `bias` is `[G·H]`, or
/// `[2, G·H]` (input row, recurrent row) for a GRU with `reset_after`.
public struct Recurrent: Layer {
    public var name: String
    public var cell: Cell
    public var units: Int
    public var activation: Activation
    /// Used by the LSTM/GRU gates; ignored by SimpleRNN.
    public var recurrentActivation: Activation
    public var returnSequences: Bool
    public var returnState: Bool
    /// Keras `go_backwards`: the steps run last to first and a returned sequence stays in that
    /// (reversed) order; its mask is the input's, unreversed, as Keras returns it.
    public var goBackwards: Bool = false
    /// Keras `zero_output_for_mask`: a masked step outputs zeros instead of repeating the
    /// previous output (Bidirectional sets it on both directions when returning sequences).
    public var zeroOutputForMask: Bool = false
    public var useBias: Bool
    public var kernel: Tensor
    public var recurrentKernel: Tensor
    public var bias: Tensor
    /// Weights per time step, `weightsPerStep[t]` = [kernel, recurrent kernel, bias] of step t
    /// (the bias even without `use_bias`), used instead of the shared ones when set. Keras has
    /// no such layer: Decomposition's unrolled modules set it (Decomposition/StepWeights.swift).
    public var weightsPerStep: [[Tensor]]?

    public init(name: String, cell: Cell, inputDim: Int, units: Int, activation: Activation = .tanh,
                recurrentActivation: Activation = .sigmoid, returnSequences: Bool = false,
                returnState: Bool = false, useBias: Bool = true) {
        self.name = name; self.cell = cell; self.units = units; self.activation = activation
        self.recurrentActivation = recurrentActivation; self.returnSequences = returnSequences
        self.returnState = returnState; self.useBias = useBias
        let gh = cell.gates * units
        kernel = Tensor(zeros: [inputDim, gh])
        recurrentKernel = Tensor(zeros: [units, gh])
        bias = Tensor(zeros: cell.biasShape(units: units))
    }

    public var kerasClassName: String { cell.kerasClassName }
    public var gateCount: Int { cell.gates }
    /// Number of states an initial state / `return_state` carries (h, plus c for an LSTM).
    public var stateCount: Int { cell.stateCount }

    public var summaryOptions: String {
        var s = "\(units), \(activation.rawValue)"
        if cell.usesRecurrentActivation { s += "/\(recurrentActivation.rawValue)" }
        s += cell.facts.summaryOptions
        if returnSequences { s += ", seq" }
        if goBackwards { s += ", backwards" }
        if returnState { s += ", state" }
        return s
    }

    public var weights: [NamedWeight] {
        [NamedWeight(name: "kernel", tensor: kernel), NamedWeight(name: "recurrent_kernel", tensor: recurrentKernel)]
            + (useBias ? [NamedWeight(name: "bias", tensor: bias)] : [])
    }

    public func expectedWeightShapes(inputs: [Shape]) throws -> [(name: String, shape: [Int])] {
        try requireRank(inputs[0], 3, "[batch, time, features]")
        let d = try featureDim(inputs[0])
        let gh = cell.gates * units
        return [("kernel", [d, gh]), ("recurrent_kernel", [units, gh])]
            + (useBias ? [("bias", cell.biasShape(units: units))] : [])
    }

    public mutating func setWeights(_ t: [Tensor]) {
        kernel = t[0]; recurrentKernel = t[1]
        bias = useBias ? t[2] : Tensor(zeros: cell.biasShape(units: units))
    }

    public func outputShapes(inputs: [Shape]) throws -> [Shape] {
        try requireRank(inputs[0], 3, "[batch, time, features]")
        let b = inputs[0][0]
        let out: Shape = returnSequences ? [b, inputs[0][1], units] : [b, units]
        return [out] + (returnState ? Array(repeating: [b, units], count: stateCount) : [])
    }
}
