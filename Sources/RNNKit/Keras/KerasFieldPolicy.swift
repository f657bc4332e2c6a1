import Foundation

/// Which config fields of each layer class the kit reads, which change nothing at inference,
/// and which must keep their default: any other field, or a non-default value, is refused by
/// name, so a field a newer Keras adds cannot silently change what a model computes.
extension KerasLayerConfig {
    /// Fields with no effect on inference: naming, training-time settings (initialisers,
    /// regularisers, constraints, dropout), execution strategy (`unroll`, `implementation`,
    /// `use_cudnn`) and shape declarations checked elsewhere.
    static let inertFields: Set<String> = [
        "name", "trainable", "dtype", "batch_input_shape", "batch_shape", "input_dim", "input_length", "batch_size",
        "dropout", "recurrent_dropout", "seed", "noise_shape", "unroll", "implementation", "use_cudnn", "unit_forget_bias",
    ]

    /// Fields each class reads (the factory, or `activationOfLayer`).
    static let readFields: [String: Set<String>] = [
        "InputLayer": ["sparse", "ragged", "optional"],
        "Embedding": ["input_dim", "output_dim", "mask_zero"],
        "SimpleRNN": ["units", "activation", "go_backwards", "zero_output_for_mask", "use_bias", "return_sequences", "return_state"],
        "LSTM": ["units", "activation", "go_backwards", "zero_output_for_mask", "recurrent_activation", "use_bias", "return_sequences", "return_state"],
        "GRU": ["units", "activation", "go_backwards", "zero_output_for_mask", "recurrent_activation", "use_bias", "return_sequences", "return_state", "reset_after"],
        "Dense": ["units", "activation", "use_bias"],
        "TimeDistributed": ["layer"],
        "Bidirectional": ["layer", "merge_mode", "backward_layer"],
        "Flatten": [],
        "RepeatVector": ["n"],
        "Dropout": ["rate"], "SpatialDropout1D": ["rate"],
        "Activation": ["activation"],
        "Masking": ["mask_value"],
        "LeakyReLU": ["alpha", "negative_slope"],
        "ReLU": ["max_value", "negative_slope", "threshold"],
        "ThresholdedReLU": ["theta"],
        "ELU": ["alpha"],
        "Softmax": ["axis"],
    ]

    /// Fields that change the computation in a way the kit does not implement, with the value
    /// (JSON, as text) that means "off"; null always means off.
    static let offFields: [String: Set<String>] = [
        "stateful": ["false"], "time_major": ["false"],
        // Recurrent constants passed through a Bidirectional.
        "num_constants": ["0"],
        "sparse": ["false"], "ragged": ["false"], "optional": ["false"],
        // Keras 3 LoRA adapters and quantisation add weights and change the kernel.
        "lora_rank": ["0"], "lora_alpha": [], "quantization_config": [],
        "data_format": ["\"channels_last\""],
    ]

    /// Fields read with a default (`bool`, `double`): a value of another JSON type would
    /// silently be the default, so it is refused here.
    static let booleanFields: Set<String> = [
        "return_sequences", "return_state", "use_bias", "mask_zero", "reset_after", "go_backwards", "stateful",
        "time_major", "zero_output_for_mask", "sparse", "ragged", "optional",
    ]
    static let numberFields: Set<String> = ["rate", "mask_value"]

    /// Refuses a field the kit does not know for this class, a non-default value of a field
    /// it does not implement, and a value of the wrong JSON type.
    func checkFields() throws {
        let read = KerasLayerConfig.readFields[className] ?? []
        for (key, value) in config.sorted(by: { $0.key < $1.key }) {
            if value is NSNull { continue }
            if KerasLayerConfig.booleanFields.contains(key), !isJSONBool(value) {
                throw RNNKitError.invalidConfig("layer '\(name)': \(key) is \(jsonText(value)), expected true or false")
            }
            if KerasLayerConfig.numberFields.contains(key), isJSONBool(value) || !(jsonNumber(value)?.isFinite ?? false) {
                throw RNNKitError.invalidConfig("layer '\(name)': \(key) is \(jsonText(value)), expected a finite number")
            }
            if let off = KerasLayerConfig.offFields[key] {
                let text = jsonText(value)
                guard value is NSNull || off.contains(text) else {
                    throw RNNKitError.unsupportedOption(layer: name, option: key, value: text)
                }
                continue
            }
            if read.contains(key) || KerasLayerConfig.inertFields.contains(key) { continue }
            // Initialisers, regularisers and constraints shape training only.
            if ["_initializer", "_regularizer", "_constraint"].contains(where: key.hasSuffix) { continue }
            throw RNNKitError.unsupportedOption(layer: name, option: "\(key) (a \(className) field the kit does not know)", value: jsonText(value))
        }
    }
}

/// A JSON value as compact text, for messages and comparisons (`false`, `"channels_last"`).
func jsonText(_ v: Any) -> String {
    if isJSONBool(v) { return (v as? Bool ?? false) ? "true" : "false" }
    if let s = v as? String { return "\"\(s)\"" }
    if v is NSNull { return "null" }
    if let n = v as? NSNumber { return n.stringValue }
    guard JSONSerialization.isValidJSONObject(v), let d = try? JSONSerialization.data(withJSONObject: v, options: [.sortedKeys]) else { return "\(v)" }
    let s = String(decoding: d, as: UTF8.self)
    return s.count > 80 ? String(s.prefix(77)) + "..." : s
}
