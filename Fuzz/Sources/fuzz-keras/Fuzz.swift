// The Keras model reader, bytes → file: `Model.loadKeras(path:)`, then one forward pass of
// what it accepted. A thrown error is a correct answer; a trap, a sanitizer report, a
// timeout or running out of memory is a finding.
import Foundation
import FuzzSupport
import RNNKit

let input = InputFile(suffix: "model.h5")

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>) -> CInt {
    Seeds.writeFiles { dir in
        try TemplateModels.all().map { name, model in
            try model.saveKeras(path: "\(dir)/\(name).h5")
            return "\(name).h5"
        }
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    input.write(data, size)
    if let model = try? Model.loadKeras(path: input.path) { _ = try? ModelProbe.run(model) }
    return 0
}
