import RNNKit

// MARK: - Channeling (ALGORITHMS.md §2): the output layer of a module becomes a binary classifier,
// concern against the rest, with the padding slot kept for many-output models.

extension ModuleBuilder {
    /// The non-dominant slot's class: 0, or 1 when the concern is 0 (skipping the padding label).
    static func nonDominant(_ c: Int, paddingLabel: Int?, classes: Int) -> Int {
        (0..<classes).first { $0 != c && $0 != paddingLabel }!
    }

    static func classIDs(_ c: Int, _ ns: Int, _ padding: Int?) -> [Int] { (padding.map { [$0] } ?? []) + [ns, c] }

    /// Channeling: the non-dominant column becomes the mean of all non-dominant columns (the
    /// padding column excluded and left as is), every other non-dominant column is zeroed; the
    /// same for the bias. Means are float32 pairwise sums as NumPy computes `mean` of float32.
    static func channel(kernel: Tensor, bias: Tensor, concern c: Int, nonDominant ns: Int, padding: Int?) -> Dense.StepWeights {
        let K = bias.count, rows = kernel.count / K
        let others = (0..<K).filter { $0 != c && $0 != padding }
        var k = kernel, b = bias
        for r in 0..<rows {
            let mean = numpyMean(others.map { kernel.data[r * K + $0] })
            for j in others { k.data[r * K + j] = 0 }
            k.data[r * K + ns] = mean
        }
        let mean = numpyMean(others.map { bias.data[$0] })
        for j in others { b.data[j] = 0 }
        b.data[ns] = mean
        return Dense.StepWeights(kernel: k, bias: b)
    }

    /// NumPy's float32 `mean`: pairwise summation (8 accumulators, blocks of 128) in float32,
    /// then one float32 division.
    static func numpyMean(_ v: [Float]) -> Float {
        func pairwise(_ a: ArraySlice<Float>) -> Float {
            let n = a.count, s = a.startIndex
            if n < 8 { return a.reduce(0 as Float) { $0 + $1 } }
            if n <= 128 {
                var r = (0..<8).map { a[s + $0] }
                var i = 8
                while i < n - n % 8 { for j in 0..<8 { r[j] += a[s + i + j] }; i += 8 }
                var res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
                while i < n { res += a[s + i]; i += 1 }
                return res
            }
            var half = n / 2
            half -= half % 8
            return pairwise(a[s..<(s + half)]) + pairwise(a[(s + half)...])
        }
        return v.isEmpty ? .nan : pairwise(v[...]) / Float(v.count)
    }
}
