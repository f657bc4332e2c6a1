import Foundation
import Testing
import Corpora
@testable import RNNKit
@testable import Zoo
import TestSupport

/// The trainer end to end on the embedded synthetic tasks: determinism and learning.
struct TrainerTests {
    static func small(_ task: Task, _ cell: CellKind, _ data: Dataset, units: Int = 24) throws -> Model {
        var arch = Architecture.paper(for: data, cell: cell, layers: 1, units: units, embed: 16)
        arch.maskZero = arch.maskZero || task == .manyToMany
        return try arch.build()
    }

    @Test("same seed, same data → bit-identical weights; another seed → different")
    func determinism() throws {
        let data = SyntheticTasks.make(.manyToOne, profile: .smoke)
        let set = data.train.trainingSet(task: .manyToOne)
        let model = try Self.small(.manyToOne, .lstm, data).kerasInitialized(seed: 5)
        var config = TrainingConfiguration(epochs: 1, batchSize: 32, seed: 9)
        let a = try Trainer.train(model, on: set, configuration: config).model
        let b = try Trainer.train(model, on: set, configuration: config).model
        for (x, y) in zip(a.layers, b.layers) {
            #expect(x.weights.map(\.tensor) == y.weights.map(\.tensor), "\(x.name) bit-identical")
        }
        config.seed = 10
        let c = try Trainer.train(model, on: set, configuration: config).model
        #expect(a.layers[1].weights[0].tensor != c.layers[1].weights[0].tensor, "a different shuffle gives different weights")
        // Initialisation is seeded too.
        #expect(try Self.small(.manyToOne, .lstm, data).kerasInitialized(seed: 5).layers[1].weights[1].tensor
                == model.layers[1].weights[1].tensor)
    }

    @Test("a small synthetic task is learnt far above chance", arguments: [(Task.manyToOne, CellKind.lstm), (.manyToMany, .gru)])
    func learns(_ task: Task, _ cell: CellKind) throws {
        let data = SyntheticTasks.make(task, profile: .smoke)
        let ignore = data.paddingLabel >= 0 ? data.paddingLabel : nil
        let model = try Self.small(task, cell, data).kerasInitialized(seed: 1)
        let out = try Trainer.train(model, on: data.train.trainingSet(task: task),
                                    configuration: TrainingConfiguration(epochs: 8, batchSize: 32, seed: 2, ignoreLabel: ignore))
        let test = try out.model.evaluate(data.test.trainingSet(task: task), ignoreLabel: ignore)
        let chance = 1 / Double(data.numClasses - (ignore == nil ? 0 : 1))
        #expect(out.epochs.count == 8 && out.epochs.last!.loss < out.epochs.first!.loss, "\(out.epochs.map(\.loss))")
        #expect(test.accuracy > max(0.6, 2.5 * chance), "test accuracy \(test.accuracy), chance \(chance)")
        print("synthetic \(task.rawValue) \(cell.rawValue): test accuracy \(test.accuracy) (chance \(chance))")
    }

    @Test("initialisers: orthogonal recurrent kernel, unit forget bias, Glorot and embedding ranges")
    func initialisers() throws {
        let arch = Architecture(task: .manyToOne, cell: .lstm, layers: 1, units: 8, embed: 6, vocabulary: 30, classes: 4, inputLength: 5)
        let m = try arch.build().kerasInitialized(seed: 3)
        let table = m.layers[0].weights[0].tensor.data
        #expect(table.allSatisfy { abs($0) <= 0.05 } && Set(table).count == table.count)
        let r = m.layers[1] as! Recurrent
        let limit = Float((6.0 / Double(6 + 32)).squareRoot())
        #expect(r.kernel.data.allSatisfy { abs($0) <= limit } && r.kernel.data.contains { abs($0) > limit / 2 })
        #expect(r.bias.data == (0..<32).map { (8..<16).contains($0) ? 1 : 0 })
        // U [H, 4H]: rows orthonormal (U·Uᵀ = I).
        let (H, GH) = (8, 32)
        var worst: Float = 0
        for i in 0..<H { for j in 0..<H {
            var s: Float = 0
            for k in 0..<GH { s += r.recurrentKernel.data[i * GH + k] * r.recurrentKernel.data[j * GH + k] }
            worst = max(worst, abs(s - (i == j ? 1 : 0)))
        } }
        #expect(worst < Float(Tolerance.float32DotProducts), "max |U·Uᵀ − I| = \(worst)")
    }

    @Test("lazy embedding rows (idle steps replayed when read) give the dense update's weights bit for bit")
    func lazyTablesMatchDense() throws {
        // 30 ids in 10 groups of 3; example i reads only group i % 10, so every batch of 8
        // leaves some groups idle for one or more steps, and the replay has work to do.
        let arch = Architecture(task: .manyToOne, cell: .lstm, layers: 1, units: 8, embed: 6, vocabulary: 31, classes: 4, inputLength: 5)
        let model = try arch.build().kerasInitialized(seed: 3)
        let n = 80
        var ids: [Float] = []
        for i in 0..<n { for t in 0..<5 { ids.append(Float(1 + (i % 10) * 3 + (i / 10 + t) % 3)) } }
        let data = TrainingSet(inputs: [model.inputs[0].name: Tensor(shape: [n, 5], data: ids)],
                               labels: (0..<n).map { Int32(($0 % 10) % 4) })
        var config = TrainingConfiguration(epochs: 3, batchSize: 8, seed: 4)
        config.shards = 2
        let lazy = try Trainer.train(model, on: data, configuration: config, lazyTables: true).model
        let dense = try Trainer.train(model, on: data, configuration: config, lazyTables: false).model
        for (x, y) in zip(lazy.layers, dense.layers) {
            let same = x.weights.map { $0.tensor.data.map(\.bitPattern) } == y.weights.map { $0.tensor.data.map(\.bitPattern) }
            #expect(same, "\(x.name) bit-identical")
        }
        // The table was trained, rows never read stayed at their initial values.
        let (before, after) = (model.layers[0].weights[0].tensor.data, lazy.layers[0].weights[0].tensor.data)
        #expect(before[6..<12] != after[6..<12], "row 1 moved")
        #expect(before[0..<6] == after[0..<6], "row 0 (never read) unchanged")
    }

    @Test("thin QR's Q has R's diagonal positive (Keras's sign correction)")
    func signCorrectedQR() {
        // A = [[3, 1], [4, 2], [0, 5]]: Gram–Schmidt gives q1 = (0.6, 0.8, 0) with r11 = 5 > 0.
        let q = Initializers.thinQ([3, 1, 4, 2, 0, 5], rows: 3, cols: 2)
        #expect(abs(q[0] - 0.6) < Tolerance.float64Arithmetic && abs(q[2] - 0.8) < Tolerance.float64Arithmetic && abs(q[4]) < Tolerance.float64Arithmetic)
        // q2 ⟂ q1 and r22 = q2·a2 > 0.
        #expect(abs(q[0] * q[1] + q[2] * q[3] + q[4] * q[5]) < Tolerance.float64Arithmetic)
        #expect(q[1] * 1 + q[3] * 2 + q[5] * 5 > 0)
    }
}

/// The float32 exp the training softmax uses, against libm.
struct ExpApproximationTests {
    @Test func withinTwoUlp() {
        var worst: Float = 0
        var x: Float = -87
        while x < 88 {
            let (a, b) = (expApprox(x), Foundation.exp(x))
            worst = max(worst, abs(a - b) / b.ulp)
            x += 0.0137
        }
        #expect(worst <= 2, "max error \(worst) ulp")
        #expect(expApprox(0) == 1 && expApprox(-200) > 0 && expApprox(-200) < 1.2e-38)
    }
}
