import Corpora
@testable import Decomposition
import DecompositionInputs
import Experiments
import Foundation
import RNNKit
import TestSupport
import Testing
import Zoo

/// `--authors-evaluator-artifact` (ALGORITHMS.md §2c): rolled many-output modules voted with
/// zeroed embedding and recurrent weights, as the authors' rolled 1:N / M:N evaluators did.
/// Then every position gets one label, and CMA is that label's frequency among the counted
/// (non-padding) test positions — computed here from the test labels alone.
struct EvaluatorArtifactTests {
    /// Decomposes rolled, evaluates with the artifact, and checks both claims.
    func check(_ model: Model, train: LabeledData, test: LabeledData, samples: Int) throws {
        var config = DecompositionConfig.paper
        config.samplesPerClass = samples
        let modules = try Decomposer(model: model, config: config).decompose(train: train).modules
        let voted = modules.map { m -> Module in var a = m; a.model = AuthorsSemantics.evaluatorArtifact(m.model); return a }
        let predicted = try ComposedModel(modules: voted).predict(test.x)
        let padding = test.paddingLabel!
        let counted = zip(predicted, test.labels).filter { $0.1 != padding }
        let labels = Set(counted.map(\.0))
        #expect(labels.count == 1, "one label at every counted position, found \(labels.sorted())")
        let label = try #require(labels.first)
        let truth = test.labels.filter { $0 != padding }
        let frequency = Double(truth.filter { $0 == label }.count) / Double(truth.count)
        let e = try DecompositionEvaluation.evaluate(model: model, modules: modules, test: test, preset: .paper, authorsEvaluatorArtifact: true)
        #expect(e.cma == frequency, "CMA \(e.cma) = frequency of label \(label) \(frequency)")
        let real = try DecompositionEvaluation.evaluate(model: model, modules: modules, test: test, preset: .paper)
        #expect(real.mma == e.mma, "the monolithic model is not affected")
    }

    @Test("synthetic many-output models of every cell: one label everywhere, CMA = its frequency",
          arguments: [Recurrent.Cell.simple, .lstm, .gru(resetAfter: false), .gru(resetAfter: true)])
    func synthetic(_ cell: Recurrent.Cell) throws {
        let model = try Tiny.model(cell, classes: 5, manyOutput: true)
        try check(model, train: try Tiny.data(count: 300, classes: 5, manyOutput: true),
                  test: try Tiny.data(count: 100, classes: 5, manyOutput: true, seed: 8), samples: 40)
    }

    /// Kit-trained models on real data: Brown on the smoke recipe (small subsample, few epochs);
    /// toxicity on quick (its 3,984 training rows in full: the smoke subsample loses a class).
    @Test("kit-trained Brown M:N LSTM-1 and wiki-toxicity 1:N LSTM-1 (rolled)", .requiresShared(Shared.data),
          arguments: [("brown", Task.manyToMany, Profile.smoke), ("wiki_toxicity", Task.oneToMany, Profile.quick)])
    func real(_ dataset: String, _ task: Task, _ profile: Profile) throws {
        let root = TestScratch.root.appendingPathComponent("artifact-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let zoo = Zoo(profile: profile, root: root, locator: Shared.dataLocator)
        let spec = ZooModel(dataset: dataset, task: task, cell: .lstm, layers: 1)
        let model = try zoo.entry(spec).model
        let data = try zoo.dataset(for: spec)
        try check(model, train: try LabeledData(data, split: "train"), test: try LabeledData(data, split: "test"), samples: 30)
    }
}
