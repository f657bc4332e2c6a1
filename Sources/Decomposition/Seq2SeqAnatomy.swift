import RNNKit

/// The decoder side of an encoder-decoder model: recurrent layers on the path from the
/// second (target) input to the output Dense.
struct Seq2SeqAnatomy {
    var decoder: [Int]
    var output: Int
    var sourceInput: String
    var targetInput: String

    init(_ model: Model) throws {
        guard model.inputs.count == 2, model.outputs.count == 1 else {
            throw DecompositionError.unsupportedModel("an encoder-decoder has two inputs (source, target) and one output")
        }
        try refuseReversedDirections(model)
        sourceInput = model.inputs[0].name; targetInput = model.inputs[1].name
        // Layers whose main input descends from the target input.
        var decoderSide: Set<String> = [targetInput]
        for n in model.nodes where decoderSide.contains(n.inputs[0].layer) { decoderSide.insert(n.layer.name) }
        decoder = model.nodes.indices.filter { model.nodes[$0].layer is Recurrent && decoderSide.contains(model.nodes[$0].layer.name) }
        guard !decoder.isEmpty, let out = model.nodes.indices.last(where: { model.nodes[$0].layer is Dense }), out > decoder.last! else {
            throw DecompositionError.unsupportedModel("no decoder recurrent layer before the output Dense")
        }
        output = out
        for i in decoder.dropLast() where !(model.nodes[i].layer as! Recurrent).returnSequences {
            throw DecompositionError.unsupportedModel("decoder layer \(model.nodes[i].layer.name) must return sequences")
        }
    }
}
