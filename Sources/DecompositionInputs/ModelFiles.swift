import Corpora
import Decomposition
import Foundation
import RNNKit

/// sha256 of a file's bytes, hex (module files record their source model's).
public func fileSHA256(_ path: String) throws -> String {
    SHA256.hex(try Data(contentsOf: URL(fileURLWithPath: path)))
}

/// Module files of a decomposition output folder (`module_<class>.h5`), in class order.
public func moduleFiles(in directory: String) throws -> [String] {
    let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        .compactMap { n -> (Int, String)? in
            guard n.hasPrefix("module_"), n.hasSuffix(".h5"), let c = Int(n.dropFirst(7).dropLast(3)) else { return nil }
            return (c, directory + "/" + n)
        }
    guard !names.isEmpty else { throw DecompositionError.invalidModuleFile(path: directory, reason: "no module_<class>.h5 files") }
    return names.sorted { $0.0 < $1.0 }.map(\.1)
}

/// Loads a folder's modules and checks they were cut from the model with sha256 `modelSHA256`.
public func loadModules(in directory: String, modelSHA256: String) throws -> [Module] {
    try moduleFiles(in: directory).map { path in
        let m = try Module.load(from: path)
        guard m.sourceModelSHA256 == modelSHA256 else {
            throw DecompositionError.moduleMismatch("\(path) was decomposed from a model with sha256 \(m.sourceModelSHA256.prefix(12))…, not this one (\(modelSHA256.prefix(12))…)")
        }
        return m
    }
}
