import Foundation
import TestSupport
import Testing
@testable import Decomposition
import DecompositionInputs
import Experiments
import HDF5Kit
import RNNKit

/// Module and activations files round-trip; bad input is refused with a typed error.
struct FilesAndErrorsTests {
    let dir: String
    init() throws {
        dir = TestScratch.root.appendingPathComponent("decomp-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    func decompose(_ mode: DecompositionConfig.Mode, manyOutput: Bool = false) throws -> (Model, DecompositionResult, LabeledData) {
        let m = try Tiny.model(.lstm, depth: 2, manyOutput: manyOutput)
        var c = DecompositionConfig.paper
        c.mode = mode; c.samplesPerClass = 20
        let train = try Tiny.data(count: 120, manyOutput: manyOutput)
        return (m, try Decomposer(model: m, config: c, sourceSHA256: "abc").decompose(train: train), train)
    }

    @Test("modules save and load with identical predictions and metadata", arguments: DecompositionConfig.Mode.allCases, [false, true])
    func moduleRoundTrip(mode: DecompositionConfig.Mode, manyOutput: Bool) throws {
        let (_, result, data) = try decompose(mode, manyOutput: manyOutput)
        for module in result.modules {
            let p = dir + "/m\(module.concern).h5"
            try module.save(to: p)
            let back = try Module.load(from: p)
            #expect(back.concern == module.concern && back.classIDs == module.classIDs && back.removed == module.removed)
            #expect(back.jaccard == module.jaccard && back.config == module.config && back.sourceModelSHA256 == "abc")
            #expect(try back.dominantProbability(data.x) == module.dominantProbability(data.x))
            // Rolled files are Keras models; unrolled ones hide their config from Keras.
            let f = try HDF5File(path: p)
            #expect(f.root.hasAttribute("model_config") == (mode == .rolled))
        }
    }

    @Test("identification re-run from the activations file gives the same modules")
    func activationsRoundTrip() throws {
        let (m, result, _) = try decompose(.unrolled, manyOutput: true)
        let p = dir + "/activations.h5"
        try ActivationsFile.write(result, sourceSHA256: "abc", to: p)
        let (obs, config, sha) = try ActivationsFile.read(from: p, layers: ["rnn0", "rnn1"])
        #expect(obs == result.observations && config == result.config && sha == "abc")
        let rebuilt = try Decomposer(model: m, config: config).modules(from: obs)
        #expect(rebuilt.map(\.removed) == result.modules.map(\.removed))
        // Other settings from the same file: a stricter cap removes no more than before.
        var strict = config
        strict.maxRemoveFraction = 0.05
        let fewer = try Decomposer(model: m, config: strict).modules(from: obs)
        func count(_ ms: [Module]) -> Int { ms.reduce(0) { $0 + $1.removed.values.reduce(0) { $0 + $1.reduce(0) { $0 + $1.count } } } }
        #expect(count(fewer) <= count(rebuilt))
    }

    @Test("a dataset whose class count disagrees with the model")
    func classCountMismatch() throws {
        let m = try Tiny.model(.simple, classes: 4)
        #expect(throws: DecompositionError.dataMismatch("the model has 4 output classes, the data 5")) {
            try Decomposer(model: m, config: .paper).decompose(train: try Tiny.data(count: 50, classes: 5))
        }
    }

    @Test("a dataset from another vocabulary")
    func vocabularyMismatch() throws {
        let m = try Tiny.model(.simple)
        var d = try Tiny.data(count: 20)
        d.x.data[3] = 40
        #expect(throws: DecompositionError.dataMismatch("token id 40 but the embedding has 12 rows (another vocabulary?)")) {
            try Decomposer(model: m, config: .paper).decompose(train: d)
        }
    }

    @Test("an empty class")
    func emptyClass() throws {
        let m = try Tiny.model(.simple)
        let d = try Tiny.data(count: 40)
        let onlyZero = try LabeledData(x: d.x, labels: d.labels.map { $0 == 3 ? 0 : $0 }, numClasses: 4)
        #expect(throws: DecompositionError.emptyClass(3)) { try Decomposer(model: m, config: .paper).decompose(train: onlyZero) }
    }

    @Test("a modules folder cut from another model")
    func foreignModules() throws {
        let (_, result, _) = try decompose(.rolled)
        for module in result.modules { try module.save(to: dir + "/module_\(module.concern).h5") }
        #expect(throws: DecompositionError.self) { try loadModules(in: dir, modelSHA256: "def") }
        #expect(try loadModules(in: dir, modelSHA256: "abc").count == 4)
        #expect(throws: DecompositionError.invalidModuleFile(path: dir + "/empty", reason: "no module_<class>.h5 files")) {
            try FileManager.default.createDirectory(atPath: dir + "/empty", withIntermediateDirectories: true)
            return try moduleFiles(in: dir + "/empty")
        }
    }

    @Test("modules of different shapes do not compose")
    func incompatibleComposition() throws {
        let (_, one, _) = try decompose(.rolled)
        let (_, many, _) = try decompose(.rolled, manyOutput: true)
        #expect(throws: DecompositionError.self) { try ComposedModel(modules: [one.modules[0], many.modules[0]]) }
        #expect(throws: DecompositionError.moduleMismatch("no modules to compose")) { try ComposedModel(modules: []) }
    }
}
