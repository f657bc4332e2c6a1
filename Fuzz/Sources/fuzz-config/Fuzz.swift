// The model_config JSON parser: `Model.fromKerasConfig(json:weights:)` against the weights
// of the seed models (`TemplateModels`, written once at start-up), so configs naming their
// layers get as far as building them, then one forward pass of what it accepted.
// With KIT_FUZZ_SEEDS set it also writes the model_config of every model in KIT_FUZZ_IMPORT.
import Foundation
import FuzzSupport
import HDF5Kit
import RNNKit

let weightsFile = InputFile(suffix: "weights.h5")
nonisolated(unsafe) var weights: HDF5Group!

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>) -> CInt {
    do {
        let templates = try TemplateModels.all()
        try templates[0].model.saveKeras(path: weightsFile.path)
        weights = try HDF5File(path: weightsFile.path).root.openGroup("model_weights")
        Seeds.write(try templates.map { ("\($0.name).json", Array(try $0.model.kerasConfigJSON().utf8)) })
        // Seeds from the models in KIT_FUZZ_IMPORT (folders, ':'-separated, searched in depth).
        for folder in (ProcessInfo.processInfo.environment["KIT_FUZZ_IMPORT"] ?? "").split(separator: ":").map(String.init) {
            let found = FileManager.default.enumerator(atPath: folder)?.compactMap { $0 as? String } ?? []
            for name in found where name.hasSuffix(".h5") && !name.hasSuffix(".reference.h5") {
                guard let json = try? HDF5File(path: folder + "/" + name).root.stringAttribute("model_config") else { continue }
                Seeds.write([(name.dropLast(3).replacingOccurrences(of: "/", with: "_") + ".json", Array(json.utf8))])
            }
        }
    } catch {
        FileHandle.standardError.write(Data("fuzz-config: cannot prepare the weights: \(error)\n".utf8))
        exit(2)
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let json = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let model = try? Model.fromKerasConfig(json: json, weights: weights) { _ = try? ModelProbe.run(model) }
    return 0
}
