import Foundation
import Testing
import TestSupport
import RNNKit
@testable import Decomposition

/// Bidirectional and go_backwards models are not decomposed yet: refused by layer name, never misread.
struct DirectionRefusalTests {
    static let dir = Shared.packageRoot.appendingPathComponent("Tests/RNNKitTests/Foreign").path

    @Test(arguments: [("tk_bi_sum", "layer bidirectional_2 is Bidirectional"), ("tk_back_lstm", "layer lstm has go_backwards")])
    func refused(_ name: String, _ reason: String) throws {
        let m = try Model.loadKeras(path: "\(Self.dir)/\(name).h5")
        #expect(throws: DecompositionError.unsupportedModel("\(reason), which decomposition does not support yet")) { try ModelAnatomy(m) }
    }
}
