import Foundation

/// One layer entry of a Keras `model_config` (`{"class_name": …, "config": {…}}`), with
/// typed accessors that turn a wrong or missing field into `RNNKitError.invalidConfig`.
struct KerasLayerConfig {
    let className: String
    let config: [String: Any]
    let raw: [String: Any]
    /// Whether the file is Keras 3 (`KerasDialect`): names whose meaning changed between
    /// Keras 2 and 3 (`hard_sigmoid`) follow it; nil when nothing says, and then they are refused.
    let keras3: Bool?

    init(_ json: Any, keras3: Bool? = false) throws {
        guard let d = json as? [String: Any], let cls = d["class_name"] as? String, let cfg = d["config"] as? [String: Any] else {
            let name = ((json as? [String: Any])?["config"] as? [String: Any])?["name"] as? String
            throw RNNKitError.invalidConfig("a layer entry\(name.map { " ('\($0)')" } ?? "") lacks class_name/config")
        }
        className = cls; config = cfg; raw = d; self.keras3 = keras3
    }

    var name: String { (config["name"] as? String) ?? className.lowercased() }

    func int(_ key: String) throws -> Int {
        guard let v = jsonInt(config[key]) else { throw RNNKitError.invalidConfig("layer '\(name)': \(key) missing or not an integer") }
        return v
    }

    /// A size (units, dimension, repeat count): an integer in 1...`max` (Keras refuses 0 too).
    func size(_ key: String, max: Int) throws -> Int {
        let v = try int(key)
        guard (1...max).contains(v) else {
            throw RNNKitError.invalidConfig("layer '\(name)': \(key) = \(v), expected 1...\(max)")
        }
        return v
    }
    func double(_ key: String, default d: Double) -> Double { jsonNumber(config[key]) ?? d }
    func bool(_ key: String, default d: Bool = false) -> Bool { (config[key] as? Bool) ?? d }
    func string(_ key: String, default d: String) -> String { (config[key] as? String) ?? d }

    /// The activation in `key`: a name, or an activation object (see KerasActivationConfig.swift).
    /// A missing or null value is Keras's default `d`.
    func activation(_ key: String, default d: String) throws -> Activation {
        guard let v = config[key], !(v is NSNull) else { return try namedActivation(d, field: key) }
        return try activationValue(v, field: key)
    }

    /// `batch_input_shape` (or Keras 2.13+'s `batch_shape`), with `nil` for None; every other
    /// entry an integer in 1...`KerasLimits.maxDimension`.
    func batchInputShape() throws -> Shape? {
        guard let a = (config["batch_input_shape"] ?? config["batch_shape"]) as? [Any] else { return nil }
        guard a.count <= KerasLimits.maxRank else { throw RNNKitError.invalidConfig("layer '\(name)': batch_input_shape has rank \(a.count), at most \(KerasLimits.maxRank) supported") }
        return try a.enumerated().map { i, v in
            if v is NSNull { return nil }
            guard let d = jsonInt(v), (i == 0 ? 0 : 1)...KerasLimits.maxDimension ~= d else {
                throw RNNKitError.invalidConfig("layer '\(name)': batch_input_shape entry \(i) is \(v), expected null or an integer in 1...\(KerasLimits.maxDimension)")
            }
            return d
        }
    }

    /// Options the kit does not implement must be off (they change the computation).
    func requireOff(_ keys: [String]) throws {
        for k in keys where bool(k) { throw RNNKitError.unsupportedOption(layer: name, option: k, value: "true") }
    }
}

/// A JSON number as Double (JSONSerialization yields NSNumber).
func jsonNumber(_ v: Any?) -> Double? {
    if let n = v as? NSNumber { return n.doubleValue }
    return nil
}

/// A JSON number that is an integer Swift can hold (7.9, 1e30 and booleans are not).
func jsonInt(_ v: Any?) -> Int? {
    guard let v, !isJSONBool(v) else { return nil }
    return jsonNumber(v).flatMap { Int(exactly: $0) }
}

/// JSON true/false, which NSNumber would otherwise read as 1/0 (a Bool or a char-typed NSNumber).
func isJSONBool(_ v: Any) -> Bool {
    if v is Bool, String(describing: type(of: v)).contains("Bool") { return true }
    if let n = v as? NSNumber { let t = String(cString: n.objCType); return t == "c" || t == "B" }
    return false
}

/// Bounds on sizes a `model_config` may declare, far above any model the kit is for (the
/// paper's are 100 units and 10^4 tokens); every declared size is also compared with the
/// weights the file really stores before anything is allocated.
public enum KerasLimits {
    /// Units of a layer, feature and embedding sizes, time steps, RepeatVector's n.
    public static let maxDimension = 1 << 20
    /// Embedding rows (vocabulary size).
    public static let maxVocabulary = 1 << 24
    /// Rank of an input shape, batch included.
    public static let maxRank = 8
    /// Layers of one model (graph loading is linear; this bounds the config's size too).
    public static let maxLayers = 10_000
}
