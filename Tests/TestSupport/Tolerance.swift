/// Every numeric tolerance the tests use, named for the error it absorbs and sized from it.
/// A comparison expected to be exact uses `==`, never one of these. Values are Double; a Float
/// comparison converts (`Float(Tolerance.x)`).
public enum Tolerance {
    // MARK: float64

    /// A few float64 operations on values of order 1 (a ratio of counts, a quantile times square
    /// roots, BLEU's logs and exps): each rounds by ≤ 2⁻⁵³ ≈ 1.1e-16, so 1e-12 leaves room for
    /// another platform's libm (log, exp, pow are not correctly rounded everywhere) and still
    /// catches any wrong formula.
    public static let float64Arithmetic = 1e-12
    /// Two-pass float64 standard deviations of ~100 values of order 0.3 against Python's exact
    /// (fractions) `statistics`: a few ulp (ulp(0.3) ≈ 5.6e-17), 1e-15 ≈ 18 ulp absolute …
    public static let float64Summation = 1e-15
    /// … and 4e-16 relative (2⁻⁵² ≈ 2.2e-16: "may differ in the last bit", twice).
    public static let float64SummationRelative = 4e-16
    /// Central-difference gradients (h = 1e-5) against the float64 backward pass, relative: the
    /// difference's truncation (~1e-10) and rounding (~1e-11) errors are far below it; the
    /// issue's acceptance criterion.
    public static let finiteDifference = 1e-5

    // MARK: float32

    /// A handful of float32 operations on values of order 1 (a 2-way softmax's rows summing to
    /// 1, one recurrent step against a float64 reference): ε = 1.2e-7, so 1e-6 ≈ 8 ulp.
    public static let float32Rounding = 1e-6
    /// A few float32 recurrent steps against a float64 reference: every step's GEMM rounds its
    /// sums and feeds them back, so the error grows with the steps (a few 1e-7 each); 2e-6.
    public static let float32Recurrence = 2e-6
    /// Dot products of ~32 float32 terms of magnitude ≤ 1 (U·Uᵀ of an orthogonal init): worst
    /// case n·ε/2 ≈ 32 × 6e-8 ≈ 2e-6 in each product, plus the QR's own float32 rounding; 1e-5.
    public static let float32DotProducts = 1e-5
    /// The fast tanh/sigmoid against libm: 4e-7 ≈ 3.4 float32 ulp at 1 (ulp(1) = 1.2e-7).
    public static let fastActivation = 4e-7
    /// A float64 recurrence against a float64 reference: only the fast tanh/sigmoid
    /// (`fastActivation`) remains, propagated through a few steps; 1e-6.
    public static let fastActivationPropagated = 1e-6

    // MARK: against tf.keras and published numbers

    /// The kit's forward pass (float32 or float64) against a tf.keras float32 prediction:
    /// tf.keras's own float32 error on these bounded outputs is a few 1e-7; 1e-5 is the kit's
    /// parity bound for softmax/sigmoid outputs.
    public static let kerasPrediction = 1e-5
    /// A number published with 6 decimals (the authors' accuracies, 0.931333…): half a unit in
    /// the last place.
    public static let sixDecimals = 5e-7
    /// The authors' Jaccard index (NumPy float64 set arithmetic on float32 weights) against the
    /// kit's: each weight value counted differently in a module's intersection moves JI by
    /// 1/|A ∪ B| ≈ 2.4e-5 for an LSTM-1's ~21,000 values; 1e-4 allows about four.
    public static let authorsJaccard = 1e-4
    /// The kit's Student t quantile beyond its table (a Cornish–Fisher expansion) against
    /// scipy.stats.t.ppf: the expansion's stated error for df > 30 (Sources/Metrics/SeedInterval.swift).
    public static let tQuantileApproximation = 1e-4

    // MARK: reports

    /// The mean of values a report prints with 2 decimals against the mean it prints: each
    /// printed value is off by ≤ 0.005, so their mean is too, plus 0.005 for rounding the
    /// printed mean; 0.011 (0.01 and a margin for decimal parsing).
    public static let twoDecimalMeans = 0.011
}
