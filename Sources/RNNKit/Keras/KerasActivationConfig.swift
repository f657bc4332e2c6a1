import Foundation

/// Activations as a config writes them: a name (`"relu"`), or an activation object — a layer
/// passed as `activation=` (`Dense(activation=LeakyReLU(0.3))`), written as
/// `{"class_name": "LeakyReLU", "config": {…}}` (Keras 3 adds `module`, `registered_name`).
/// Each is computed exactly or refused by name; none falls back to a default.
extension KerasLayerConfig {
    /// The activation layer classes Keras ships that the kit computes (as a layer of their
    /// own or as another layer's `activation`).
    static let activationClasses: Set<String> = ["LeakyReLU", "ReLU", "ELU", "ThresholdedReLU", "Softmax"]

    func namedActivation(_ value: String, field: String) throws -> Activation {
        if value == "hard_sigmoid", keras3 == nil {
            throw RNNKitError.refusedValue(layer: name, field: field, value: value,
                                           reason: "Keras 2 computes clip(0.2x + 0.5, 0, 1), Keras 3 relu6(x + 3)/6, and the file names no keras_version")
        }
        return try Activation(keras: value, layer: name, keras3: keras3 ?? false)
    }

    /// A config value naming an activation: a string, or an activation object.
    func activationValue(_ v: Any, field: String) throws -> Activation {
        if let s = v as? String { return try namedActivation(s, field: field) }
        guard let obj = v as? [String: Any], let cls = obj["class_name"] as? String else {
            throw RNNKitError.invalidConfig("layer '\(name)': \(field) is \(v), neither an activation name nor a {class_name, config} object")
        }
        // Keras 3 writes a plain function it has no name for as {"class_name": "function", "config": "<name>"}.
        if let fn = obj["config"] as? String, cls == "function" { return try namedActivation(fn, field: field) }
        let inner = try KerasLayerConfig(obj, keras3: keras3)
        try inner.checkDType()
        guard KerasLayerConfig.activationClasses.contains(cls) || cls == "Activation" else {
            if cls == "PReLU" {
                throw RNNKitError.refusedValue(layer: name, field: field, value: "PReLU",
                                               reason: "an activation with its own weights (alpha) stored inside this layer; the kit computes parameter-free activations only")
            }
            throw RNNKitError.unknownActivation(name: cls, layer: name)
        }
        try inner.checkFields()
        return try inner.activationOfLayer()
    }

    /// What an activation layer (`Activation`, `ReLU`, `LeakyReLU`, …) computes, from its config.
    func activationOfLayer() throws -> Activation {
        switch className {
        case "Activation": return try activation("activation", default: "linear")
        case "LeakyReLU":
            // tf.keras 2 calls the slope `alpha`, Keras 3 `negative_slope`; both default to 0.3.
            let slope = try number(config["negative_slope"] != nil ? "negative_slope" : "alpha", default: 0.3)
            return .reLU(negativeSlope: slope, maxValue: nil, threshold: 0)
        case "ReLU":
            let maxValue = config["max_value"].flatMap { $0 is NSNull ? nil : $0 }
            return .reLU(negativeSlope: try number("negative_slope", default: 0),
                         maxValue: try maxValue.map { _ in try number("max_value", default: 0) },
                         threshold: try number("threshold", default: 0))
        case "ThresholdedReLU":
            // x·[x > θ]: Keras's ReLU with that threshold and no slope.
            return .reLU(negativeSlope: 0, maxValue: nil, threshold: try number("theta", default: 1))
        case "ELU":
            let alpha = try number("alpha", default: 1)
            return alpha == 1 ? .elu : .scaledELU(alpha: alpha)
        case "Softmax":
            // The kit's softmax normalises the last axis, Keras's default.
            let axis = config["axis"] ?? -1
            guard jsonInt(axis) == -1 || (axis as? [Any]).map({ $0.count == 1 && jsonInt($0[0]) == -1 }) == true else {
                throw RNNKitError.unsupportedOption(layer: name, option: "axis", value: "\(axis)")
            }
            return .softmax
        default: throw RNNKitError.unsupportedLayer(kind: className, name: name)
        }
    }

    /// A finite number in `key` (missing or null: `d`).
    func number(_ key: String, default d: Double) throws -> Double {
        guard let v = config[key], !(v is NSNull) else { return d }
        guard !isJSONBool(v), let x = jsonNumber(v), x.isFinite else {
            throw RNNKitError.invalidConfig("layer '\(name)': \(key) is \(v), expected a finite number")
        }
        return x
    }

    /// The layer's dtype (a name, or a tf.keras `Policy` / Keras 3 `DTypePolicy` object) must
    /// compute in float32: a half-precision policy rounds every layer's output (mixed_float16
    /// is 6.5e-4 off float32 on a small LSTM), float64 computes more precisely than the kit.
    func checkDType() throws {
        guard let v = config["dtype"], !(v is NSNull) else { return }
        let policy: String
        if let s = v as? String {
            policy = s
        } else if let d = v as? [String: Any], let cls = d["class_name"] as? String {
            guard !cls.contains("Quantized") else {
                throw RNNKitError.refusedValue(layer: name, field: "dtype", value: cls, reason: "quantized weights and arithmetic; the kit computes in float32")
            }
            guard let n = (d["config"] as? [String: Any])?["name"] as? String else {
                throw RNNKitError.invalidConfig("layer '\(name)': dtype policy \(cls) without a name")
            }
            policy = n
        } else {
            throw RNNKitError.invalidConfig("layer '\(name)': dtype is \(v), neither a name nor a policy object")
        }
        if className == "InputLayer" {
            // An input's dtype is the type fed in (token ids), not a computation.
            guard !["float16", "bfloat16"].contains(policy) else {
                throw RNNKitError.refusedValue(layer: name, field: "dtype", value: policy, reason: "inputs rounded to half precision; the kit computes in float32")
            }
            return
        }
        switch policy {
        case "float32": return
        case "mixed_float16", "mixed_bfloat16":
            throw RNNKitError.refusedValue(layer: name, field: "dtype", value: policy,
                                           reason: "Keras computes this layer in \(policy.dropFirst(6)) (float32 weights), the kit in float32; its outputs would differ by Keras's rounding")
        case "float16", "bfloat16":
            throw RNNKitError.refusedValue(layer: name, field: "dtype", value: policy, reason: "half-precision weights and arithmetic; the kit computes in float32")
        default:
            throw RNNKitError.refusedValue(layer: name, field: "dtype", value: policy, reason: "the kit computes layers in float32 only")
        }
    }
}
