/// Keras `Bidirectional(layer, merge_mode)`: the wrapped recurrent layer runs twice on the same
/// input, once as given (`forward_<name>`) and once with `go_backwards` flipped
/// (`backward_<name>`). When sequences are returned the backward output is reversed back to
/// input order, and both directions output zeros at masked steps (tf_keras forces
/// `zero_output_for_mask = return_sequences` on them). Outputs: the merged output (or, with
/// merge mode None, the two outputs), then the forward states, then the backward states.
public struct Bidirectional: Layer {
    public enum MergeMode: String, Sendable { case concat, sum, ave, mul }

    public var name: String
    public var forwardLayer: Recurrent
    public var backwardLayer: Recurrent
    /// nil is Keras's `merge_mode=None`: two outputs, forward then backward.
    public var mergeMode: MergeMode?
    /// The wrapped layer's own name, as the config writes it.
    public var innerName: String

    public init(name: String, layer: Recurrent, mergeMode: MergeMode?) {
        self.name = name; self.mergeMode = mergeMode; innerName = layer.name
        var f = layer
        f.name = "forward_" + layer.name
        f.zeroOutputForMask = layer.returnSequences
        var b = f
        b.name = "backward_" + layer.name
        b.goBackwards.toggle()
        forwardLayer = f; backwardLayer = b
    }

    public var kerasClassName: String { "Bidirectional" }
    public var returnSequences: Bool { forwardLayer.returnSequences }
    public var returnState: Bool { forwardLayer.returnState }
    public var summaryOptions: String { "\(mergeMode?.rawValue ?? "None") \(forwardLayer.kerasClassName)(\(forwardLayer.summaryOptions))" }

    /// Keras's weight names below the wrapper: `forward_lstm/lstm_cell/kernel`, then backward's.
    public var weights: [NamedWeight] {
        [forwardLayer, backwardLayer].flatMap { d in
            d.weights.map { NamedWeight(name: "\(d.name)/\(d.cell.kerasCellScope)/\($0.name)", tensor: $0.tensor) }
        }
    }

    public func expectedWeightShapes(inputs: [Shape]) throws -> [(name: String, shape: [Int])] {
        try forwardLayer.expectedWeightShapes(inputs: inputs).map { ("\(forwardLayer.name)/\($0.name)", $0.shape) }
            + backwardLayer.expectedWeightShapes(inputs: inputs).map { ("\(backwardLayer.name)/\($0.name)", $0.shape) }
    }

    public mutating func setWeights(_ t: [Tensor]) {
        let n = t.count / 2
        forwardLayer.setWeights(Array(t[..<n])); backwardLayer.setWeights(Array(t[n...]))
    }

    public func outputShapes(inputs: [Shape]) throws -> [Shape] {
        let f = try forwardLayer.outputShapes(inputs: inputs)
        var y = f[0]
        let states = Array(f.dropFirst())
        guard let mergeMode else { return [y, y] + states + states }
        if mergeMode == .concat { y[y.count - 1] = y.last!.map { 2 * $0 } }
        return [y] + states + states
    }

    public func forward(_ inputs: [Flow], options: RunOptions) throws -> LayerResult {
        guard inputs.count == 1 else {
            throw RNNKitError.unsupportedOption(layer: name, option: "initial_state", value: "\(inputs.count - 1) state tensor(s) (not implemented for Bidirectional)")
        }
        let f = try forwardLayer.forward(inputs, options: options)
        let b = try backwardLayer.forward(inputs, options: options)
        let y = f.outputs[0].tensor
        // Keras reverses the backward sequence back to input order; a last output needs nothing.
        let yRev = returnSequences ? b.outputs[0].tensor.reversedInTime() : b.outputs[0].tensor
        let mask = f.outputs[0].mask
        var outputs: [Flow]
        if let mergeMode {
            outputs = [Flow(Bidirectional.merge(y, yRev, mergeMode), mask: mask)]
        } else {
            outputs = [Flow(y, mask: mask), Flow(yRev, mask: mask)]
        }
        outputs += f.outputs.dropFirst() + b.outputs.dropFirst()
        guard options.taps, let fg = f.gates, let fh = f.hidden, let bg = b.gates, let bh = b.hidden else { return LayerResult(outputs: outputs) }
        // Taps of both directions side by side [forward | backward], each at its input step.
        func aligned(_ t: Tensor, _ l: Recurrent) -> Tensor { l.goBackwards ? t.reversedInTime() : t }
        return LayerResult(outputs: outputs,
                           gates: Bidirectional.merge(aligned(fg, forwardLayer), aligned(bg, backwardLayer), .concat),
                           hidden: Bidirectional.merge(aligned(fh, forwardLayer), aligned(bh, backwardLayer), .concat))
    }

    /// Keras's merge of the two directions along the last axis.
    static func merge(_ a: Tensor, _ b: Tensor, _ mode: MergeMode) -> Tensor {
        switch mode {
        case .concat:
            let (wa, wb) = (a.shape.last!, b.shape.last!)
            let rows = a.count / wa
            var out = [Float](repeating: 0, count: a.count + b.count)
            for r in 0..<rows {
                for j in 0..<wa { out[r * (wa + wb) + j] = a.data[r * wa + j] }
                for j in 0..<wb { out[r * (wa + wb) + wa + j] = b.data[r * wb + j] }
            }
            var shape = a.shape
            shape[shape.count - 1] = wa + wb
            return Tensor(shape: shape, data: out)
        case .sum: return Tensor(shape: a.shape, data: zip(a.data, b.data).map { $0 + $1 })
        case .ave: return Tensor(shape: a.shape, data: zip(a.data, b.data).map { ($0 + $1) / 2 })
        case .mul: return Tensor(shape: a.shape, data: zip(a.data, b.data).map { $0 * $1 })
        }
    }
}
