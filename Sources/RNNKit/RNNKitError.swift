/// Errors of model import, shape checking and inference. Each names the layer, weight or
/// input concerned so the user can act on it.
public enum RNNKitError: Error, CustomStringConvertible, Equatable {
    case notAKerasModel(path: String, reason: String)
    case invalidConfig(String)
    case unsupportedLayer(kind: String, name: String)
    case unsupportedOption(layer: String, option: String, value: String)
    case unknownActivation(name: String, layer: String)
    case missingWeights(layer: String, detail: String)
    case weightShapeMismatch(layer: String, weight: String, expected: [Int], found: [Int])
    case inputShapeMismatch(layer: String, expected: String, found: [Int])
    case tokenOutOfRange(layer: String, value: Double, inputDim: Int)
    case missingInput(name: String, source: String)
    case batchMismatch(String)
    case nonFiniteWeight(layer: String, weight: String, index: Int, value: String)
    /// A config value the kit understands but would not compute as Keras does (a half-precision
    /// dtype policy, an activation with its own weights): refused rather than misread.
    case refusedValue(layer: String, field: String, value: String, reason: String)
    /// A file or folder that is not a model file the kit reads, with what it is and what to do.
    case unsupportedFormat(path: String, reason: String)

    public var description: String {
        switch self {
        case let .notAKerasModel(path, reason): return "\(path) is not a Keras HDF5 model: \(reason)"
        case let .invalidConfig(s): return "invalid model_config: \(s)"
        case let .unsupportedLayer(kind, name):
            let hint = kind == "TFOpLambda" || kind == "SlicingOpLambda" ? " (a TensorFlow operation applied to a Keras tensor, e.g. x[:, -1]; use a Keras layer instead)" : ""
            return "layer '\(name)' has unsupported kind \(kind)\(hint)"
        case let .unsupportedOption(layer, option, value): return "layer '\(layer)': option \(option)=\(value) is not supported"
        case let .unknownActivation(name, layer): return "layer '\(layer)' uses unknown activation '\(name)'"
        case let .missingWeights(layer, detail): return "layer '\(layer)': weights missing (\(detail))"
        case let .weightShapeMismatch(layer, weight, expected, found):
            return "layer '\(layer)': weight \(weight) has shape \(found), the config implies \(expected)"
        case let .inputShapeMismatch(layer, expected, found):
            return "layer '\(layer)' expects input \(expected), got \(found)"
        case let .tokenOutOfRange(layer, value, inputDim):
            return "layer '\(layer)': token id \(value) outside the embedding's range 0..<\(inputDim)"
        case let .missingInput(name, source): return "input '\(name)' not found in \(source)"
        case let .batchMismatch(s): return "inputs disagree on the batch size: \(s)"
        case let .nonFiniteWeight(layer, weight, index, value):
            return "layer '\(layer)': weight \(weight) holds \(value) at flat index \(index); the kit refuses non-finite weights (NaN and ±Inf)"
        case let .refusedValue(layer, field, value, reason): return "layer '\(layer)': \(field) = \(value) is refused: \(reason)"
        case let .unsupportedFormat(path, reason): return "\(path) \(reason)"
        }
    }
}
