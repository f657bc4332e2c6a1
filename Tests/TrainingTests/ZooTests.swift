import Foundation
import TestSupport
import Testing
import Corpora
import HDF5Kit
import RNNKit
@testable import Zoo

/// The zoo: training on demand, the cache, keys, class subsets.
struct ZooTests {
    let root = TestScratch.root.appendingPathComponent("zoo-tests-\(UUID().uuidString)")
    /// Synthetic data sets only: no root to search for real files.
    let syntheticOnly = DataLocator(roots: [])

    @Test("a model trained on a derived data set is cached under the base key and a tag, and served again")
    func derived() throws {
        let zoo = Zoo(profile: .smoke, root: root, locator: syntheticOnly)
        let base = ZooModel(dataset: "synthetic_many_to_one", task: .manyToOne, cell: .rnn, layers: 1)
        let data = try zoo.dataset(for: base).restricted(to: [0, 1])
        let first = try zoo.derivedModel(data, like: base, tag: "two-classes")
        let path = zoo.directory.appendingPathComponent("derived").appendingPathComponent(try zoo.key(for: base) + "-two-classes.h5").path
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(first.layers.last?.weights.last?.tensor.shape == [2], "a two-class output layer")
        let again = try zoo.derivedModel(data, like: base, tag: "two-classes")
        for (a, b) in zip(first.layers, again.layers) { #expect(a.weights.map(\.tensor) == b.weights.map(\.tensor)) }
        try? FileManager.default.removeItem(at: root)
    }

    @Test("trains once, then serves the cached model and its record")
    func cache() throws {
        let zoo = Zoo(profile: .smoke, root: root, locator: syntheticOnly)
        let spec = ZooModel(dataset: "synthetic_many_to_one", task: .manyToOne, cell: .gru, layers: 1)
        let first = try zoo.entry(spec)
        #expect(first.trained && first.path.hasPrefix(root.appendingPathComponent("smoke").path))
        #expect(URL(fileURLWithPath: first.path).lastPathComponent == (try zoo.key(for: spec)) + ".h5")
        let again = try zoo.entry(spec)
        #expect(!again.trained)
        #expect(again.metadata == first.metadata)
        for (a, b) in zip(first.model.layers, again.model.layers) { #expect(a.weights.map(\.tensor) == b.weights.map(\.tensor)) }
        let m = first.metadata
        #expect(m.epochs.count == 2 && m.trainExamples == 600 && m.testExamples == 200 && m.trainSeconds > 0)
        #expect(m.test.counted == 200 && (0...1).contains(m.testAccuracy) && m.finalLoss.isFinite)
        #expect(m.architecture.cell == .gru && m.recipe.epochs == 2)
    }

    @Test("the key changes with the seed, the depth, the profile and the recipe's data")
    func keys() throws {
        let zoo = Zoo(profile: .smoke, root: root, locator: syntheticOnly)
        let base = ZooModel(dataset: "synthetic_one_to_one", task: .oneToOne, cell: .lstm, layers: 1)
        var other = base; other.seed = 2
        var deeper = base; deeper.layers = 2
        let keys = try [zoo.key(for: base), zoo.key(for: other), zoo.key(for: deeper), Zoo(profile: .quick, root: root, locator: syntheticOnly).key(for: base)]
        #expect(Set(keys).count == 4)
        // Where the cache lives is not part of the key: another root gives the same key.
        let elsewhere = Zoo(profile: .smoke, root: root.appendingPathComponent("elsewhere"), locator: syntheticOnly)
        #expect(try elsewhere.key(for: base) == keys[0])
        // The data's part: the smoke and quick synthetic arrays differ, and so do their checksums.
        #expect(try zoo.datasetChecksum(base) != Zoo(profile: .quick, root: root, locator: syntheticOnly).datasetChecksum(base))
        #expect(keys[0].hasPrefix("synthetic_one_to_one-lstm1-"))
        #expect(keys[0].split(separator: "-").last.map { $0.count == 16 && $0.allSatisfy(\.isHexDigit) } == true, "16 hex digits: \(keys[0])")
    }

    @Test("a bidirectional zoo model: its own key and slug, the paper models' encoding unchanged, Bidirectional(concat) trained with both directions drawn apart")
    func bidirectional() throws {
        let zoo = Zoo(profile: .smoke, root: root, locator: syntheticOnly)
        let uni = ZooModel(dataset: "synthetic_many_to_one", task: .manyToOne, cell: .lstm, layers: 1)
        var bi = uni
        bi.bidirectional = true
        // nil is not written: a paper model's key, metadata and description are as before the field existed.
        #expect(!String(decoding: try JSONEncoder().encode(uni), as: UTF8.self).contains("bidirectional"))
        #expect(uni.description == "synthetic_many_to_one many_to_one LSTM-1 seed 1" && bi.description.contains("BiLSTM-1"))
        let key = try zoo.key(for: bi)
        let uniKey = try zoo.key(for: uni)
        #expect(key.hasPrefix("synthetic_many_to_one-bilstm1-") && key != uniKey)
        let e = try zoo.entry(bi)
        let wrapper = try #require(e.model.layers.compactMap { $0 as? Bidirectional }.first)
        #expect(wrapper.mergeMode == .concat && wrapper.forwardLayer.units == e.metadata.architecture.units)
        #expect(e.metadata.architecture.bidirectional == true)
        #expect((e.model.layers.last as? Dense)?.kernel.shape == [2 * wrapper.forwardLayer.units, e.metadata.architecture.classes])
        #expect(wrapper.forwardLayer.kernel != wrapper.backwardLayer.kernel && wrapper.backwardLayer.kernel.data.contains { $0 != 0 })
        try? FileManager.default.removeItem(at: root)
    }

    @Test("a class subset trains a k-way model on those classes only")
    func classSubset() throws {
        let zoo = Zoo(profile: .smoke, root: root, locator: syntheticOnly)
        let spec = ZooModel(dataset: "synthetic_one_to_one", task: .oneToOne, cell: .rnn, layers: 1, classes: [3, 0])
        let data = try zoo.dataset(for: spec)
        #expect(data.numClasses == 2 && data.labelNames == ["delta", "alpha"])
        #expect(Set(data.train.y.values) == [0, 1])
        let full = SyntheticTasks.make(.oneToOne, profile: .smoke)
        #expect(data.train.count == full.train.y.values.filter { $0 == 3 || $0 == 0 }.count)
        let e = try zoo.entry(spec)
        #expect((e.model.layers.last as! Dense).units == 2 && e.metadata.labelNames == ["delta", "alpha"])
        #expect(throws: ZooError.self) { try zoo.dataset(for: ZooModel(dataset: "synthetic_one_to_one", task: .oneToOne, cell: .rnn, layers: 1, classes: [9])) }
        #expect(throws: ZooError.self) { try zoo.dataset(for: ZooModel(dataset: "synthetic_many_to_many", task: .manyToMany, cell: .rnn, layers: 1, classes: [1])) }
    }

    @Test("a model asking for another I/O type than its data set's is an error")
    func taskMismatch() throws {
        let zoo = Zoo(profile: .smoke, root: root, locator: syntheticOnly)
        #expect(throws: ZooError.taskMismatch(dataset: "synthetic_one_to_one", expected: "many_to_one", found: "one_to_one")) {
            try zoo.entry(ZooModel(dataset: "synthetic_one_to_one", task: .manyToOne, cell: .rnn, layers: 1))
        }
    }

    @Test("real data: MathQA 1:1 LSTM-1 on the smoke profile learns above chance", .requiresShared(Shared.data))
    func realMathQA() throws {
        let zoo = Zoo(profile: .smoke, root: root, locator: Shared.dataLocator)
        let e = try zoo.entry(.paper(.oneToOne, cell: .lstm, layers: 1))
        #expect(e.metadata.architecture.vocabulary == 5000 && e.metadata.architecture.inputLength == 20)
        #expect(e.metadata.trainExamples == 256 && e.metadata.testExamples == 128)
        // Six classes; the smoke profile trains 2 epochs on 256 examples.
        #expect(e.metadata.testAccuracy > 1.0 / 6, "test accuracy \(e.metadata.testAccuracy)")
    }
}
