import Foundation

/// Builds kit layers from Keras layer configs. Input shapes are needed to size weights, so
/// layers are built in graph order with the shapes of what they consume.
enum KerasLayerFactory {
    /// The parameters a layer's config declares, computed without building it (so a forged
    /// size is compared with the file's weights before anything is allocated); nil when the
    /// layer has no weights or the config is incomplete (then `make` reports why).
    static func declaredParameters(_ c: KerasLayerConfig, inputs: [Shape]) -> Int? {
        func mul(_ xs: Int...) -> Int? {
            var p = 1
            for x in xs { let (r, o) = p.multipliedReportingOverflow(by: x); if o { return .max }; p = r }
            return p
        }
        let inDim = (inputs.first?.last ?? nil) ?? 0
        switch c.className {
        case "Embedding":
            guard let a = try? c.int("input_dim"), let b = try? c.int("output_dim"), a > 0, b > 0 else { return nil }
            return mul(a, b)
        case _ where Recurrent.Cell(keras: c) != nil:
            guard let cell = Recurrent.Cell(keras: c), let u = try? c.int("units"), u > 0, inDim > 0 else { return nil }
            let biasRows = !c.bool("use_bias", default: true) ? 0 : cell.biasRows
            guard let g = mul(cell.gates, u), let k = mul(inDim, g), let r = mul(u, g), let b = mul(biasRows, g) else { return nil }
            let (kr, o1) = k.addingReportingOverflow(r), (total, o2) = kr.addingReportingOverflow(b)
            return o1 || o2 ? .max : total
        case "Bidirectional":
            guard let inner = try? KerasLayerConfig(c.config["layer"] as Any), let one = declaredParameters(inner, inputs: inputs) else { return nil }
            let (total, o) = one.multipliedReportingOverflow(by: 2)
            return o ? .max : total
        case "Dense", "TimeDistributed":
            let inner = c.className == "Dense" ? c : (try? KerasLayerConfig(c.config["layer"] as Any))
            guard let inner, let u = try? inner.int("units"), u > 0, inDim > 0, let k = mul(inDim, u) else { return nil }
            let (total, o) = k.addingReportingOverflow(inner.bool("use_bias", default: true) ? u : 0)
            return o ? .max : total
        default: return nil
        }
    }

    /// Layer classes the kit builds (InputLayer aside).
    static let supportedClasses = Set(KerasLayerConfig.readFields.keys).subtracting(["InputLayer"])

    /// The checks of a config that need no shapes or weights: a supported class, a float32
    /// dtype, known fields, computable activations. Run before the weights are looked at, so a
    /// refusal names the config's reason rather than a weight it implies.
    static func validate(_ c: KerasLayerConfig) throws {
        guard supportedClasses.contains(c.className) else { throw RNNKitError.unsupportedLayer(kind: c.className, name: c.name) }
        try c.checkDType()
        try c.checkFields()
        for key in ["activation", "recurrent_activation"] where c.config[key] != nil { _ = try c.activation(key, default: "linear") }
        if c.className == "TimeDistributed" {
            let inner = try KerasLayerConfig(c.config["layer"] as Any, keras3: c.keras3)
            guard inner.className == "Dense" else { throw RNNKitError.unsupportedLayer(kind: "TimeDistributed(\(inner.className))", name: c.name) }
            try validate(inner)
        }
        if c.className == "Bidirectional" {
            let inner = try KerasLayerConfig(c.config["layer"] as Any, keras3: c.keras3)
            guard Recurrent.Cell(keras: inner) != nil else { throw RNNKitError.unsupportedLayer(kind: "Bidirectional(\(inner.className))", name: c.name) }
            if let m = c.config["merge_mode"], !(m is NSNull) {
                guard let s = m as? String, Bidirectional.MergeMode(rawValue: s) != nil else {
                    throw RNNKitError.unsupportedOption(layer: c.name, option: "merge_mode", value: jsonText(m))
                }
            }
            try validate(inner)
            if let back = c.config["backward_layer"], !(back is NSNull) { try checkMirror(back, of: inner, in: c) }
        }
    }

