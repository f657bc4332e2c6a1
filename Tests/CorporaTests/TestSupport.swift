import Foundation
import TestSupport
import Testing
@testable import Corpora

/// `../shared` next to the package root (three levels above this file): the real data.
enum Shared {
    static let packageRoot = SharedFiles.packageRoot
    static let dataRoot = SharedFiles.dataRoot
    static var available: Bool { SharedFiles.hasData }
    static let missingReason: Comment = "../shared/data (the real data sets) not found next to the package"
    static var locator: DataLocator { SharedFiles.dataLocator }
}

/// A fresh temporary directory, removed by the caller.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("corpora-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Rows of a padded tensor as arrays.
extension Int32Tensor {
    var rowArrays: [[Int32]] { (0..<count).map { Array(row($0)) } }
}
