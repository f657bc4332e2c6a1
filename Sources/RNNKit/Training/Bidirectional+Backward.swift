// MARK: - Bidirectional in training
//
// Two RecurrentOps on the same input (the backward one with go_backwards flipped). Forward
// merges their outputs as `Bidirectional.forward` does; backward splits ∂merged into each
// direction's output gradient (concat: its half; sum: all; ave: half of it; mul: times the
// other direction's output), re-reverses the backward direction's sequence gradient into its
// run order, and adds the two input gradients.

final class BidirectionalOp<S: TrainScalar>: TrainOp {
    let layer: Bidirectional
    let forwardOp: RecurrentOp<S>, backwardOp: RecurrentOp<S>
    var y: [S] = [], yRev: [S] = []         // each direction's output, input order (mul needs them)
    var outShape: [Int] = []
    var stateCount: Int { layer.returnState ? layer.forwardLayer.stateCount : 0 }

    init(_ layer: Bidirectional, weights w: [Weight<S>]) throws {
        self.layer = layer
        let n = w.count / 2
        func op(_ l: Recurrent, _ w: ArraySlice<Weight<S>>) throws -> RecurrentOp<S> {
            let w = Array(w)
            return try RecurrentOp(l, kernel: w[0], recurrentKernel: w[1], bias: l.useBias ? w[2] : nil)
        }
        forwardOp = try op(layer.forwardLayer, w[..<n]); backwardOp = try op(layer.backwardLayer, w[n...])
    }

    var parameters: [Parameter<S>] { forwardOp.parameters + backwardOp.parameters }

    private func reversed(_ v: [S], _ shape: [Int]) -> [S] {
        layer.returnSequences ? reversedSteps(v, batch: shape[0], steps: shape[1], width: shape[2]) : v
    }

    func forward(_ inputs: [Batch<S>], context: ForwardContext) throws -> [Batch<S>] {
        guard inputs.count == 1 else {
            throw RNNKitError.unsupportedOption(layer: layer.name, option: "initial_state", value: "\(inputs.count - 1) state tensor(s) (not implemented for Bidirectional)")
        }
        let f = try forwardOp.forward(inputs, context: context), b = try backwardOp.forward(inputs, context: context)
        outShape = f[0].shape
        y = f[0].data; yRev = reversed(b[0].data, outShape)
        let mask = f[0].mask
        var out: [Batch<S>]
        switch layer.mergeMode {
        case nil: out = [Batch(shape: outShape, data: y, mask: mask), Batch(shape: outShape, data: yRev, mask: mask)]
        case .concat?:
            let h = outShape.last!, rows = y.count / h
            var m = [S](repeating: 0, count: 2 * y.count)
            for r in 0..<rows { for j in 0..<h { m[r * 2 * h + j] = y[r * h + j]; m[r * 2 * h + h + j] = yRev[r * h + j] } }
            var s = outShape; s[s.count - 1] = 2 * h
            out = [Batch(shape: s, data: m, mask: mask)]
        case .sum?: out = [Batch(shape: outShape, data: zip(y, yRev).map { $0 + $1 }, mask: mask)]
        case .ave?: out = [Batch(shape: outShape, data: zip(y, yRev).map { ($0 + $1) / 2 }, mask: mask)]
        case .mul?: out = [Batch(shape: outShape, data: zip(y, yRev).map { $0 * $1 }, mask: mask)]
        }
        return out + f.dropFirst() + b.dropFirst()
    }

    func backward(_ grads: [[S]?]) -> [[S]?] {
        let merged = layer.mergeMode == nil ? 2 : 1
        var gy: [S]? = nil, gyRev: [S]? = nil
        if let g = grads[0] {
            switch layer.mergeMode {
            case nil: gy = g; gyRev = grads.count > 1 ? grads[1] : nil
            case .concat?:
                let h = outShape.last!, rows = y.count / h
                var a = [S](repeating: 0, count: y.count), b = a
                for r in 0..<rows { for j in 0..<h { a[r * h + j] = g[r * 2 * h + j]; b[r * h + j] = g[r * 2 * h + h + j] } }
                gy = a; gyRev = b
            case .sum?: gy = g; gyRev = g
            case .ave?: gy = g.map { $0 / 2 }; gyRev = gy
            case .mul?: gy = zip(g, yRev).map { $0 * $1 }; gyRev = zip(g, y).map { $0 * $1 }
            }
        } else if layer.mergeMode == nil, grads.count > 1 {
            gyRev = grads[1]
        }
        func state(_ i: Int) -> [S]? { i < grads.count ? grads[i] : nil }
        let fStates = (0..<stateCount).map { state(merged + $0) }
        let bStates = (0..<stateCount).map { state(merged + stateCount + $0) }
        let df = forwardOp.backward([gy] + fStates)
        let db = backwardOp.backward([gyRev.map { reversed($0, outShape) }] + bStates)
        guard let a = df[0], let b = db[0] else { return [df[0] ?? db[0]] }
        return [zip(a, b).map { $0 + $1 }]
    }
}
