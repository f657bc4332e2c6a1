/// Reversal along the time axis of `[B, T, ·]` values, for `go_backwards` and for
/// Bidirectional's backward output (Keras `backend.reverse(x, 1)`).
func reversedSteps<E>(_ data: [E], batch: Int, steps: Int, width: Int) -> [E] {
    var out = data
    for b in 0..<batch {
        for t in 0..<steps {
            let (src, dst) = ((b * steps + t) * width, (b * steps + steps - 1 - t) * width)
            for j in 0..<width { out[dst + j] = data[src + j] }
        }
    }
    return out
}

extension Tensor {
    /// This `[B, T, ·]` tensor with its steps in reverse order.
    func reversedInTime() -> Tensor {
        Tensor(shape: shape, data: reversedSteps(data, batch: shape[0], steps: shape[1], width: shape[2...].reduce(1, *)))
    }
}

extension Mask {
    func reversedInTime() -> Mask { Mask(batch: batch, steps: steps, values: reversedSteps(values, batch: batch, steps: steps, width: 1)) }
}
