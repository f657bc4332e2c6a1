/// Why a decomposition, a module file or a composition was refused.
public enum DecompositionError: Error, CustomStringConvertible, Equatable {
    case unsupportedModel(String)
    case dataMismatch(String)
    case emptyClass(Int)
    case moduleMismatch(String)
    case invalidModuleFile(path: String, reason: String)
    /// A modules folder whose manifest is missing or disagrees with its files.
    case invalidModulesFolder(path: String, reason: String)
    /// A monitored activation that is NaN or infinite (the weights overflow on this data):
    /// the layer, the time step, the sample (its row in the data) and the value.
    case nonFiniteActivation(layer: String, step: Int, sample: Int, value: Float)

    public var description: String {
        switch self {
        case let .unsupportedModel(s): return "cannot decompose this model: \(s)"
        case let .dataMismatch(s): return "the data does not fit the model: \(s)"
        case let .emptyClass(c): return "class \(c) has no training examples to sample"
        case let .moduleMismatch(s): return "modules do not fit: \(s)"
        case let .invalidModuleFile(path, reason): return "\(path) is not a module file: \(reason)"
        case let .invalidModulesFolder(path, reason): return "\(path) is not a usable modules folder: \(reason)"
        case let .nonFiniteActivation(layer, step, sample, value):
            return "layer '\(layer)' computed \(value) at time step \(step) for sample \(sample) while monitoring: "
                + "the model overflows on this data, and concerns identified from non-finite values would be meaningless"
        }
    }
}
