// Correctly rounded summation — a port of CPython's `math.fsum` (Modules/mathmodule.c,
// Shewchuk's algorithm with CPython's half-even fix-up across partials). NLTK's `corpus_bleu`
// sums its log-precisions with `math.fsum`, so BLEU needs it to agree to the last bit.

/// The correctly rounded sum of `values`, identical to Python's `math.fsum` for finite sums.
///
/// Non-finite input: a NaN, or both `+inf` and `-inf`, gives NaN (Python raises
/// `ValueError`); otherwise an infinity in the input is the result. A finite input whose
/// exact sum overflows gives ±infinity (Python raises `OverflowError`). An empty input sums
/// to `0.0`.
public func exactSum<S: Sequence>(_ values: S) -> Double where S.Element == Double {
    var partials: [Double] = []
    var special = 0.0          // sum of the non-finite inputs (and overflowed partial sums)
    var sawSpecial = false
    for value in values {
        guard value.isFinite else {
            special += value
            sawSpecial = true
            continue
        }
        var x = value
        var i = 0
        for j in partials.indices {
            var y = partials[j]
            if abs(x) < abs(y) { swap(&x, &y) }
            let hi = x + y
            let lo = y - (hi - x)
            if lo != 0 {
                partials[i] = lo
                i += 1
            }
            x = hi
        }
        partials.removeSubrange(i...)
        if x != 0 {
            if x.isFinite {
                partials.append(x)
            } else {            // intermediate overflow: the exact sum is out of range
                special += x
                sawSpecial = true
                partials.removeAll()
            }
        }
    }
    if sawSpecial { return special }

    var n = partials.count
    var hi = 0.0
    guard n > 0 else { return hi }
    n -= 1
    hi = partials[n]
    var lo = 0.0
    // Sum from the top and stop when the sum becomes inexact.
    while n > 0 {
        let x = hi
        n -= 1
        let y = partials[n]
        hi = x + y
        let yr = hi - x
        lo = y - yr
        if lo != 0 { break }
    }
    // Half-even rounding across partials: sum([1e-16, 1, 1e16]) rounds up to …02.
    if n > 0 && ((lo < 0 && partials[n - 1] < 0) || (lo > 0 && partials[n - 1] > 0)) {
        let y = lo * 2
        let x = hi + y
        let yr = x - hi
        if y == yr { hi = x }
    }
    return hi
}
