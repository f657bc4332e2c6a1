import RNNKit

/// Decomposition observes and edits a recurrent layer's steps in input order; Bidirectional
/// and go_backwards layers are not decomposed yet and are refused by name rather than misread.
func refuseReversedDirections(_ model: Model) throws {
    for n in model.nodes {
        if n.layer is Bidirectional {
            throw DecompositionError.unsupportedModel("layer \(n.layer.name) is Bidirectional, which decomposition does not support yet")
        }
        if let r = n.layer as? Recurrent, r.goBackwards {
            throw DecompositionError.unsupportedModel("layer \(n.layer.name) has go_backwards, which decomposition does not support yet")
        }
    }
}
