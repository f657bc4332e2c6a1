// Fixtures: Tests/RNNKitTests/Foreign, written by make_foreign.py there with keras 3.15.1,
// tf_keras 2.21.0 and tensorflow-cpu 2.21.0 (h5py 3.14.0); every reference file names its
// producer. Committed with the package, so these tests need neither ../shared nor Python.
import Foundation
import Testing
import HDF5Kit
import TestSupport
@testable import RNNKit

/// Other tools' files (issue 12): each case computes every layer and the prediction as Keras
/// did, within 1e-5 + 1e-5·|ref|, or is refused with a typed error naming the reason.
struct ForeignFormatTests {
    static let dir = Shared.packageRoot.appendingPathComponent("Tests/RNNKitTests/Foreign").path
    static func path(_ name: String) -> String { dir + "/" + name }

    func parity(_ model: String, config: String? = nil, reference: String) throws {
        let m = try Model.loadKeras(path: Self.path(model), config: config.map(Self.path))
        let ref = try KerasReference(path: Self.path(reference + ".reference.h5"))
        let r = try m.parity(with: ref, batchSize: 3)
        print("foreign \(model)\(config.map { " + \($0)" } ?? ""): worst |Δ| \(r.worstAbsolute) (\(r.worstLayer)), worst ratio \(r.worstRatio)")
        #expect(r.passes, "\(model): \(r.ratio.filter { $0.value > 1 })")
        #expect(ref.outputs.count == m.nodes.count, "every layer has a reference")
        #expect(r.absolute.count == m.nodes.count + 1, "every layer and the prediction compared")
    }

    @Test func keras3ArchiveSequential() throws { try parity("k3_sequential.keras", reference: "k3_sequential") }
    @Test func keras3H5Sequential() throws { try parity("k3_sequential.h5", reference: "k3_sequential") }
    @Test func keras3WeightsWithConfig() throws { try parity("k3_sequential.weights.h5", config: "k3_sequential.json", reference: "k3_sequential") }
    @Test func keras3H5FunctionalWithInitialState() throws { try parity("k3_functional.h5", reference: "k3_functional") }
    @Test func keras3ArchiveFunctionalWithInitialState() throws { try parity("k3_functional.keras", reference: "k3_functional") }
    @Test func keras3HardSigmoid() throws { try parity("k3_hard_sigmoid.keras", reference: "k3_hard_sigmoid") }
    @Test func keras3ActivationObjects() throws { try parity("k3_activations.keras", reference: "k3_activations") }
    @Test func tfKerasSaveWeightsWithJSON() throws { try parity("tk_save_weights.h5", config: "tk_save_weights.json", reference: "tk_save_weights") }
    @Test func tfKerasActivationObjects() throws { try parity("tk_activations.h5", reference: "tk_activations") }
    @Test func kerasBareListSequential() throws { try parity("tk_list_sequential.h5", reference: "tk_list_sequential") }

    @Test("the Keras 3 model read with tf.keras 2's hard_sigmoid would be wrong (the fixture tells them apart)")
    func keras3HardSigmoidIsNotKeras2() throws {
        let m = try Model.loadKeras(path: Self.path("k3_hard_sigmoid.keras"))
        let lstm = try #require(m.nodes[1].layer as? Recurrent)
        #expect(lstm.recurrentActivation == .hardSigmoidKeras3)
        var wrong = m
        for i in wrong.nodes.indices {
            if var r = wrong.nodes[i].layer as? Recurrent { r.recurrentActivation = .hardSigmoid; wrong.nodes[i].layer = r }
            if var d = wrong.nodes[i].layer as? Dense, d.activation == .hardSigmoidKeras3 { d.activation = .hardSigmoid; wrong.nodes[i].layer = d }
        }
        let r = try wrong.parity(with: try KerasReference(path: Self.path("k3_hard_sigmoid.reference.h5")))
        #expect(r.absolute["(prediction)"]! > 1e-3, "\(r.absolute)")
    }

