import Testing
@testable import RNNKit

/// A foreign fixture against its reference (`name.h5`, `name.reference.h5` in
/// Tests/RNNKitTests/Foreign; `ext` `.keras` for an archive): every layer and the prediction within the parity tolerance,
/// the worst differences printed under `tag`.
func foreignParity(_ name: String, ext: String = ".h5", batchSize: Int, tag: String) throws -> (Model, ParityReport) {
    let m = try Model.loadKeras(path: ForeignFormatTests.path(name + ext))
    let ref = try KerasReference(path: ForeignFormatTests.path(name + ".reference.h5"))
    let r = try m.parity(with: ref, batchSize: batchSize)
    print("\(tag) \(name): worst |Δ| \(r.worstAbsolute) (\(r.worstLayer)), worst ratio \(r.worstRatio)")
    #expect(r.passes, "\(name): \(r.ratio.filter { $0.value > 1 })")
    #expect(r.absolute.count == m.nodes.count + 1, "every layer and the prediction compared")
    return (m, r)
}
