import Corpora
import Foundation
import Testing

/// The one locator of `../shared` (real data, the authors' models, Keras fixtures) for every
/// test target.
///
/// Rule: `$SHARED_DIR` when it is set and not empty — a relative value is taken from the
/// package root, as `make` and the chapters take it from their working directory — else
/// `shared` beside the package root. The package root is found from this file's `#filePath`
/// (Tests/TestSupport/Shared.swift), never from the current directory. A test that needs part
/// of it says so with `.requiresShared(...)` and is skipped, naming what is missing and where
/// it looked, when that part is absent.
public enum Shared {
    /// The checkout: three levels above this file.
    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    public static let root: URL = {
        guard let env = ProcessInfo.processInfo.environment["SHARED_DIR"], !env.isEmpty else {
            return packageRoot.deletingLastPathComponent().appendingPathComponent("shared").standardizedFileURL
        }
        return (env.hasPrefix("/") ? URL(fileURLWithPath: env) : packageRoot.appendingPathComponent(env)).standardizedFileURL
    }()

    public static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }
    public static func path(_ relative: String) -> String { url(relative).path }
    public static func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: path(relative)) }
    /// True when every one of `relatives` exists under the root.
    public static func has(_ relatives: String...) -> Bool { relatives.allSatisfy(exists) }

    /// Why a test needing `relatives` is skipped, or nil when nothing is missing.
    public static func missing(_ relatives: [String]) -> String? {
        let absent = relatives.filter { !exists($0) }
        guard !absent.isEmpty else { return nil }
        return "needs \(absent.joined(separator: ", ")) under \(root.path) (set SHARED_DIR to another copy of ../shared)"
    }

    // The parts tests ask for.
    /// Every real data set, with its checksums.
    public static let data = "data/SHA256SUMS"
    public static let clinc = "data/clinc_oos"
    public static let authorsModels = "models/authors"
    public static let kerasFixtures = "fixtures/keras"

    /// The shared data sets only (no `DATA_DIR`), with the package's own manifests.
    public static var dataLocator: DataLocator {
        DataLocator(roots: [url("data")], manifests: ManifestStore(directories: [packageRoot.appendingPathComponent("data-manifests")]))
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test or suite only when every one of `relatives` exists under `Shared.root`;
    /// otherwise it is skipped with the missing paths as the reason.
    public static func requiresShared(_ relatives: String..., sourceLocation: SourceLocation = #_sourceLocation) -> Self {
        let reason = Shared.missing(relatives)
        return .enabled(if: reason == nil, Comment(rawValue: reason ?? "present"), sourceLocation: sourceLocation)
    }
}

/// The 15 tf.keras fixtures in `fixtures/keras` (made by its make_keras_fixtures.py).
public enum KerasFixtures {
    public static let names = [
        "m2o_simplernn_tanh", "m2o_simplernn_relu_stacked", "m2o_lstm_stacked", "m2o_gru_classic",
        "m2o_gru_reset_after", "m2o_lstm_dense_head", "o2o_lstm", "o2m_gru_stacked", "o2m_simplernn_mixed",
        "m2m_lstm_masked", "m2m_gru_dense3d", "m2m_simplernn_relu", "encdec_gru", "encdec_lstm", "encdec_simplernn",
    ]
    public static func model(_ name: String) -> String { Shared.path("\(Shared.kerasFixtures)/\(name).h5") }
    public static func reference(_ name: String) -> String { Shared.path("\(Shared.kerasFixtures)/\(name).reference.h5") }
}
