/// Flatten: `[B, d1, d2, …]` → `[B, d1·d2·…]`. Drops any mask.
public struct Flatten: Layer {
    public var name: String
    public init(name: String) { self.name = name }
    public var kerasClassName: String { "Flatten" }
    public func outputShapes(inputs: [Shape]) throws -> [Shape] {
        let rest = inputs[0].dropFirst()
        guard rest.allSatisfy({ $0 != nil }) else {
            throw RNNKitError.inputShapeMismatch(layer: name, expected: "fully known non-batch dimensions", found: inputs[0].map { $0 ?? -1 })
        }
        return [[inputs[0][0], rest.reduce(1) { $0 * $1! }]]
    }
    public func forward(_ inputs: [Flow], options: RunOptions) throws -> LayerResult {
        let x = inputs[0].tensor
        let b = x.shape[0]
        return single(Tensor(shape: [b, b == 0 ? 0 : x.count / b], data: x.data), mask: nil)
    }
}

/// RepeatVector(n): `[B, D]` → `[B, n, D]`.
public struct RepeatVector: Layer {
    public var name: String
    public var n: Int
    public init(name: String, n: Int) { self.name = name; self.n = n }
    public var kerasClassName: String { "RepeatVector" }
    public var summaryOptions: String { "n=\(n)" }
    public func outputShapes(inputs: [Shape]) throws -> [Shape] {
        try requireRank(inputs[0], 2, "[batch, features]")
        return [[inputs[0][0], n, inputs[0][1]]]
    }
    public func forward(_ inputs: [Flow], options: RunOptions) throws -> LayerResult {
        let x = inputs[0].tensor
        guard x.rank == 2 else { throw RNNKitError.inputShapeMismatch(layer: name, expected: "[batch, features]", found: x.shape) }
        let (b, d) = (x.shape[0], x.shape[1])
        var out = [Float](); out.reserveCapacity(b * n * d)
        for r in 0..<b { let row = x.data[(r * d)..<((r + 1) * d)]; for _ in 0..<n { out += row } }
        return single(Tensor(shape: [b, n, d], data: out), mask: nil)
    }
}

/// Dropout: the identity at inference (training-time masks belong to the trainer).
public struct Dropout: Layer {
    public var name: String
    public var rate: Double
    public init(name: String, rate: Double) { self.name = name; self.rate = rate }
    public var kerasClassName: String { "Dropout" }
    public var summaryOptions: String { "rate=\(rate)" }
    public func outputShapes(inputs: [Shape]) throws -> [Shape] { [inputs[0]] }
    public func forward(_ inputs: [Flow], options: RunOptions) throws -> LayerResult { LayerResult(outputs: [inputs[0]]) }
}

/// Activation layer: applies an activation to the last axis; passes the mask through.
public struct ActivationLayer: Layer {
    public var name: String
    public var activation: Activation
    /// A Keras `Softmax` layer, which applies an incoming mask to its input (and refuses a
    /// `[batch, time]` mask on `[batch, time, classes]`, the only mask the kit carries); an
    /// `Activation("softmax")` ignores masks.
    public var appliesMask: Bool
    public init(name: String, activation: Activation, appliesMask: Bool = false) {
        self.name = name; self.activation = activation; self.appliesMask = appliesMask
    }
    public var kerasClassName: String { appliesMask ? "Softmax" : "Activation" }
    public var summaryOptions: String { activation.rawValue }
    public func outputShapes(inputs: [Shape]) throws -> [Shape] { [inputs[0]] }
    public func forward(_ inputs: [Flow], options: RunOptions) throws -> LayerResult {
        if appliesMask, inputs[0].mask != nil {
            throw RNNKitError.unsupportedOption(layer: name, option: "masked input", value: "a [batch, time] mask, which Keras's Softmax layer cannot apply to [batch, time, classes] either")
        }
        var x = inputs[0].tensor
        let w = max(x.shape.last ?? 1, 1)
        let rows = x.count / w
        x.data.withUnsafeMutableBufferPointer { activation.apply($0.baseAddress!, rows: rows, width: w, stride: w) }
        return single(x, mask: inputs[0].mask)
    }
}

/// Masking: a step whose features all equal `maskValue` is masked; masked steps are zeroed.
public struct Masking: Layer {
    public var name: String
    public var maskValue: Float
    public init(name: String, maskValue: Float) { self.name = name; self.maskValue = maskValue }
    public var kerasClassName: String { "Masking" }
    public var summaryOptions: String { "mask_value=\(maskValue)" }
    public func outputShapes(inputs: [Shape]) throws -> [Shape] { [inputs[0]] }
    public func forward(_ inputs: [Flow], options: RunOptions) throws -> LayerResult {
        var x = inputs[0].tensor
        guard x.rank == 3 else { throw RNNKitError.inputShapeMismatch(layer: name, expected: "[batch, time, features]", found: x.shape) }
        let (b, t, d) = (x.shape[0], x.shape[1], x.shape[2])
        var keep = [Bool](repeating: false, count: b * t)
        for s in 0..<(b * t) {
            keep[s] = x.data[(s * d)..<((s + 1) * d)].contains { $0 != maskValue }
            if !keep[s] { for j in 0..<d { x.data[s * d + j] = 0 } }
        }
        return single(x, mask: Mask(batch: b, steps: t, values: keep))
    }
}
