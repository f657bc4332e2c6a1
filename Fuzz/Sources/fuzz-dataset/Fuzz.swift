// The dataset reader, bytes → file: `DatasetFile.read(from:)`, then the summary the CLI
// prints (`data` commands). Seeds: the five synthetic tasks, cut to a few examples.
import Corpora
import Foundation
import FuzzSupport

let input = InputFile(suffix: "dataset.h5")

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>) -> CInt {
    Seeds.writeFiles { dir in
        try Task.allCases.map { task in
            var d = SyntheticTasks.make(task, profile: .smoke)
            d.train = d.train.subset(Array(0..<6)); d.test = d.test.subset(Array(0..<3))
            d.validation = d.validation.map { $0.subset(Array(0..<2)) }
            try DatasetFile.write(d, to: "\(dir)/\(task.rawValue).h5")
            return "\(task.rawValue).h5"
        }
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    input.write(data, size)
    if let d = try? DatasetFile.read(from: input.path) { _ = d.summary }
    return 0
}