    func refusal(_ model: String) throws -> RNNKitError {
        try #require(throws: RNNKitError.self) { try Model.loadKeras(path: Self.path(model)) }
    }

    @Test(arguments: ["k3_prelu.keras", "tk_prelu.h5"])
    func preluActivationIsRefused(_ model: String) throws {
        let e = try refusal(model)
        guard case let .refusedValue(layer, field, value, reason) = e else { Issue.record("\(e)"); return }
        #expect(layer.hasPrefix("dense") && field == "activation" && value == "PReLU" && reason.contains("own weights"), "\(e)")
    }

    @Test(arguments: ["k3_mixed.keras", "tk_mixed.h5"])
    func mixedPrecisionIsRefused(_ model: String) throws {
        let e = try refusal(model)
        guard case let .refusedValue(_, field, value, reason) = e else { Issue.record("\(e)"); return }
        #expect(field == "dtype" && value == "mixed_float16" && reason.contains("float16"), "\(e)")
    }

    @Test func tensorFlowOpLayerIsNamed() throws {
        let e = try refusal("tk_slice.h5")
        guard case let .unsupportedLayer(kind, name) = e else { Issue.record("\(e)"); return }
        #expect(kind.hasSuffix("OpLambda") && !name.isEmpty, "\(e)")
        #expect("\(e)".contains("x[:, -1]"))
    }

    @Test func weightsWithoutConfigSayWhatIsMissing() throws {
        for f in ["k3_sequential.weights.h5", "tk_save_weights.h5"] {
            let e = try refusal(f)
            guard case let .notAKerasModel(_, reason) = e else { Issue.record("\(e)"); continue }
            #expect(reason.contains("weights only") && reason.contains("--config"), "\(e)")
        }
    }

    @Test func savedModelDirectoryIsNamed() throws {
        let d = TestScratch.root.appendingPathComponent("saved-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: d + "/variables", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: d) }
        try Data([8, 1]).write(to: URL(fileURLWithPath: d + "/saved_model.pb"))
        #expect(throws: RNNKitError.unsupportedFormat(path: d, reason: "is a TensorFlow SavedModel directory; save with model.save('m.h5') or .keras")) {
            try Model.loadKeras(path: d)
        }
    }

    @Test func zipThatIsNotKerasIsNamed() throws {
        let p = TestScratch.root.appendingPathComponent("notkeras-\(UUID().uuidString).keras").path
        defer { try? FileManager.default.removeItem(atPath: p) }
        // An empty zip: the end-of-central-directory record only, after a local-header signature.
        try Data([0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0, count: 26)).write(to: URL(fileURLWithPath: p))
        let e = try #require(throws: RNNKitError.self) { try Model.loadKeras(path: p) }
        guard case let .unsupportedFormat(path, reason) = e else { Issue.record("\(e)"); return }
        #expect(path == p && (reason.contains("zip") || reason.contains(".keras")), "\(e)")
    }
}

/// Config fields and values the importer must understand or refuse (issue 12 item 1).
struct KerasFieldRefusalTests {
    /// The weights of `TinyModels.manyToOne(.lstm)`, so each edited config gets past its weights.
    let weights: HDF5Group
    init() throws {
        let p = TestScratch.root.appendingPathComponent("fields-\(UUID().uuidString).h5").path
        try TinyModels.manyToOne(.lstm).saveKeras(path: p)
        let f = try HDF5File(path: p)
        try? FileManager.default.removeItem(atPath: p)   // the open file stays readable
        weights = try f.root.openGroup("model_weights")
    }

    /// The kit's own tiny LSTM model (hard_sigmoid gates) as config JSON.
    func config(_ edit: (inout [String: Any]) -> Void) throws -> String {
        var top = try JSONSerialization.jsonObject(with: Data(try TinyModels.manyToOne(.lstm).kerasConfigJSON().utf8)) as! [String: Any]
        edit(&top)
        return String(decoding: try JSONSerialization.data(withJSONObject: top), as: UTF8.self)
    }
    func editLayer(_ i: Int, _ f: @escaping (inout [String: Any]) -> Void) -> (inout [String: Any]) -> Void {
        { top in
            var cfg = top["config"] as! [String: Any]
            var layers = cfg["layers"] as! [[String: Any]]
            var c = layers[i]["config"] as! [String: Any]
            f(&c); layers[i]["config"] = c; cfg["layers"] = layers; top["config"] = cfg
        }
    }

