// MARK: - What a cell's step reads and writes (B batch, H units, G gates, GH = G·H)
//
// Both paths lay a step out alike but for z's row stride: inference keeps z batch-major
// ([B, T, GH], a step's rows T·GH apart), training time-major ([T, B, GH], rows GH apart).
// Every other buffer is B contiguous rows.

/// One forward time step over the whole batch.
struct CellStep<S: KitScalar> {
    var rows: Int, units: Int
    /// z_t: the gate pre-activations x_t·W + b_in on entry, the activated gates on return.
    var z: UnsafeMutablePointer<S>, ldz: Int
    /// h_{t-1} and h_t, [B, H].
    var hPrev: UnsafePointer<S>, h: UnsafeMutablePointer<S>
    /// c_{t-1} and c_t, [B, H], for a cell that carries one (else nil).
    var cPrev: UnsafePointer<S>?, c: UnsafeMutablePointer<S>?
    /// [B, H]: what the backward step needs besides the gates (each cell says what).
    var aux: UnsafeMutablePointer<S>
    /// [B, GH] of working space.
    var scratch: UnsafeMutablePointer<S>
    /// U [H, GH] and the recurrent bias row [GH] (cells with `hasRecurrentBias`; nil: zeros).
    var recurrentKernel: UnsafePointer<S>, recurrentBias: UnsafePointer<S>?
    /// h_{t-1} is known to be zero (t = 0 without an initial state): inference skips the h·U
    /// GEMMs, whose terms are then zero; training passes false and always runs them.
    var hIsZero: Bool
    var activation: Activation, recurrentActivation: Activation
}

/// One step of back-propagation through time (training, time-major).
struct CellGradientStep<S: TrainScalar> {
    var rows: Int, units: Int
    /// The step's activated gates (the forward step's z_t), rows GH apart.
    var z: UnsafePointer<S>
    /// Written: dZ_t, the input side's pre-activation gradients, and dR_t, the recurrent
    /// side's (cells with `hasRecurrentBias`; else nil, dR = dZ).
    var dZ: UnsafeMutablePointer<S>, dR: UnsafeMutablePointer<S>?
    /// The forward step's h_{t-1}, c_{t-1} (nil without a cell state) and aux.
    var hPrev: UnsafePointer<S>, cPrev: UnsafePointer<S>?, aux: UnsafePointer<S>
    /// ∂h_t and ∂c_t reaching the step; written: ∂h_{t-1} and ∂c_{t-1}. All [B, H].
    var g: UnsafePointer<S>, gc: UnsafePointer<S>
    var dhPrev: UnsafeMutablePointer<S>, dcPrev: UnsafeMutablePointer<S>
    /// Uᵀ [GH, H], made once per backward pass.
    var recurrentKernelT: UnsafePointer<S>
    /// [B, GH] of working space.
    var scratch: UnsafeMutablePointer<S>
    var activation: Activation, recurrentActivation: Activation
}

/// The whole sequence's caches for ∂U (T·B rows, time-major).
struct RecurrentKernelGradient<S: TrainScalar> {
    var rows: Int, units: Int
    /// H_prev [rows, H] (each step's h_{t-1}) and aux [rows, H].
    var hPrev: UnsafePointer<S>, aux: UnsafePointer<S>
    /// dZ and dR (nil: dR = dZ), [rows, GH].
    var dZ: UnsafePointer<S>, dR: UnsafePointer<S>?
    /// ∂U [H, GH], accumulated into.
    var dU: UnsafeMutablePointer<S>
}
