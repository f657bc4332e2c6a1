/// Embedding: token ids `[B, T]` → vectors `[B, T, E]`. With `maskZero`, id 0 is padding
/// and the output carries a mask. Ids are truncated toward zero as Keras casts floats to
/// int32, then range-checked (out of range is an error, as on Keras's CPU kernel).
public struct Embedding: Layer {
    public var name: String
    public var inputDim: Int
    public var outputDim: Int
    public var maskZero: Bool
    public var table: Tensor   // [inputDim, outputDim]

    public init(name: String, inputDim: Int, outputDim: Int, maskZero: Bool = false) {
        self.name = name; self.inputDim = inputDim; self.outputDim = outputDim; self.maskZero = maskZero
        table = Tensor(zeros: [inputDim, outputDim])
    }

    public var kerasClassName: String { "Embedding" }
    public var summaryOptions: String { "\(inputDim)→\(outputDim)" + (maskZero ? ", mask_zero" : "") }
    public var weights: [NamedWeight] { [NamedWeight(name: "embeddings", tensor: table)] }
    public func expectedWeightShapes(inputs: [Shape]) throws -> [(name: String, shape: [Int])] {
        [("embeddings", [inputDim, outputDim])]
    }
    public mutating func setWeights(_ t: [Tensor]) { table = t[0] }

    public func outputShapes(inputs: [Shape]) throws -> [Shape] { [inputs[0] + [outputDim]] }

    /// Token ids as integers, checked against the vocabulary.
    public func tokenIDs(_ x: Tensor) throws -> [Int32] {
        try x.data.map { v in
            let t = v.rounded(.towardZero)
            guard t >= 0, t < Float(inputDim) else {
                throw RNNKitError.tokenOutOfRange(layer: name, value: Double(v), inputDim: inputDim)
            }
            return Int32(t)
        }
    }

    public func forward(_ inputs: [Flow], options: RunOptions) throws -> LayerResult {
        let x = inputs[0].tensor
        let ids = try tokenIDs(x)
        var out = [Float](repeating: 0, count: ids.count * outputDim)
        table.data.withUnsafeBufferPointer { tab in
            out.withUnsafeMutableBufferPointer { o in
                for (i, id) in ids.enumerated() {
                    let src = tab.baseAddress! + Int(id) * outputDim
                    (o.baseAddress! + i * outputDim).update(from: src, count: outputDim)
                }
            }
        }
        var mask: Mask? = nil
        if maskZero, x.rank == 2 { mask = Mask(batch: x.shape[0], steps: x.shape[1], values: ids.map { $0 != 0 }) }
        return single(Tensor(shape: x.shape + [outputDim], data: out), mask: mask)
    }
}
