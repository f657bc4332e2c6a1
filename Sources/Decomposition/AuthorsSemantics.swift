import RNNKit

/// The forward semantics of the authors' NumPy pipeline (ALGORITHMS.md §2b item 1), as a
/// model transformation: every recurrent gate uses the logistic sigmoid (their files say
/// hard_sigmoid), and a classic GRU (`reset_after=False`) computes its candidate as
/// tanh(x·W_h + r ⊙ (h·U_h) + b_h) — exactly a reset-after GRU whose recurrent bias is zero.
/// Run it with `Precision.float64`, as they computed in float64.
public enum AuthorsSemantics {
    public static func apply(to model: Model) -> Model {
        var m = model
        for i in m.nodes.indices {
            if var r = m.nodes[i].layer as? Recurrent { apply(to: &r); m.nodes[i].layer = r }
            if var b = m.nodes[i].layer as? Bidirectional {
                apply(to: &b.forwardLayer); apply(to: &b.backwardLayer); m.nodes[i].layer = b
            }
        }
        return m
    }

    static func apply(to r: inout Recurrent) {
        if r.cell.usesRecurrentActivation { r.recurrentActivation = .sigmoid }
        if r.cell == .gru(resetAfter: false) {
            let gh = r.kernel.shape[1]
            r.cell = .gru(resetAfter: true)
            r.bias = Tensor(shape: [2, gh], data: r.bias.data + [Float](repeating: 0, count: gh))
        }
    }

    /// The authors' rolled many-output evaluators (`*/one_to_many/evaluator_rolled.py`,
    /// `*/many_to_many_same/evaluator_rolled.py`) never load a module's pruned weights into the
    /// arrays their propagator computes with, which their layer builder initialises to zeros:
    /// every embedding, W, U and B is 0. This reproduces that on request
    /// (`--authors-evaluator-artifact`): the recurrent state stays 0 (tanh, relu, LSTM and GRU
    /// alike), so a module's output is its output layer's bias alone and the vote is constant.
    /// An artifact of their evaluation, not the method (ALGORITHMS.md §2c).
    public static func evaluatorArtifact(_ model: Model) -> Model {
        var m = model
        for i in m.nodes.indices {
            var layer = m.nodes[i].layer
            guard layer is Recurrent || layer is Bidirectional || layer is Embedding else { continue }
            layer.setWeights(layer.weights.map { Tensor(shape: $0.tensor.shape, data: [Float](repeating: 0, count: $0.tensor.count)) })
            m.nodes[i].layer = layer
        }
        return m
    }

    /// The model a preset evaluates and decomposes, and the precision it runs in.
    public static func prepare(_ model: Model, preset: DecompositionConfig.Preset) -> (Model, Precision) {
        preset == .authors ? (apply(to: model), .float64) : (model, .auto)
    }
}
