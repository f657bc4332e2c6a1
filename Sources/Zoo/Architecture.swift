import Corpora
import RNNKit

/// The recurrent cell of a zoo model (the CLI's `--cell`): Vanilla RNN with tanh or ReLU, LSTM, GRU.
public enum CellKind: String, CaseIterable, Codable, Sendable {
    case rnn, relu, lstm, gru

    var cell: Recurrent.Cell {
        switch self {
        case .rnn, .relu: return .simple
        case .lstm: return .lstm
        // The authors' GRU files are reset_after=False (Keras 1/2 classic).
        case .gru: return .gru(resetAfter: false)
        }
    }

    var activation: Activation { self == .relu ? .relu : .tanh }

    /// Keras layer-name stem, as Keras names layers (`lstm`, `lstm_1`, …).
    var stem: String {
        switch self { case .rnn, .relu: return "simple_rnn"; case .lstm: return "lstm"; case .gru: return "gru" }
    }
}

/// The paper's model for one I/O shape (DATA.md "Recipes"), sized by its fields.
///
/// - 1:1  Embedding → Flatten → RepeatVector(1) → k recurrent → Dense softmax
/// - M:1  Embedding → k recurrent → Dense softmax
/// - 1:N  Embedding → Flatten → RepeatVector(outputSteps) → k recurrent (sequences) → TimeDistributed(Dense softmax)
/// - M:N  Embedding → k recurrent (sequences) → TimeDistributed(Dense softmax)
/// - encoder-decoder: two inputs (`source`, `target`), both embeddings mask_zero; encoder
///   layer i's final state (h, or h and c) is decoder layer i's initial state; the decoder
///   returns sequences into Dense softmax over the target vocabulary (teacher forcing).
///
/// Recurrent gates use hard_sigmoid, as every one of the authors' published files does.
public struct Architecture: Codable, Hashable, Sendable {
    public var task: Task
    public var cell: CellKind
    public var layers: Int
    public var units: Int
    public var embed: Int
    /// Embedding input size (the encoder's for encoder-decoder).
    public var vocabulary: Int
    /// Output classes (the target vocabulary for encoder-decoder).
    public var classes: Int
    /// Input steps (source length for encoder-decoder).
    public var inputLength: Int
    /// Output steps: RepeatVector's n for 1:N, the decoder length for encoder-decoder.
    public var outputSteps: Int
    /// Embedding(mask_zero) for the one-input shapes (always on for encoder-decoder).
    public var maskZero: Bool
    /// Each recurrent layer wrapped in `Bidirectional(merge_mode="concat")` (one-input shapes
    /// only); nil (not written) for the paper's unidirectional models.
    public var bidirectional: Bool? = nil

    public init(task: Task, cell: CellKind, layers: Int, units: Int = 100, embed: Int = 50, vocabulary: Int, classes: Int,
                inputLength: Int, outputSteps: Int = 1, maskZero: Bool = false) {
        self.task = task; self.cell = cell; self.layers = layers; self.units = units; self.embed = embed
        self.vocabulary = vocabulary; self.classes = classes; self.inputLength = inputLength
        self.outputSteps = outputSteps; self.maskZero = maskZero
    }

    /// The architecture the paper uses for `dataset`'s I/O type, sized from the data set.
    public static func paper(for dataset: Dataset, cell: CellKind, layers: Int, units: Int = 100, embed: Int? = nil) -> Architecture {
        let length = dataset.train.x.rowLength
        let steps = dataset.train.y.rowLength
        // Brown's recipe embeds into 100 dimensions; the others into 50.
        let e = embed ?? (dataset.task == .manyToMany ? 100 : 50)
        return Architecture(task: dataset.task, cell: cell, layers: layers, units: units, embed: e, vocabulary: dataset.vocabSize,
                            classes: dataset.numClasses, inputLength: length, outputSteps: steps,
                            maskZero: dataset.task == .encoderDecoder)
    }

