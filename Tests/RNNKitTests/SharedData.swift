import Foundation
import TestSupport

/// The authors' published models in ../shared (located by TestSupport's `Shared`).
enum AuthorModels {
    /// Those with tf.keras references (`models/authors/references`), as `<family>/<io>/<model>`.
    static let referenced = [
        "gru_models/many_to_one/model1", "lstm_models/many_to_one/model1",
        "lstm_models/one_to_one/model4_combined_scratch", "relu_models/one_to_many/model4",
        "vanilla_rnn_models/many_to_one/model1",
    ]
    static func model(_ id: String) -> String { Shared.path("\(Shared.authorsModels)/\(id).h5") }
    static func reference(_ id: String) -> String {
        Shared.path("\(Shared.authorsModels)/references/\(id.replacingOccurrences(of: "/", with: "__")).reference.h5")
    }

    /// Every authors' model file (not the references), sorted.
    static func allPaths() throws -> [String] {
        let base = Shared.url(Shared.authorsModels)
        let e = FileManager.default.enumerator(atPath: base.path)
        var out: [String] = []
        while let p = e?.nextObject() as? String { if p.hasSuffix(".h5"), !p.hasPrefix("references") { out.append(base.appendingPathComponent(p).path) } }
        return out.sorted()
    }
}
