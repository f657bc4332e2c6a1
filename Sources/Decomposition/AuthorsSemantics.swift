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
            guard var r = m.nodes[i].layer as? Recurrent else { continue }
            if r.cell != .simple { r.recurrentActivation = .sigmoid }
            if r.cell == .gru(resetAfter: false) {
                let gh = r.kernel.shape[1]
                r.cell = .gru(resetAfter: true)
                r.bias = Tensor(shape: [2, gh], data: r.bias.data + [Float](repeating: 0, count: gh))
            }
            m.nodes[i].layer = r
        }
        return m
    }

    /// The model a preset evaluates and decomposes, and the precision it runs in.
    public static func prepare(_ model: Model, preset: DecompositionConfig.Preset) -> (Model, Precision) {
        preset == .authors ? (apply(to: model), .float64) : (model, .auto)
    }
}
