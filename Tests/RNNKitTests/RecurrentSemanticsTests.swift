import Foundation
import Testing
@testable import RNNKit
import TestSupport

/// The batched recurrent kernels against a naive per-sample float64 transcription of
/// ALGORITHMS.md §1 (Keras semantics), including masking and initial states.
struct RecurrentSemanticsTests {
    static let cells: [Recurrent.Cell] = [.simple, .lstm, .gru(resetAfter: false), .gru(resetAfter: true)]

    /// Naive reference: one sample, one step at a time, in Double.
    static func reference(_ l: Recurrent, x: [[Double]], mask: [Bool]?, h0: [Double]?, c0: [Double]?) -> (outputs: [[Double]], h: [Double], c: [Double]) {
        let H = l.units, G = l.gateCount, D = l.kernel.shape[0]
        func act(_ a: Activation, _ v: Double) -> Double {
            switch a {
            case .tanh: return Foundation.tanh(v)
            case .relu: return max(v, 0)
            case .sigmoid: return 1 / (1 + exp(-v))
            case .hardSigmoid: return min(max(0.2 * v + 0.5, 0), 1)
            default: fatalError("not used")
            }
        }
        let W = l.kernel.data.map(Double.init), U = l.recurrentKernel.data.map(Double.init), B = l.bias.data.map(Double.init)
        func xw(_ xt: [Double], _ col: Int) -> Double { (0..<D).reduce(B[col]) { $0 + xt[$1] * W[$1 * G * H + col] } }
        func hu(_ h: [Double], _ col: Int) -> Double { (0..<H).reduce(0) { $0 + h[$1] * U[$1 * G * H + col] } }
        var h = h0 ?? Array(repeating: 0, count: H), c = c0 ?? Array(repeating: 0, count: H)
        var out = Array(repeating: 0.0, count: H)
        var outs: [[Double]] = []
        for (t, xt) in x.enumerated() {
            var hn = h, cn = c
            switch l.cell {
            case .simple:
                for j in 0..<H { hn[j] = act(l.activation, xw(xt, j) + hu(h, j)) }
            case .lstm:
                for j in 0..<H {
                    let i = act(l.recurrentActivation, xw(xt, j) + hu(h, j))
                    let f = act(l.recurrentActivation, xw(xt, H + j) + hu(h, H + j))
                    let g = act(l.activation, xw(xt, 2 * H + j) + hu(h, 2 * H + j))
                    let o = act(l.recurrentActivation, xw(xt, 3 * H + j) + hu(h, 3 * H + j))
                    cn[j] = f * c[j] + i * g
                    hn[j] = o * act(l.activation, cn[j])
                }
            case .gru(resetAfter: false):
                let z = (0..<H).map { act(l.recurrentActivation, xw(xt, $0) + hu(h, $0)) }
                let r = (0..<H).map { act(l.recurrentActivation, xw(xt, H + $0) + hu(h, H + $0)) }
                let rh = (0..<H).map { r[$0] * h[$0] }
                for j in 0..<H { hn[j] = z[j] * h[j] + (1 - z[j]) * act(l.activation, xw(xt, 2 * H + j) + hu(rh, 2 * H + j)) }
            case .gru(resetAfter: true):
                let rb = Array(B[(G * H)...])
                func hur(_ col: Int) -> Double { hu(h, col) + rb[col] }
                let z = (0..<H).map { act(l.recurrentActivation, xw(xt, $0) + hur($0)) }
                let r = (0..<H).map { act(l.recurrentActivation, xw(xt, H + $0) + hur(H + $0)) }
                for j in 0..<H { hn[j] = z[j] * h[j] + (1 - z[j]) * act(l.activation, xw(xt, 2 * H + j) + r[j] * hur(2 * H + j)) }
            }
            if mask?[t] ?? true { h = hn; c = cn; out = hn }
            outs.append(out)
        }
        return (outs, h, c)
    }

