/// Builds kit layers from Keras layer configs. Input shapes are needed to size weights, so
/// layers are built in graph order with the shapes of what they consume.
enum KerasLayerFactory {
    static func make(_ c: KerasLayerConfig, inputs: [Shape]) throws -> any Layer {
        let name = c.name
        func inputDim() throws -> Int {
            guard let s = inputs.first, let d = s.last ?? nil else {
                throw RNNKitError.invalidConfig("layer '\(name)': input feature dimension unknown")
            }
            return d
        }
        switch c.className {
        case "Embedding":
            return Embedding(name: name, inputDim: try c.int("input_dim"), outputDim: try c.int("output_dim"),
                             maskZero: c.bool("mask_zero"))
        case "SimpleRNN", "LSTM", "GRU":
            try c.requireOff(["go_backwards", "stateful", "time_major"])
            let cell: Recurrent.Cell = c.className == "SimpleRNN" ? .simple
                : c.className == "LSTM" ? .lstm : .gru(resetAfter: c.bool("reset_after", default: true))
            return Recurrent(name: name, cell: cell, inputDim: try inputDim(), units: try c.int("units"),
                             activation: try c.activation("activation", default: "tanh"),
                             recurrentActivation: try c.activation("recurrent_activation", default: "sigmoid"),
                             returnSequences: c.bool("return_sequences"), returnState: c.bool("return_state"),
                             useBias: c.bool("use_bias", default: true))
        case "Dense":
            return Dense(name: name, inputDim: try inputDim(), units: try c.int("units"),
                         activation: try c.activation("activation", default: "linear"), useBias: c.bool("use_bias", default: true))
        case "TimeDistributed":
            let inner = try KerasLayerConfig(c.config["layer"] as Any)
            guard inner.className == "Dense" else { throw RNNKitError.unsupportedLayer(kind: "TimeDistributed(\(inner.className))", name: name) }
            return Dense(name: name, inputDim: try inputDim(), units: try inner.int("units"),
                         activation: try inner.activation("activation", default: "linear"),
                         useBias: inner.bool("use_bias", default: true), timeDistributed: true, innerName: inner.name)
        case "Flatten": return Flatten(name: name)
        case "RepeatVector": return RepeatVector(name: name, n: try c.int("n"))
        case "Dropout", "SpatialDropout1D": return Dropout(name: name, rate: c.double("rate", default: 0))
        case "Activation": return ActivationLayer(name: name, activation: try c.activation("activation", default: "linear"))
        case "Masking": return Masking(name: name, maskValue: Float(c.double("mask_value", default: 0)))
        default: throw RNNKitError.unsupportedLayer(kind: c.className, name: name)
        }
    }
}
