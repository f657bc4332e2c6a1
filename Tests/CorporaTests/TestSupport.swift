import Foundation
import TestSupport
import Testing
@testable import Corpora

/// A fresh temporary directory, removed by the caller.
func temporaryDirectory() throws -> URL {
    let url = TestScratch.root.appendingPathComponent("corpora-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Rows of a padded tensor as arrays.
extension Int32Tensor {
    var rowArrays: [[Int32]] { (0..<count).map { Array(row($0)) } }
}