    static let variants: [(Activation, Precision)] = [(.sigmoid, .float32), (.sigmoid, .float64), (.hardSigmoid, .float32), (.hardSigmoid, .float64)]

    @Test("batched kernel equals the naive reference", arguments: cells, variants)
    func kernelMatchesReference(cell: Recurrent.Cell, variant: (gate: Activation, precision: Precision)) throws {
        let gate = variant.gate
        let (B, T, D, H) = (5, 6, 3, 4)
        var l = Recurrent(name: "r", cell: cell, inputDim: D, units: H, activation: cell == .simple ? .relu : .tanh,
                          recurrentActivation: gate, returnSequences: true, returnState: true)
        l = TinyModels.randomize(l, seed: 11)
        let x = Tensor(shape: [B, T, D], data: TinyModels.values(B * T * D, seed: 5, scale: 1.5))
        // Pre-padding of varying length, plus a hole in the middle of sample 4.
        var maskValues = (0..<(B * T)).map { $0 % T >= ($0 / T) % 3 }
        maskValues[4 * T + 3] = false
        let mask = Mask(batch: B, steps: T, values: maskValues)
        let h0 = Tensor(shape: [B, H], data: TinyModels.values(B * H, seed: 8))
        let c0 = Tensor(shape: [B, H], data: TinyModels.values(B * H, seed: 9))
        let states = [Flow(h0)] + (cell == .lstm ? [Flow(c0)] : [])
        let r = try l.forward([Flow(x, mask: mask)] + states, options: RunOptions(taps: true, precision: variant.precision))
        var worst = 0.0
        for b in 0..<B {
            let xs = (0..<T).map { t in (0..<D).map { Double(x.data[(b * T + t) * D + $0]) } }
            let ref = Self.reference(l, x: xs, mask: Array(maskValues[(b * T)..<((b + 1) * T)]),
                                     h0: (0..<H).map { Double(h0.data[b * H + $0]) }, c0: (0..<H).map { Double(c0.data[b * H + $0]) })
            for t in 0..<T { for j in 0..<H { worst = max(worst, abs(ref.outputs[t][j] - Double(r.outputs[0].tensor.data[(b * T + t) * H + j]))) } }
            for j in 0..<H { worst = max(worst, abs(ref.h[j] - Double(r.outputs[1].tensor.data[b * H + j]))) }
            if cell == .lstm { for j in 0..<H { worst = max(worst, abs(ref.c[j] - Double(r.outputs[2].tensor.data[b * H + j]))) } }
        }
        #expect(worst < (variant.precision == .float32 ? Tolerance.float32Recurrence : Tolerance.fastActivationPropagated), "worst |Δ| \(worst) for \(cell) \(variant)")
        #expect(r.gates?.shape == [B, T, l.gateCount * H])
        #expect(r.hidden?.shape == [B, T, H])
        #expect(r.outputs[0].mask == mask, "return_sequences keeps the mask")
    }

    @Test("a fully masked sample outputs zeros but keeps its initial state")
    func fullyMasked() throws {
        var l = TinyModels.randomize(Recurrent(name: "r", cell: .lstm, inputDim: 2, units: 3, returnState: true), seed: 4)
        l.returnSequences = false
        let x = Tensor(shape: [1, 4, 2], data: TinyModels.values(8, seed: 1))
        let h0 = Tensor(shape: [1, 3], data: [0.1, 0.2, 0.3]), c0 = Tensor(shape: [1, 3], data: [1, 2, 3])
        let r = try l.forward([Flow(x, mask: Mask(batch: 1, steps: 4, values: [false, false, false, false])), Flow(h0), Flow(c0)], options: RunOptions())
        #expect(r.outputs[0].tensor.data == [0, 0, 0])
        #expect(r.outputs[1].tensor == h0)
        #expect(r.outputs[2].tensor == c0)
    }

