import RNNKit

/// Translation decomposition observes and edits the decoder's steps as a greedy decoder runs
/// them, one at a time in input order; a Bidirectional or go_backwards layer cannot run that
/// way, so encoder-decoders with one are refused by name rather than misread. (Classification
/// models decompose them per direction: RecurrentPart.)
func refuseReversedDirections(_ model: Model) throws {
    for n in model.nodes {
        if n.layer is Bidirectional {
            throw DecompositionError.unsupportedModel("layer \(n.layer.name) is Bidirectional, which translation decomposition does not support")
        }
        if let r = n.layer as? Recurrent, r.goBackwards {
            throw DecompositionError.unsupportedModel("layer \(n.layer.name) has go_backwards, which translation decomposition does not support")
        }
    }
}
