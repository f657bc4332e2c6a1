import Foundation
import KitFiles
import HDF5Kit
import ZIPFoundation

/// The files a Keras model comes in, told apart by content: HDF5 (`.h5`, `.weights.h5`), a
/// `.keras` zip archive (`config.json`, `metadata.json`, `model.weights.h5`), or folders
/// (a TensorFlow SavedModel), which the kit names and refuses.
extension Model {
    /// A `config.json` or `to_json()` text is bounded (the config of 10^4 layers is a few MB).
    static let maxConfigBytes = 64 << 20

    static func loadKerasFile(path: String, config: String?) throws -> Model {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            if FileManager.default.fileExists(atPath: path + "/saved_model.pb") {
                throw RNNKitError.unsupportedFormat(path: path, reason: "is a TensorFlow SavedModel directory; save with model.save('m.h5') or .keras")
            }
            throw RNNKitError.unsupportedFormat(path: path, reason: "is a folder, not a Keras model file (.h5, .keras)")
        }
        if try startsWithZipSignature(path) { return try loadKerasArchive(path: path, config: config) }
        let file = try HDF5File(path: path)
        if isPyTorchStateDict(file) {
            guard config == nil else { throw RNNKitError.unsupportedFormat(path: path, reason: "is a PyTorch state dict, whose architecture is in the file: give no config") }
            return try loadPyTorch(file: file)
        }
        if let config { return try loadKeras(weightsFile: file, configText: try readConfigFile(config), configPath: config, version: nil) }
        let root = file.root
        if !root.hasAttribute("model_config") {
            if root.kind(of: "layers") == .group || root.hasAttribute("layer_names") {
                throw RNNKitError.notAKerasModel(path: path, reason: "it holds weights only (\(root.hasAttribute("layer_names") ? "tf.keras save_weights" : "Keras 3 .weights.h5")); give the architecture too (config: in the API, --config model.json on the command line)")
            }
        }
        return try loadKeras(file: file)
    }

    private static func startsWithZipSignature(_ path: String) throws -> Bool {
        guard let h = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? h.close() }
        return (try h.read(upToCount: 4)) == Data([0x50, 0x4B, 0x03, 0x04])
    }

    private static func readConfigFile(_ path: String) throws -> String {
        let attrs = try? FileManager.default.attributesOfItem(atPath: path)
        guard let size = attrs?[.size] as? Int else { throw RNNKitError.unsupportedFormat(path: path, reason: "cannot be read (the model config)") }
        guard size <= maxConfigBytes else { throw RNNKitError.unsupportedFormat(path: path, reason: "is \(size) bytes, more than a model config may be (\(maxConfigBytes))") }
        guard let d = FileManager.default.contents(atPath: path), let s = String(data: d, encoding: .utf8) else {
            throw RNNKitError.unsupportedFormat(path: path, reason: "is not UTF-8 text (the model config)")
        }
        return s
    }

    /// A model from a weights file and a separate architecture: a Keras 3 `.weights.h5`
    /// (`layers/…`), a tf.keras `save_weights` file (`layer_names` on the root, a group per
    /// layer) or a full model file (its `model_weights`; its own config is not used).
    static func loadKeras(weightsFile file: HDF5File, configText: String, configPath: String, version: String?) throws -> Model {
        let top = try parseKerasConfig(configText, path: configPath, attribute: "the config")
        let root = file.root
        let store: KerasWeightStore
        if root.kind(of: "layers") == .group {
            store = try .keras3(root, file: file.path)
        } else if root.kind(of: "model_weights") == .group {
            store = .legacy(try root.openGroup("model_weights"))
        } else if root.hasAttribute("layer_names") {
            store = .legacy(root)
        } else {
            throw RNNKitError.notAKerasModel(path: file.path, reason: "no weights: neither layers/ (Keras 3 .weights.h5), model_weights nor a save_weights layer_names attribute")
        }
        let fileVersion = version ?? (top["keras_version"] as? String) ?? (try? root.stringAttribute("keras_version"))
        var model = try fromKerasConfig(top, weights: store, keras3: KerasDialect.isKeras3(version: fileVersion, config: top))
        model.kerasVersion = fileVersion
        model.backend = (top["backend"] as? String) ?? (try? root.stringAttribute("backend"))
        return model
    }

    /// A `.keras` archive: `config.json` (or the `config` file given), `metadata.json`'s
    /// `keras_version`, and `model.weights.h5`, which is copied to a temporary file for libhdf5
    /// and removed once its weights are read.
    static func loadKerasArchive(path: String, config: String?) throws -> Model {
        let archive: Archive
        do { archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read) } catch {
            throw RNNKitError.unsupportedFormat(path: path, reason: "is not a readable zip archive (a .keras file): \(error)")
        }
        func entry(_ name: String, limit: Int) throws -> Data? {
            guard let e = archive[name] else { return nil }
            guard e.uncompressedSize <= UInt64(limit) else {
                throw RNNKitError.unsupportedFormat(path: path, reason: "has a \(name) of \(e.uncompressedSize) bytes, more than the kit reads (\(limit))")
            }
            var out = Data()
            do { _ = try archive.extract(e, bufferSize: 1 << 16, skipCRC32: false) { out.append($0) } } catch {
                throw RNNKitError.unsupportedFormat(path: path, reason: "cannot extract \(name) (a .keras archive): \(error)")
            }
            return out
        }
        let configText: String
        if let config {
            configText = try readConfigFile(config)
        } else {
            guard let d = try entry("config.json", limit: maxConfigBytes), let s = String(data: d, encoding: .utf8) else {
                throw RNNKitError.unsupportedFormat(path: path, reason: "is a zip archive without config.json (not a Keras .keras file)")
            }
            configText = s
        }
        var version: String?
        if let d = try entry("metadata.json", limit: 1 << 20),
           let meta = try? JSONSerialization.jsonObject(with: d) as? [String: Any] { version = meta["keras_version"] as? String }
        guard let weights = try entry("model.weights.h5", limit: Int.max) else {
            let hasNPZ = archive["model.weights.npz"] != nil
            throw RNNKitError.unsupportedFormat(path: path, reason: hasNPZ ? "stores its weights as model.weights.npz; the kit reads model.weights.h5" : "is a .keras archive without model.weights.h5")
        }
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("rnnkit-\(UUID().uuidString).weights.h5").path
        // Registered, so SIGINT/SIGTERM (the CLI's SignalCleanup) remove it too.
        TemporaryFiles.register(temporary)
        defer { TemporaryFiles.removeTree(temporary); TemporaryFiles.unregister(temporary) }
        try weights.write(to: URL(fileURLWithPath: temporary))
        let file = try HDF5File(path: temporary)
        defer { try? file.close() }
        do {
            return try loadKeras(weightsFile: file, configText: configText, configPath: config ?? path + ":config.json", version: version)
        } catch let e as HDF5Error {
            throw RNNKitError.unsupportedFormat(path: path, reason: "has a model.weights.h5 the kit cannot read: \(e)")
        }
    }
}
