import Foundation
import Testing
@testable import RNNKit

/// model_config values a hostile or broken file may hold (issue 11 items 1, 2 and 7).
struct HostileConfigTests {
    /// A Functional chain of `n` Dropout layers after one input, listed last-first (the order
    /// that made placement quadratic: 10k layers took 4.9 s).
    func reversedChain(_ n: Int) -> [String: Any] {
        var layers: [[String: Any]] = [["class_name": "InputLayer", "config": ["name": "in", "batch_input_shape": [NSNull(), 4]]]]
        for i in (0..<n).reversed() {
            let source = i == 0 ? "in" : "d\(i - 1)"
            layers.append(["class_name": "Dropout", "config": ["name": "d\(i)", "rate": 0], "inbound_nodes": [[[source, 0, 0, [String: Any]()]]]])
        }
        return ["class_name": "Functional", "config": ["name": "chain", "layers": layers,
                                                       "input_layers": [["in", 0, 0]], "output_layers": [["d\(n - 1)", 0, 0]]]]
    }

    @Test("a reversed Functional graph at the layer bound loads, in dependency order")
    func reversedGraphAtTheBoundLoadsInOrder() throws {
        // Correctness of the ordering at the bound; its speed is not timed here (tests assert
        // numbers, not seconds: a shared 2-core CI machine makes wall-clock limits flaky).
        let m = try Model.fromKerasConfig(reversedChain(KerasLimits.maxLayers - 1), weights: nil)
        #expect(m.nodes.count == KerasLimits.maxLayers - 1)
        #expect(m.nodes.first?.layer.name == "d0" && m.nodes.last?.layer.name == "d\(KerasLimits.maxLayers - 2)")
        #expect(m.kerasLayerOrder().count == KerasLimits.maxLayers)
    }

    @Test func layersBeyondTheBoundAreRefused() throws {
        #expect(throws: RNNKitError.invalidConfig("30000 layers, more than the kit's bound of 10000")) {
            try Model.fromKerasConfig(reversedChain(29_999), weights: nil)
        }
    }

    @Test func duplicateLayerNamesAreRefused() throws {
        var top = reversedChain(3)
        var cfg = top["config"] as! [String: Any]
        var layers = cfg["layers"] as! [[String: Any]]
        layers[1]["config"] = ["name": "d1", "rate": 0]
        cfg["layers"] = layers; top["config"] = cfg
        #expect(throws: RNNKitError.invalidConfig("two layers are named 'd1' (Keras requires unique layer names)")) {
            try Model.fromKerasConfig(top, weights: nil)
        }
    }

    @Test(arguments: ["7.9", "1e30", "-3", "0", "\"4\"", "true"])
    func inputLengthMustBeAPositiveInteger(_ json: String) throws {
        let length = try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])
        var top = reversedChain(1)
        var cfg = top["config"] as! [String: Any]
        var layers = cfg["layers"] as! [[String: Any]]
        layers[0]["config"] = ["name": "in", "batch_input_shape": [NSNull(), length]]
        cfg["layers"] = layers; top["config"] = cfg
        let error = try #require(throws: RNNKitError.self) { try Model.fromKerasConfig(top, weights: nil) }
        #expect("\(error)".contains("batch_input_shape entry 1 is"), "\(error)")
    }

    @Test func jsonIntegersAreExact() {
        #expect(jsonInt(NSNumber(value: 4)) == 4)
        #expect(jsonInt(NSNumber(value: 7.9)) == nil)
        #expect(jsonInt(NSNumber(value: 1e30)) == nil)
        #expect(jsonInt(NSNumber(value: Double.nan)) == nil)
        #expect(jsonInt("4") == nil)
        #expect(jsonInt(true) == nil && jsonInt(NSNumber(value: true)) == nil)
    }
}
