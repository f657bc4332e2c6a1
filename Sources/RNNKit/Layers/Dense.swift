/// Dense: `[…, D]` → `[…, U]`, acting on the last axis (so a 3-D input is handled per time
/// step, as Keras does). `timeDistributed` marks a `TimeDistributed(Dense)` wrapper, which
/// computes the same thing but is written back to Keras under its own class name.
public struct Dense: Layer {
    public var name: String
    public var units: Int
    public var activation: Activation
    public var useBias: Bool
    public var timeDistributed: Bool
    /// Name of the wrapped Dense inside TimeDistributed (Keras keeps it in the config).
    public var innerName: String?
    public var kernel: Tensor   // [D, U]
    public var bias: Tensor     // [U]
    /// Weights per time step of a `[B, T, D]` input, `weightsPerStep[t]` = [kernel, bias] of step
    /// t, used instead of the shared ones when set. Keras has no such layer: Decomposition's
    /// unrolled modules set it (Decomposition/StepWeights.swift).
    public var weightsPerStep: [[Tensor]]?

    public init(name: String, inputDim: Int, units: Int, activation: Activation, useBias: Bool = true,
                timeDistributed: Bool = false, innerName: String? = nil) {
        self.name = name; self.units = units; self.activation = activation; self.useBias = useBias
        self.timeDistributed = timeDistributed; self.innerName = innerName
        kernel = Tensor(zeros: [inputDim, units]); bias = Tensor(zeros: [units])
    }

    public var kerasClassName: String { timeDistributed ? "TimeDistributed" : "Dense" }
    public var summaryOptions: String { (timeDistributed ? "Dense " : "") + "\(units), \(activation.rawValue)" }
    public var weights: [NamedWeight] {
        [NamedWeight(name: "kernel", tensor: kernel)] + (useBias ? [NamedWeight(name: "bias", tensor: bias)] : [])
    }
    public func expectedWeightShapes(inputs: [Shape]) throws -> [(name: String, shape: [Int])] {
        let d = try featureDim(inputs[0])
        return [("kernel", [d, units])] + (useBias ? [("bias", [units])] : [])
    }
    public mutating func setWeights(_ t: [Tensor]) {
        kernel = t[0]
        bias = useBias ? t[1] : Tensor(zeros: [units])
    }
    public func outputShapes(inputs: [Shape]) throws -> [Shape] {
        if timeDistributed { try requireRank(inputs[0], 3, "[batch, time, features]") }
        return [Array(inputs[0].dropLast()) + [units]]
    }

    public func forward(_ inputs: [Flow], options: RunOptions) throws -> LayerResult {
        try forward(inputs, offset: 0, options: options)
    }

    /// `inputs` as steps `offset…` of longer sequences: with unrolled weights, step s of the
    /// input uses the weights of step `offset + s` (the step-wise decoder runs one step a call).
    func forward(_ inputs: [Flow], offset: Int, options: RunOptions) throws -> LayerResult {
        let x = inputs[0].tensor
        let d = kernel.shape[0]
        guard x.shape.last == d else {
            throw RNNKitError.inputShapeMismatch(layer: name, expected: "[…, \(d)]", found: x.shape)
        }
        var layer = self
        if let steps = weightsPerStep {
            guard x.rank == 3, offset + x.shape[1] <= steps.count else {
                let found = x.rank == 3 ? [x.shape[0], offset + x.shape[1], d] : x.shape
                throw RNNKitError.inputShapeMismatch(layer: name, expected: "[batch, ≤ \(steps.count), \(d)] (unrolled weights)", found: found)
            }
            layer.weightsPerStep = Array(steps[offset..<(offset + x.shape[1])])
        }
        let out = options.precision == .float32 ? layer.compute(x, Float.self) : layer.compute(x, Double.self)
        return single(Tensor(shape: Array(x.shape.dropLast()) + [units], data: out), mask: inputs[0].mask)
    }

    /// act(x·W + b) over all rows, in precision S; per time step with unrolled weights.
    private func compute<S: KitScalar>(_ x: Tensor, _: S.Type) -> [Float] {
        let d = kernel.shape[0]
        let rows = x.count / d
        // Rows of one step are `period` apart: every row for shared weights, every T-th when unrolled.
        let period = weightsPerStep == nil ? 1 : x.shape[1]
        let steps = weightsPerStep.map { Array($0.prefix(period)) } ?? [[kernel, bias]]
        let xs = widened(x.data, as: S.self)
        var out = [S](repeating: 0, count: rows * units)
        out.withUnsafeMutableBufferPointer { o in
            xs.withUnsafeBufferPointer { xp in
                for (t, w) in steps.enumerated() {
                    let kernel = widened(w[0].data, as: S.self), b = widened(w[1].data, as: S.self)
                    let (m, first) = (rows / period, o.baseAddress! + t * units)
                    if useBias { for r in 0..<m { (first + r * period * units).update(from: b, count: units) } }
                    gemm(m: m, n: units, k: d, a: xp.baseAddress! + t * d, lda: period * d, b: kernel, ldb: units,
                         c: first, ldc: period * units, beta: useBias ? 1 : 0)
                }
            }
            activation.apply(o.baseAddress!, rows: rows, width: units, stride: units)
        }
        return narrowed(out)
    }
}
