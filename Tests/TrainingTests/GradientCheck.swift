import Foundation
@testable import RNNKit

/// Finite-difference gradient checks in float64: every weight element (and every float
/// input element asked for) is perturbed by ±h, the central difference compared with the
/// backward pass's gradient.
enum GradientCheck {
    /// Step of the central difference: truncation error ~h²·f''' ≈ 1e-10, rounding error
    /// ~ε·|L|/h ≈ 1e-11 for losses of order 1.
    static let step = 1e-5
    /// Denominator floor of the relative error: gradients below it are compared absolutely
    /// (|Δ| ≤ 1e-5 · 1e-4 = 1e-9), since the difference's own noise (~1e-10) would swamp a
    /// relative comparison of tiny values.
    static let floor = 1e-4

    struct Report: CustomStringConvertible {
        var worstRelative = 0.0
        var worstAt = "-"
        var checked = 0
        /// Elements where the one-sided differences disagree (a relu/hard_sigmoid kink lies
        /// within ±h): the function is not differentiable there, so they are not compared.
        var kinks = 0
        var description: String { "max relative error \(String(format: "%.2e", worstRelative)) at \(worstAt) over \(checked) elements (\(kinks) at kinks skipped)" }
    }

    /// A scalar loss of the graph's outputs and its gradient with respect to them.
    typealias Loss = ([Batch<Double>]) throws -> (value: Double, gradients: [[Double]?])

    /// Checks every weight of `model` and the inputs named in `checkInputs`.
    static func run(_ name: String, _ model: Model, inputs: [String: Batch<Double>], checkInputs: [String] = [], fuse: Bool = false,
                    training: Bool = false, loss: Loss) throws -> Report {
        let r = try check(model, inputs: inputs, checkInputs: checkInputs, fuse: fuse, training: training, loss: loss)
        print("gradient check \(name): \(r)")
        return r
    }

    private static func check(_ model: Model, inputs: [String: Batch<Double>], checkInputs: [String], fuse: Bool,
                              training: Bool, loss: Loss) throws -> Report {
        let graph = try TrainingGraph<Double>(model: model, fuseSoftmaxLoss: fuse)
        let context = ForwardContext(training: training, seed: 42)
        graph.zeroGradients()
        let (_, dOut) = try loss(try graph.forward(inputs, context: context))
        let inputGrads = graph.backward(dOut)
        var report = Report()

        func lossAt(_ feeds: [String: Batch<Double>]) throws -> Double { try loss(try graph.forward(feeds, context: context)).value }
        func compare(_ analytic: Double, _ plus: Double, _ minus: Double, _ centre: Double, _ label: String) {
            let h = step
            let (forward, backward) = ((plus - centre) / h, (centre - minus) / h)
            if abs(forward - backward) > 0.1 * max(abs(forward), abs(backward)) + 1e-7 { report.kinks += 1; return }
            let numeric = (plus - minus) / (2 * h)
            let rel = abs(analytic - numeric) / max(abs(analytic), abs(numeric), floor)
            report.checked += 1
            if rel > report.worstRelative || rel.isNaN { report.worstRelative = rel; report.worstAt = label }
        }

        let centre = try lossAt(inputs)
        for p in graph.parameters {
            let w = p.weight
            for j in 0..<w.count {
                let saved = w.value.p[j]
                w.value.p[j] = saved + step; let plus = try lossAt(inputs)
                w.value.p[j] = saved - step; let minus = try lossAt(inputs)
                w.value.p[j] = saved
                compare(p.grad.p[j], plus, minus, centre, "\(w.layer)/\(w.name)[\(j)]")
            }
        }
        for name in checkInputs {
            let analytic = inputGrads[name] ?? []
            for j in 0..<(inputs[name]?.count ?? 0) {
                var feeds = inputs
                feeds[name]!.data[j] += step; let plus = try lossAt(feeds)
                feeds[name]!.data[j] -= 2 * step; let minus = try lossAt(feeds)
                compare(j < analytic.count ? analytic[j] : 0, plus, minus, centre, "input \(name)[\(j)]")
            }
        }
        return report
    }

    /// L = Σ_outputs Σ_i r_i · y_i with fixed pseudo-random r: every output element matters
    /// with its own weight, so the check sees each part of every output's gradient.
    static func linearLoss(seed: UInt64 = 99) -> Loss {
        { outs in
            var value = 0.0
            var grads: [[Double]?] = []
            for (k, o) in outs.enumerated() {
                var rng = SeededRandom(seed: seed, salt: UInt64(k + 1))
                let r = (0..<o.count).map { _ in rng.uniform(-1, 1) }
                for i in 0..<o.count { value += r[i] * o.data[i] }
                grads.append(r)
            }
            return (value, grads)
        }
    }

    /// Mean categorical cross-entropy of the first output against `labels` (Keras's loss).
    static func crossEntropy(_ labels: [Int32], ignoreLabel: Int? = nil, fused: Bool) -> Loss {
        { outs in
            let r = try SoftmaxCrossEntropy.evaluate(outs[0], labels: labels, ignoreLabel: ignoreLabel, wrtLogits: fused)
            let n = Double(max(r.counted, 1))
            return (r.lossSum / n, [r.gradient.map { $0 / n }] + Array(repeating: nil, count: outs.count - 1))
        }
    }
}

/// Deterministic test data.
enum TestData {
    static func uniform(_ n: Int, seed: UInt64, scale: Double = 1) -> [Double] {
        var rng = SeededRandom(seed: seed)
        return (0..<n).map { _ in rng.uniform(-scale, scale) }
    }

    static func tokens(batch: Int, steps: Int, vocab: Int, seed: UInt64, prePad: Int = 0, postPad: Int = 0) -> [Double] {
        var rng = SeededRandom(seed: seed)
        var x = (0..<(batch * steps)).map { _ in Double(1 + rng.below(vocab - 1)) }
        for b in 0..<batch {
            let pre = prePad > 0 ? rng.below(prePad + 1) : 0
            for t in 0..<pre { x[b * steps + t] = 0 }
            let post = postPad > 0 ? rng.below(postPad + 1) : 0
            for t in (steps - post)..<steps { x[b * steps + t] = 0 }
        }
        return x
    }

    static func labels(_ n: Int, classes: Int, seed: UInt64) -> [Int32] {
        var rng = SeededRandom(seed: seed)
        return (0..<n).map { _ in Int32(rng.below(classes)) }
    }

    /// A layer's weights replaced by U(−scale, scale) values (larger than Keras's initial
    /// ones, so every nonlinearity is exercised away from its linear region).
    static func randomized<L: Layer>(_ layer: L, seed: UInt64, scale: Double = 0.6) -> L {
        var l = layer
        l.setWeights(l.weights.enumerated().map { i, w in
            Tensor(shape: w.tensor.shape, data: uniform(w.tensor.count, seed: seed &+ UInt64(i), scale: scale).map(Float.init))
        })
        return l
    }
}
