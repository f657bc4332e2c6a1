import RNNKit

// Unrolled modules (modularization, ModuleBuilder.swift): a recurrent or output layer keeps one
// copy of its weights per time step, each pruned for that step. RNNKit only runs a layer with
// weights per step (`weightsPerStep`, tensors in the layer's order); these are the copies as
// the decomposition builds, saves and reads them.

extension Recurrent {
    /// The weights used at one time step of an unrolled layer.
    public struct StepWeights: Sendable, Equatable {
        public var kernel: Tensor
        public var recurrentKernel: Tensor
        public var bias: Tensor
        public init(kernel: Tensor, recurrentKernel: Tensor, bias: Tensor) {
            self.kernel = kernel; self.recurrentKernel = recurrentKernel; self.bias = bias
        }
    }

    /// The shared weights as one step's.
    public var sharedStepWeights: StepWeights { StepWeights(kernel: kernel, recurrentKernel: recurrentKernel, bias: bias) }

    /// Unrolled weights: one copy per time step, used instead of the shared ones when set (a
    /// decomposed unrolled module).
    public var stepWeights: [StepWeights]? {
        get { weightsPerStep?.map { StepWeights(kernel: $0[0], recurrentKernel: $0[1], bias: $0[2]) } }
        set { weightsPerStep = newValue?.map { [$0.kernel, $0.recurrentKernel, $0.bias] } }
    }
}

extension Dense {
    /// The weights used at one time step of an unrolled output layer.
    public struct StepWeights: Sendable, Equatable {
        public var kernel: Tensor
        public var bias: Tensor
        public init(kernel: Tensor, bias: Tensor) { self.kernel = kernel; self.bias = bias }
    }

    /// Unrolled weights for a `[B, T, D]` input: one copy per time step, used instead of the
    /// shared ones when set (a decomposed unrolled module).
    public var stepWeights: [StepWeights]? {
        get { weightsPerStep?.map { StepWeights(kernel: $0[0], bias: $0[1]) } }
        set { weightsPerStep = newValue?.map { [$0.kernel, $0.bias] } }
    }
}
