import Foundation
import Testing
@testable import Corpora

/// `../shared` next to the package root (three levels above this file): the real data.
enum Shared {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let dataRoot = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
    static var available: Bool { FileManager.default.fileExists(atPath: dataRoot.appendingPathComponent("SHA256SUMS").path) }
    static let missingReason: Comment = "../shared/data (the real data sets) not found next to the package"

    /// A locator over the shared data only, with the package's own manifests.
    static var locator: DataLocator {
        DataLocator(roots: [dataRoot], manifests: ManifestStore(directories: [packageRoot.appendingPathComponent("data-manifests")]))
    }
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