    @Test("fast tanh and sigmoid stay within 4e-7 of libm (a few float32 ulp)")
    func activationAccuracy() {
        var worstTanh = 0.0, worstSigmoid = 0.0
        for i in -200_000...200_000 {
            let x = Float(i) * 1e-4
            worstTanh = max(worstTanh, abs(Double(tanhApprox(x)) - Foundation.tanh(Double(x))))
            var s = x
            Activation.sigmoid.applyElementwise(&s, 1)
            worstSigmoid = max(worstSigmoid, abs(Double(s) - 1 / (1 + exp(-Double(x)))))
        }
        #expect(worstTanh < Tolerance.fastActivation, "tanh \(worstTanh)")
        #expect(worstSigmoid < Tolerance.fastActivation, "sigmoid \(worstSigmoid)")
    }

    @Test("hard_sigmoid is tf.keras 2.x's clip(0.2x + 0.5, 0, 1)")
    func hardSigmoid() {
        var v: [Float] = [-3, -2.5, 0, 1, 2.5, 4]
        v.withUnsafeMutableBufferPointer { Activation.hardSigmoid.applyElementwise($0.baseAddress!, 6) }
        #expect(v == [0, 0, 0.5, 0.7, 1, 1])
    }

    @Test("chunked, multi-core prediction equals one pass", arguments: cells)
    func chunkingIsInvisible(cell: Recurrent.Cell) throws {
        let m = try TinyModels.manyToOne(cell, maskZero: true)
        let x = TinyModels.tokens(batch: 37)
        let whole = try m.forward(["tokens": x], options: RunOptions(taps: true))
        let chunked = try m.predict(["tokens": x], batchSize: 5, taps: true)
        #expect(chunked.prediction.maxAbsDifference(whole.prediction) < Float(Tolerance.float32Rounding))
        #expect(chunked.gates["rnn"]?.shape == whole.gates["rnn"]?.shape)
        #expect(chunked.prediction.shape == [37, 3])
    }
}

/// Masking and Activation layers inside a model, against the naive reference.
struct MaskingLayerTests {
    @Test("Masking zeroes all-mask_value steps and masks them for the next recurrent layer")
    func maskingThroughModel() throws {
        let (B, T, D) = (3, 5, 2)
        let rnn = TinyModels.randomize(Recurrent(name: "rnn", cell: .gru(resetAfter: true), inputDim: D, units: 4, returnSequences: true), seed: 21)
        let m = try Model.sequential(name: "masked", input: ModelInput(name: "x", shape: [nil, T, D]), layers: [
            Masking(name: "masking", maskValue: -1), rnn, ActivationLayer(name: "act", activation: .relu),
        ])
        var x = TinyModels.values(B * T * D, seed: 3)
        let maskedSteps = [(0, 0), (0, 1), (1, 3), (2, 4)]
        for (b, t) in maskedSteps { for d in 0..<D { x[(b * T + t) * D + d] = -1 } }
        x[(2 * T + 2) * D] = -1   // only one feature equals mask_value: not masked
        let r = try m.predict(["x": Tensor(shape: [B, T, D], data: x)], taps: true)
        let masked = r.layerOutputs["masking"]!
        for (b, t) in maskedSteps { #expect(masked.data[((b * T + t) * D)..<((b * T + t + 1) * D)].allSatisfy { $0 == 0 }) }
        #expect(masked.data[(2 * T + 2) * D] == -1)
        for b in 0..<B {
            let keep = (0..<T).map { t in !maskedSteps.contains { $0 == (b, t) } }
            let xs = (0..<T).map { t in (0..<D).map { Double(masked.data[(b * T + t) * D + $0]) } }
            let ref = RecurrentSemanticsTests.reference(rnn, x: xs, mask: keep, h0: nil, c0: nil)
            for t in 0..<T { for j in 0..<4 {
                #expect(abs(Double(r.prediction.data[(b * T + t) * 4 + j]) - max(ref.outputs[t][j], 0)) < Tolerance.float32Rounding)
            } }
        }
    }
}
