import Foundation

/// One layer entry of a Keras `model_config` (`{"class_name": …, "config": {…}}`), with
/// typed accessors that turn a wrong or missing field into `RNNKitError.invalidConfig`.
struct KerasLayerConfig {
    let className: String
    let config: [String: Any]
    let raw: [String: Any]

    init(_ json: Any) throws {
        guard let d = json as? [String: Any], let cls = d["class_name"] as? String, let cfg = d["config"] as? [String: Any] else {
            throw RNNKitError.invalidConfig("a layer entry lacks class_name/config")
        }
        className = cls; config = cfg; raw = d
    }

    var name: String { (config["name"] as? String) ?? className.lowercased() }

    func int(_ key: String) throws -> Int {
        guard let v = jsonNumber(config[key]), v == v.rounded() else { throw RNNKitError.invalidConfig("layer '\(name)': \(key) missing or not an integer") }
        return Int(v)
    }
    func double(_ key: String, default d: Double) -> Double { jsonNumber(config[key]) ?? d }
    func bool(_ key: String, default d: Bool = false) -> Bool { (config[key] as? Bool) ?? d }
    func string(_ key: String, default d: String) -> String { (config[key] as? String) ?? d }

    func activation(_ key: String, default d: String) throws -> Activation {
        try Activation(keras: string(key, default: d), layer: name)
    }

    /// `batch_input_shape` (or Keras 2.13+'s `batch_shape`), with `nil` for None.
    var batchInputShape: Shape? {
        guard let a = (config["batch_input_shape"] ?? config["batch_shape"]) as? [Any] else { return nil }
        return a.map { jsonNumber($0).map { Int($0) } }
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