    /// Keras 3 writes a Bidirectional's backward direction as its own config (`backward_layer`,
    /// the forward one with `go_backwards` flipped); the kit builds it from the forward one, so
    /// a backward layer that computes anything else (a custom one) is refused by the field that
    /// differs. tf_keras 2 writes one only when a custom layer was given: refused.
    private static func checkMirror(_ back: Any, of forward: KerasLayerConfig, in c: KerasLayerConfig) throws {
        guard c.keras3 == true else {
            throw RNNKitError.unsupportedOption(layer: c.name, option: "backward_layer", value: "a custom backward layer (tf_keras 2)")
        }
        let b = try KerasLayerConfig(back, keras3: c.keras3)
        try validate(b)
        func refuse(_ field: String, _ value: String) -> RNNKitError {
            .unsupportedOption(layer: c.name, option: "backward_layer \(field) (differs from the forward layer's)", value: value)
        }
        guard b.className == forward.className else { throw refuse("class_name", b.className) }
        guard b.bool("go_backwards") != forward.bool("go_backwards") else { throw refuse("go_backwards", b.bool("go_backwards") ? "true" : "false") }
        let read = (KerasLayerConfig.readFields[b.className] ?? []).union(KerasLayerConfig.offFields.keys)
        for key in read.sorted() where !["go_backwards", "zero_output_for_mask"].contains(key) {
            if key.hasSuffix("activation") {
                let (fa, ba) = (try forward.activation(key, default: "linear"), try b.activation(key, default: "linear"))
                guard fa == ba else { throw refuse(key, jsonText(b.config[key] ?? NSNull())) }
                continue
            }
            let (fv, bv) = (forward.config[key].map(jsonText) ?? "null", b.config[key].map(jsonText) ?? "null")
            guard fv == bv else { throw refuse(key, bv) }
        }
    }

    static func make(_ c: KerasLayerConfig, inputs: [Shape]) throws -> any Layer {
        let name = c.name
        try validate(c)
        func inputDim() throws -> Int {
            guard let s = inputs.first, let d = s.last ?? nil else {
                throw RNNKitError.invalidConfig("layer '\(name)': input feature dimension unknown")
            }
            return d
        }
        switch c.className {
        case "Embedding":
            return Embedding(name: name, inputDim: try c.size("input_dim", max: KerasLimits.maxVocabulary),
                             outputDim: try c.size("output_dim", max: KerasLimits.maxDimension),
                             maskZero: c.bool("mask_zero"))
        case _ where Recurrent.Cell(keras: c) != nil:
            try c.requireOff(["stateful", "time_major"])
            let cell = Recurrent.Cell(keras: c)!
            var r = Recurrent(name: name, cell: cell, inputDim: try inputDim(), units: try c.size("units", max: KerasLimits.maxDimension),
                              activation: try c.activation("activation", default: "tanh"),
                              recurrentActivation: try c.activation("recurrent_activation", default: "sigmoid"),
                              returnSequences: c.bool("return_sequences"), returnState: c.bool("return_state"),
                              useBias: c.bool("use_bias", default: true))
            r.goBackwards = c.bool("go_backwards")
            r.zeroOutputForMask = c.bool("zero_output_for_mask")
            return r
        case "Bidirectional":
            let inner = try KerasLayerConfig(c.config["layer"] as Any, keras3: c.keras3)
            guard var r = try make(inner, inputs: inputs) as? Recurrent else { throw RNNKitError.unsupportedLayer(kind: "Bidirectional(\(inner.className))", name: name) }
            // Keras 3 names the wrapped layer forward_<name> in the config; the kit adds the prefix itself.
            if c.keras3 == true, r.name.hasPrefix("forward_") { r.name.removeFirst("forward_".count) }
            let mode = (c.config["merge_mode"] as? String).flatMap(Bidirectional.MergeMode.init(rawValue:))
            return Bidirectional(name: name, layer: r, mergeMode: mode)
        case "Dense":
            return Dense(name: name, inputDim: try inputDim(), units: try c.size("units", max: KerasLimits.maxDimension),
                         activation: try c.activation("activation", default: "linear"), useBias: c.bool("use_bias", default: true))
        case "TimeDistributed":
            let inner = try KerasLayerConfig(c.config["layer"] as Any, keras3: c.keras3)
            return Dense(name: name, inputDim: try inputDim(), units: try inner.size("units", max: KerasLimits.maxDimension),
                         activation: try inner.activation("activation", default: "linear"),
                         useBias: inner.bool("use_bias", default: true), timeDistributed: true, innerName: inner.name)
        case "Flatten": return Flatten(name: name)
        case "RepeatVector": return RepeatVector(name: name, n: try c.size("n", max: KerasLimits.maxDimension))
        case "Dropout", "SpatialDropout1D": return Dropout(name: name, rate: c.double("rate", default: 0))
        case "Activation": return ActivationLayer(name: name, activation: try c.activation("activation", default: "linear"))
        case _ where KerasLayerConfig.activationClasses.contains(c.className):
            return ActivationLayer(name: name, activation: try c.activationOfLayer(), appliesMask: c.className == "Softmax")
        case "Masking": return Masking(name: name, maskValue: Float(c.double("mask_value", default: 0)))
        default: throw RNNKitError.unsupportedLayer(kind: c.className, name: name)
        }
    }
}
