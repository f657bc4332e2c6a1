/// How a path evaluates a cell's activations in place. Each path passes its own: inference's
/// (`applyElementwise`, tanh by the rational approximation in both precisions, as tf.keras's
/// CPU kernels) and training's (`applyTrain`, libm's tanh in Double so a gradient check
/// differentiates exactly what backward assumes). In Double the two differ, deliberately.
protocol GateActivations {
    associatedtype Scalar: KitScalar
    /// n contiguous values, element-wise.
    func apply(_ a: Activation, _ v: UnsafeMutablePointer<Scalar>, _ n: Int)
    /// `rows` rows of `width` values, `stride` apart, as a layer's activation (inference
    /// normalises a softmax per row; training refuses softmax in a recurrent layer).
    func apply(_ a: Activation, _ v: UnsafeMutablePointer<Scalar>, rows: Int, width: Int, stride: Int)
}

struct InferenceActivations<Scalar: KitScalar>: GateActivations {
    @inline(__always)
    func apply(_ a: Activation, _ v: UnsafeMutablePointer<Scalar>, _ n: Int) { a.applyElementwise(v, n) }
    @inline(__always)
    func apply(_ a: Activation, _ v: UnsafeMutablePointer<Scalar>, rows: Int, width: Int, stride: Int) {
        a.apply(v, rows: rows, width: width, stride: stride)
    }
}

struct TrainingActivations<Scalar: TrainScalar>: GateActivations {
    @inline(__always)
    func apply(_ a: Activation, _ v: UnsafeMutablePointer<Scalar>, _ n: Int) { a.applyTrain(v, n) }
    @inline(__always)
    func apply(_ a: Activation, _ v: UnsafeMutablePointer<Scalar>, rows: Int, width: Int, stride: Int) {
        guard stride != width else { a.applyTrain(v, rows * width); return }
        for r in 0..<rows { a.applyTrain(v + r * stride, width) }
    }
}
