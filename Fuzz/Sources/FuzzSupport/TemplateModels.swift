import Foundation
import RNNKit

/// Small models the kit writes as seeds, covering every layer kind and option it reads:
/// `zoo` is one Functional graph holding them all (its `model_weights` is also the weights
/// group the config target builds against); the others are chains of the same layers, so
/// the same names and weights fit them.
public enum TemplateModels {
    /// Deterministic weights in [-0.45, 0.45] (a ramp, as the CLI tests use).
    static func filled(_ layer: any Layer, salt: Int) -> any Layer {
        var l = layer
        l.setWeights(l.weights.map { w in
            Tensor(shape: w.tensor.shape, data: (0..<w.tensor.count).map { Float(($0 * 37 + salt * 11) % 19 - 9) / 20 })
        })
        return l
    }

    static let embedding = filled(Embedding(name: "embedding", inputDim: 12, outputDim: 3, maskZero: true), salt: 1)
    static let lstm = filled(Recurrent(name: "lstm", cell: .lstm, inputDim: 3, units: 4, recurrentActivation: .hardSigmoid,
                                       returnState: true), salt: 2)
    static let dense = filled(Dense(name: "dense", inputDim: 4, units: 2, activation: .softmax), salt: 3)
    static let targetEmbedding = filled(Embedding(name: "target_embedding", inputDim: 10, outputDim: 3), salt: 4)
    static let decoder = filled(Recurrent(name: "decoder", cell: .lstm, inputDim: 3, units: 4, returnSequences: true), salt: 5)
    static let timeDistributed = filled(Dense(name: "time_distributed", inputDim: 4, units: 10, activation: .softmax,
                                              timeDistributed: true, innerName: "td_dense"), salt: 6)
    static let masking = Masking(name: "masking", maskValue: 0)
    static let gru = filled(Recurrent(name: "gru", cell: .gru(resetAfter: true), inputDim: 3, units: 3, returnSequences: true), salt: 7)
    static let gruClassic = filled(Recurrent(name: "gru_classic", cell: .gru(resetAfter: false), inputDim: 3, units: 2,
                                             recurrentActivation: .hardSigmoid, returnSequences: true), salt: 8)
    static let simpleRNN = filled(Recurrent(name: "simple_rnn", cell: .simple, inputDim: 2, units: 2, activation: .relu,
                                            returnSequences: true, useBias: false), salt: 9)
    static let dense3D = filled(Dense(name: "dense_3d", inputDim: 2, units: 2, activation: .tanh), salt: 10)
    static let flatten = Flatten(name: "flatten")
    static let dropout = Dropout(name: "dropout", rate: 0.5)
    static let activation = ActivationLayer(name: "activation", activation: .softmax)
    static let repeatVector = RepeatVector(name: "repeat_vector", n: 3)
    static let oneToMany = filled(Recurrent(name: "o2m_rnn", cell: .simple, inputDim: 3, units: 2, returnSequences: true), salt: 11)

    static let tokens = ModelInput(name: "tokens", shape: [nil, 4], dtype: "int32")
    static let target = ModelInput(name: "target", shape: [nil, 3], dtype: "int32")
    static let features = ModelInput(name: "features", shape: [nil, 4, 3])
    static let vector = ModelInput(name: "vector", shape: [nil, 3])

    static func ref(_ layer: String, _ index: Int = 0) -> TensorRef { TensorRef(layer: layer, index: index) }

    /// The encoder-decoder part: the decoder starts from the encoder's returned states.
    static var encoderDecoderNodes: [Node] {
        [Node(layer: embedding, inputs: [ref("tokens")]),
         Node(layer: lstm, inputs: [ref("embedding")]),
         Node(layer: targetEmbedding, inputs: [ref("target")]),
         Node(layer: decoder, inputs: [ref("target_embedding"), ref("lstm", 1), ref("lstm", 2)]),
         Node(layer: timeDistributed, inputs: [ref("decoder")])]
    }

    public static func all() throws -> [(name: String, model: Model)] {
        var lstmAlone = lstm as! Recurrent
        lstmAlone.returnState = false
        let zooNodes = encoderDecoderNodes + [
            Node(layer: dense, inputs: [ref("lstm")]),
            Node(layer: masking, inputs: [ref("features")]),
            Node(layer: gru, inputs: [ref("masking")]),
            Node(layer: gruClassic, inputs: [ref("gru")]),
            Node(layer: simpleRNN, inputs: [ref("gru_classic")]),
            Node(layer: dense3D, inputs: [ref("simple_rnn")]),
            Node(layer: flatten, inputs: [ref("dense_3d")]),
            Node(layer: dropout, inputs: [ref("flatten")]),
            Node(layer: activation, inputs: [ref("dropout")]),
            Node(layer: repeatVector, inputs: [ref("vector")]),
            Node(layer: oneToMany, inputs: [ref("repeat_vector")]),
        ]
        return [
            ("zoo", try Model(name: "zoo", isSequential: false, inputs: [tokens, target, features, vector], nodes: zooNodes,
                              outputs: [ref("dense"), ref("time_distributed"), ref("activation"), ref("o2m_rnn")])),
            ("encoder_decoder", try Model(name: "encoder_decoder", isSequential: false, inputs: [tokens, target],
                                          nodes: encoderDecoderNodes, outputs: [ref("time_distributed")])),
            ("many_to_one", try Model.sequential(name: "many_to_one", input: tokens, layers: [embedding, lstmAlone, dense])),
            ("many_to_many", try Model.sequential(name: "many_to_many", input: features,
                                                  layers: [masking, gru, gruClassic, simpleRNN, dense3D, flatten, dropout, activation])),
            ("one_to_many", try Model.sequential(name: "one_to_many", input: vector, layers: [repeatVector, oneToMany])),
        ]
    }
}