    @Test("hard_sigmoid without a keras_version is refused: Keras 2 and 3 disagree on it")
    func hardSigmoidNeedsAVersion() throws {
        let json = try config { _ in }
        #expect(throws: RNNKitError.refusedValue(layer: "rnn", field: "recurrent_activation", value: "hard_sigmoid",
                                                 reason: "Keras 2 computes clip(0.2x + 0.5, 0, 1), Keras 3 relu6(x + 3)/6, and the file names no keras_version")) {
            try Model.fromKerasConfig(json: json, weights: weights)
        }
        let k2 = try Model.fromKerasConfig(json: json, weights: weights, kerasVersion: "2.15.0")
        let k3 = try Model.fromKerasConfig(json: json, weights: weights, kerasVersion: "3.15.1")
        #expect((k2.nodes[1].layer as! Recurrent).recurrentActivation == .hardSigmoid)
        #expect((k3.nodes[1].layer as! Recurrent).recurrentActivation == .hardSigmoidKeras3)
    }

    @Test func hardSigmoidDefinitions() {
        var v: [Float] = [-4, -1, 0, 1, 2.4, 4]
        v.withUnsafeMutableBufferPointer { Activation.hardSigmoidKeras3.applyElementwise($0.baseAddress!, 6) }
        #expect(zip(v, [0, 1 / 3, 0.5, 2 / 3, 0.9, 1] as [Float]).allSatisfy { abs($0 - $1) < 1e-7 }, "\(v)")
        var w: [Float] = [-4, -1, 0, 1, 2.4, 4]
        w.withUnsafeMutableBufferPointer { Activation.hardSigmoid.applyElementwise($0.baseAddress!, 6) }
        #expect(zip(w, [0, 0.3, 0.5, 0.7, 0.98, 1] as [Float]).allSatisfy { abs($0 - $1) < 1e-7 }, "\(w)")
    }

    @Test func generalReLUFormula() {
        // ReLU(max_value=1.5, negative_slope=0.1, threshold=0.2), as Keras defines it.
        var v: [Double] = [-1, 0.1, 0.2, 0.5, 3]
        v.withUnsafeMutableBufferPointer {
            Activation.generalReLU(negativeSlope: 0.1, maxValue: 1.5, threshold: 0.2).applyElementwise($0.baseAddress!, 5)
        }
        let want: [Double] = [0.1 * (-1 - 0.2), 0.1 * (0.1 - 0.2), 0, 0.5, 1.5]
        #expect(zip(v, want).allSatisfy { abs($0 - $1) < 1e-7 }, "\(v)")
    }

    @Test("an activation object the kit does not compute is refused by class, never the default")
    func unknownActivationObject() throws {
        let json = try config(editLayer(3) { $0["activation"] = ["class_name": "Swishy", "config": ["name": "s"]] })
        #expect(throws: RNNKitError.unknownActivation(name: "Swishy", layer: "dense")) {
            try Model.fromKerasConfig(json: json, weights: weights, kerasVersion: "2.15.0")
        }
    }

    @Test func softmaxOnAnotherAxisIsRefused() throws {
        let json = try config(editLayer(3) { $0["activation"] = ["class_name": "Softmax", "config": ["name": "s", "axis": 1]] })
        #expect(throws: RNNKitError.unsupportedOption(layer: "s", option: "axis", value: "1")) {
            try Model.fromKerasConfig(json: json, weights: weights, kerasVersion: "2.15.0")
        }
    }

    @Test(arguments: [("stateful", "true"), ("lora_rank", "4"), ("time_major", "true")])
    func computeChangingFieldIsRefused(_ key: String, _ text: String) throws {
        let value = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        let json = try config(editLayer(2) { $0[key] = value })
        #expect(throws: RNNKitError.unsupportedOption(layer: "rnn", option: key, value: text)) {
            try Model.fromKerasConfig(json: json, weights: weights, kerasVersion: "2.15.0")
        }
    }

    @Test("a value of the wrong JSON type is refused, not read as the field's default")
    func wrongTypeIsRefused() throws {
        let seq = try config(editLayer(2) { $0["return_sequences"] = 1 })
        #expect(throws: RNNKitError.invalidConfig("layer 'rnn': return_sequences is 1, expected true or false")) {
            try Model.fromKerasConfig(json: seq, weights: weights, kerasVersion: "2.15.0")
        }
        let top: [String: Any] = ["class_name": "Sequential", "config": ["name": "s", "layers": [
            ["class_name": "InputLayer", "config": ["name": "in", "batch_input_shape": [NSNull(), 3, 2]]],
            ["class_name": "Masking", "config": ["name": "m", "mask_value": "0"]]]]]
        #expect(throws: RNNKitError.invalidConfig("layer 'm': mask_value is \"0\", expected a finite number")) {
            try Model.fromKerasConfig(top, weights: nil)
        }
    }

    @Test("a Softmax layer given a sequence mask is refused, as Keras refuses it")
    func maskedSoftmaxLayerIsRefused() throws {
        let layer = try KerasLayerFactory.make(try KerasLayerConfig(["class_name": "Softmax", "config": ["name": "s"]]), inputs: [[nil, 5, 4]])
        let softmax = try #require(layer as? ActivationLayer)
        #expect(softmax.appliesMask && softmax.activation == .softmax)
        // Written back as a Softmax layer, so the kit and Keras read the same layer again.
        #expect(softmax.kerasLayerConfig()["class_name"] as? String == "Softmax")
        let m = try Model.sequential(name: "m", input: ModelInput(name: "tokens", shape: [nil, 5], dtype: "int32"), layers: [
            TinyModels.randomize(Embedding(name: "embedding", inputDim: 20, outputDim: 4, maskZero: true), seed: 1), softmax])
        #expect(throws: RNNKitError.unsupportedOption(layer: "s", option: "masked input", value: "a [batch, time] mask, which Keras's Softmax layer cannot apply to [batch, time, classes] either")) {
            try m.predict(["tokens": TinyModels.tokens(batch: 2)])
        }
    }

    @Test func unknownFieldIsRefused() throws {
        let json = try config(editLayer(3) { $0["gain"] = 2.0 })
        #expect(throws: RNNKitError.unsupportedOption(layer: "dense", option: "gain (a Dense field the kit does not know)", value: "2")) {
            try Model.fromKerasConfig(json: json, weights: weights, kerasVersion: "2.15.0")
        }
    }

    @Test(arguments: ["mixed_bfloat16", "float16", "float64"])
    func nonFloat32DTypeIsRefused(_ policy: String) throws {
        let json = try config(editLayer(3) { $0["dtype"] = ["class_name": "Policy", "config": ["name": policy]] })
        let e = try #require(throws: RNNKitError.self) { try Model.fromKerasConfig(json: json, weights: weights, kerasVersion: "2.15.0") }
        guard case let .refusedValue(layer, field, value, _) = e else { Issue.record("\(e)"); return }
        #expect(layer == "dense" && field == "dtype" && value == policy)
    }

    @Test func channelsFirstFlattenIsRefused() throws {
        let top: [String: Any] = ["class_name": "Sequential", "config": ["name": "s", "layers": [
            ["class_name": "InputLayer", "config": ["name": "in", "batch_input_shape": [NSNull(), 3, 2]]],
            ["class_name": "Flatten", "config": ["name": "f", "data_format": "channels_first"]]]]]
        #expect(throws: RNNKitError.unsupportedOption(layer: "f", option: "data_format", value: "\"channels_first\"")) {
            try Model.fromKerasConfig(top, weights: nil)
        }
    }
}
