import Foundation
import Testing
@testable import Decomposition
import DecompositionInputs
import Experiments
import RNNKit
import TestSupport

/// RQ3 helpers: picking the worst and best model, swapping a module, composing modules of
/// different models and I/O types, and the inter-type test problems.
struct ReplaceTests {
    func modules(_ m: Model, _ data: LabeledData, mode: DecompositionConfig.Mode = .rolled) throws -> [Module] {
        var c = DecompositionConfig.paper
        c.mode = mode
        c.samplesPerClass = 20
        return try Decomposer(model: m, config: c).decompose(train: data).modules
    }

    @Test("worst = lowest score (later on ties), best = highest (earlier on ties)")
    func selection() {
        let a = ReplaceSelection.worstAndBest([0.8, 0.9, 0.7, 0.9]), b = ReplaceSelection.worstAndBest([0.5, 0.5])
        let c = ReplaceSelection.worstAndBest([0.3])
        #expect(a.worst == 2 && a.best == 1)
        #expect(b.worst == 1 && b.best == 0)
        #expect(c.worst == 0 && c.best == 0)
    }

    @Test("replacing swaps exactly the module of one concern, in place")
    func replacing() throws {
        let data = try Tiny.data(count: 60)
        let a = try modules(Tiny.model(.lstm, depth: 1), data), b = try modules(Tiny.model(.lstm, depth: 2), data)
        let mixed = try a.replacing(concern: 2, with: b[2])
        #expect(mixed.map(\.concern) == [0, 1, 2, 3])
        #expect(mixed[2].model.nodes.count == b[2].model.nodes.count && mixed[2].model.nodes.count != a[2].model.nodes.count)
        #expect(mixed[1].model.nodes.count == a[1].model.nodes.count)
        #expect(throws: ReplaceError.self) { try a.replacing(concern: 9, with: b[0]) }
    }

    @Test("modules of two models of different depth compose; the replaced module's scores are the donor's")
    func crossModelComposition() throws {
        let data = try Tiny.data(count: 60)
        let worst = try modules(Tiny.model(.gru(resetAfter: false), depth: 1), data)
        let best = try modules(Tiny.model(.gru(resetAfter: false), depth: 2), data)
        let mixed = try worst.replacing(concern: 1, with: best[1])
        let predicted = try ComposedModel(modules: mixed).predict(data.x)
        #expect(predicted.count == data.count && predicted.allSatisfy { (0..<4).contains($0) })
        // MixedComposition over same-shaped modules is exactly ComposedModel.
        let voters = mixed.map { MixedComposition.Voter(module: $0, label: $0.concern) }
        let composition = try MixedComposition(voters: voters, outputSteps: 1)
        #expect(try composition.predict(data.x) == predicted)
        #expect(try composition.scores(data.x)[1] == best[1].dominantProbability(data.x))
        let acc = try composition.accuracy(on: data)
        let expected = Double(zip(predicted, data.labels).filter { $0 == $1 }.count) / Double(data.count)
        #expect(abs(acc - expected) < Tolerance.float64Arithmetic)
    }

    @Test("fitTokens re-pads like pad_sequences(padding: pre, truncating: post)")
    func fitting() {
        let x = Tensor(shape: [2, 3], data: [1, 2, 3, 0, 5, 6])
        #expect(fitTokens(x, steps: 5).data == [0, 0, 1, 2, 3, 0, 0, 0, 5, 6])
        #expect(fitTokens(x, steps: 2).data == [1, 2, 5, 6])
        #expect(fitTokens(x, steps: 3) == x && fitTokens(x, steps: nil) == x)
    }

    @Test("a many-output module votes in a one-output problem by its highest step; a one-output module in a many-output problem on every step")
    func mixedShapes() throws {
        let one = try Tiny.data(count: 40), many = try Tiny.data(count: 40, manyOutput: true)
        let oneModules = try modules(Tiny.model(.lstm), one)
        let manyModules = try modules(Tiny.model(.lstm, manyOutput: true), many, mode: .unrolled)
        let donor = manyModules.first { $0.concern == 2 }!
        // One-output problem: per-sample score = max over the donor's 5 steps.
        let voters1 = oneModules.dropFirst().map { MixedComposition.Voter(module: $0, label: $0.concern) } + [MixedComposition.Voter(module: donor, label: 4)]
        let c1 = try MixedComposition(voters: voters1, outputSteps: 1)
        let s = try c1.scores(one.x)
        let raw = try donor.dominantProbability(one.x)
        #expect(s.last!.count == 40 && raw.count == 200)
        #expect((0..<40).allSatisfy { s.last![$0] == raw[($0 * 5)..<($0 * 5 + 5)].max()! })
        #expect(try c1.predict(one.x).allSatisfy { [1, 2, 3, 4].contains($0) })
        // Many-output problem: the one-output donor's score is repeated on each step.
        let c2 = try MixedComposition(voters: [MixedComposition.Voter(module: manyModules[0], label: 1), MixedComposition.Voter(module: oneModules[3], label: 4)],
                                      outputSteps: 5)
        let s2 = try c2.scores(many.x), own = try oneModules[3].dominantProbability(many.x)
        #expect(s2[1].count == 200 && (0..<200).allSatisfy { s2[1][$0] == own[$0 / 5] })
        #expect(try c2.predict(many.x).count == 200)
    }

    @Test("inter-type test problems: the replaced class leaves, the donor class joins as a new label")
    func problems() throws {
        let one = try Tiny.data(count: 40), many = try Tiny.data(count: 30, manyOutput: true)
        let p = try InterReplaceProblem.oneOutput(recipient: one, replaced: 1, donor: many, donorClass: 2)
        let ones = one.labels.filter { $0 == 1 }.count
        let carriers = (0..<30).filter { i in (0..<5).contains { many.label(i, step: $0) == 2 } }.count
        #expect(p.numClasses == 5 && !p.labels.contains(1))
        #expect(p.labels.filter { $0 == 4 }.count == min(ones, carriers))
        #expect(p.count == 40 - ones + min(ones, carriers))

        let q = try InterReplaceProblem.manyOutput(recipient: many, replaced: 2, donor: one, donorClass: 3)
        let threes = one.labels.filter { $0 == 3 }.count
        let added = min(threes, carriers)
        #expect(q.count == 30 + added && q.outputSteps == 5 && q.numClasses == 5)
        #expect(!q.labels.contains(2))
        // Each donor sample: padding then the new label at its last step.
        #expect((30..<q.count).allSatisfy { i in (0..<4).allSatisfy { q.label(i, step: $0) == 0 } && q.label(i, step: 4) == 4 })
        // Problems are selections of one pool, so modules can be scored once for all pairs.
        let pool1 = InterReplaceProblem.pool(recipient: one, donor: many)
        #expect(gatherRows(pool1.data, rows: InterReplaceProblem.oneOutputRows(recipient: one, replaced: 1, donor: many, donorClass: 2), steps: 5) == p.x.data)
        let pool2 = InterReplaceProblem.pool(recipient: many, donor: one)
        #expect(gatherRows(pool2.data, rows: InterReplaceProblem.manyOutputRows(recipient: many, replaced: 2, donor: one, donorClass: 3), steps: 5) == q.x.data)
        // Voting: highest score wins, the first voter on ties.
        #expect(Voting.winners([[0.1, 0.9, 0.5], [0.9, 0.9, 0.4]], labels: [3, 7]) == [7, 3, 3])
        // The accuracy skips padding: all-correct predictions score 1.
        #expect(try replaceAccuracy(q.labels, q) == 1)
    }
}
