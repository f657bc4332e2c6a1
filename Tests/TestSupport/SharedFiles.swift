import Corpora
import Foundation

/// Where the tests find `../shared` (real data, the authors' models, Keras fixtures) and the
/// package itself. One definition for every test target; tests that need a file skip with a
/// visible reason when it is absent.
public enum SharedFiles {
    /// The checkout: three levels above this file (Tests/TestSupport/SharedFiles.swift).
    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `$RNN_SHARED_DIR`, else `shared` next to the checkout.
    public static let root: URL = {
        if let env = ProcessInfo.processInfo.environment["RNN_SHARED_DIR"], !env.isEmpty { return URL(fileURLWithPath: env) }
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }()

    public static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
    public static func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: path(relative)) }

    /// The real data sets (`<shared>/data`).
    public static var dataRoot: URL { root.appendingPathComponent("data") }
    public static var hasData: Bool { exists("data/SHA256SUMS") }

    /// A locator over the shared data only, with the package's own manifests.
    public static var dataLocator: DataLocator {
        DataLocator(roots: [dataRoot], manifests: ManifestStore(directories: [packageRoot.appendingPathComponent("data-manifests")]))
    }
}
