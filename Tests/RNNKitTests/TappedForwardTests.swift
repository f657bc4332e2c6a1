import Testing
@testable import RNNKit

/// `Model.predict(_:tapping:)`: only the nodes the tapped layers descend from run, with the
/// values of a full forward with every tap.
struct TappedForwardTests {
    @Test("tapping a recurrent layer skips the layers after it and records its taps alone, bit for bit", arguments: [false, true])
    func onlyNeededNodes(maskZero: Bool) throws {
        let m = try TinyModels.manyToOne(.lstm, maskZero: maskZero)
        let x = ["tokens": TinyModels.tokens(batch: 300)]   // two chunks of rows
        let full = try m.predict(x, taps: true, precision: .float64)
        let tapped = try m.predict(x, tapping: ["rnn"], precision: .float64)
        #expect(tapped.outputs.isEmpty, "the output Dense is not computed")
        #expect(Array(tapped.layerOutputs.keys) == ["rnn"] && Array(tapped.gates.keys) == ["rnn"] && Array(tapped.hidden.keys) == ["rnn"])
        #expect(tapped.gates["rnn"] == full.gates["rnn"] && tapped.hidden["rnn"] == full.hidden["rnn"])
        #expect(tapped.layerOutputs["rnn"] == full.layerOutputs["rnn"])
        // Tapping the output layer runs everything: the model's outputs come back too.
        let head = try m.predict(x, tapping: ["dense"])
        #expect(head.outputs == (try m.predict(x)).outputs && Array(head.layerOutputs.keys) == ["dense"] && head.gates.isEmpty)
    }

    @Test("tapping an unknown layer is an error naming it")
    func unknownLayer() throws {
        let m = try TinyModels.manyToOne(.gru(resetAfter: true))
        #expect(throws: RNNKitError.invalidConfig("no layer named 'lstm' to tap")) {
            try m.predict(["tokens": TinyModels.tokens(batch: 2)], tapping: ["lstm"])
        }
    }
}