    /// The model with zero weights (`kerasInitialized(seed:)` draws Keras's initial weights).
    public func build(name: String = "model") throws -> Model {
        guard (1...8).contains(layers), units > 0, embed > 0, vocabulary > 0, classes > 0, inputLength > 0, outputSteps > 0 else {
            throw RNNKitError.invalidConfig("architecture \(self) is out of range")
        }
        if task == .encoderDecoder {
            guard bidirectional != true else { throw RNNKitError.invalidConfig("a bidirectional encoder-decoder is not one of the zoo's architectures") }
            return try encoderDecoder(name: name)
        }
        var stack: [any Layer] = [Embedding(name: "embedding", inputDim: vocabulary, outputDim: embed, maskZero: maskZero)]
        var width = embed
        switch task {
        case .oneToOne, .oneToMany:
            stack.append(Flatten(name: "flatten"))
            stack.append(RepeatVector(name: "repeat_vector", n: task == .oneToOne ? 1 : outputSteps))
            width = inputLength * embed
        default: break
        }
        let sequenceOutput = task == .oneToMany || task == .manyToMany
        for i in 0..<layers {
            let suffix = i == 0 ? "" : "_\(i)"
            let r = recurrent(name: cell.stem + suffix, inputDim: width, sequences: sequenceOutput || i < layers - 1)
            // Keras names the wrappers `bidirectional`, `bidirectional_1`, …; concat doubles the width.
            stack.append(bidirectional == true ? Bidirectional(name: "bidirectional" + suffix, layer: r, mergeMode: .concat) : r)
            width = bidirectional == true ? 2 * units : units
        }
        stack.append(sequenceOutput
            ? Dense(name: "time_distributed", inputDim: width, units: classes, activation: .softmax, timeDistributed: true, innerName: "dense")
            : Dense(name: "dense", inputDim: width, units: classes, activation: .softmax))
        return try Model.sequential(name: name, input: ModelInput(name: "input_1", shape: [nil, inputLength], dtype: "int32"), layers: stack)
    }

    private func recurrent(name: String, inputDim: Int, sequences: Bool, state: Bool = false) -> Recurrent {
        Recurrent(name: name, cell: cell.cell, inputDim: inputDim, units: units, activation: cell.activation,
                  recurrentActivation: .hardSigmoid, returnSequences: sequences, returnState: state)
    }

    private func encoderDecoder(name: String) throws -> Model {
        let source = ModelInput(name: "source", shape: [nil, inputLength], dtype: "int32")
        let target = ModelInput(name: "target", shape: [nil, outputSteps], dtype: "int32")
        var nodes = [Node(layer: Embedding(name: "encoder_embedding", inputDim: vocabulary, outputDim: embed, maskZero: true),
                          inputs: [TensorRef(layer: source.name)])]
        var previous = TensorRef(layer: "encoder_embedding")
        var encoders: [String] = []
        for i in 0..<layers {
            let n = "encoder_" + cell.stem + (i == 0 ? "" : "_\(i)")
            nodes.append(Node(layer: recurrent(name: n, inputDim: i == 0 ? embed : units, sequences: i < layers - 1, state: true), inputs: [previous]))
            encoders.append(n)
            previous = TensorRef(layer: n)
        }
        nodes.append(Node(layer: Embedding(name: "decoder_embedding", inputDim: classes, outputDim: embed, maskZero: true),
                          inputs: [TensorRef(layer: target.name)]))
        previous = TensorRef(layer: "decoder_embedding")
        let states = cell.cell.stateCount
        for i in 0..<layers {
            let n = "decoder_" + cell.stem + (i == 0 ? "" : "_\(i)")
            let initial = (1...states).map { TensorRef(layer: encoders[i], index: $0) }
            nodes.append(Node(layer: recurrent(name: n, inputDim: i == 0 ? embed : units, sequences: true), inputs: [previous] + initial))
            previous = TensorRef(layer: n)
        }
        nodes.append(Node(layer: Dense(name: "decoder_output", inputDim: units, units: classes, activation: .softmax), inputs: [previous]))
        return try Model(name: name, isSequential: false, inputs: [source, target], nodes: nodes, outputs: [TensorRef(layer: "decoder_output")])
    }
}
