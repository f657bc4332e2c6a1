import Metrics
import Notebook

/// How a report judges one of the paper's numbers against ours, from our interval over seeds
/// (`SeedInterval`, mean ± 95 % Student-t half-width) — one rule for every chapter, printed in
/// each report (`Verdict.rule`).
public enum Verdict: String, Sendable, Codable {
    /// The paper's value lies in our interval.
    case reproduced
    /// Not in our interval, but our interval excludes 0 on the paper's side (a signed change).
    case sameDirection = "same direction"
    /// Our interval excludes 0 on the other side.
    case contradicted
    /// Our interval contains 0 and not the paper's value.
    case inconclusive
    /// A level (JI, accuracy) outside our interval: ours is higher or lower.
    case higher = "ours higher", lower = "ours lower"
    /// A single seed: no interval, no verdict.
    case oneSeed = "one seed: no verdict"

    public static let rule = """
        Verdicts on the paper come from our 95 % confidence interval over seeds (mean ± t₀.₉₇₅,S−1 · s/√S, Student's t, \
        s the sample standard deviation of the S per-seed values): **reproduced** when the paper's value lies in the \
        interval; for a signed change (δ), otherwise **same direction** when the interval excludes 0 on the paper's side, \
        **contradicted** when it excludes 0 on the other side, **inconclusive** when it contains 0; for a level (JI, \
        accuracy), otherwise **ours higher** or **ours lower**.
        """

    /// A signed change (δ in points) against the paper's.
    public static func change(_ ours: SeedInterval, paper: Double) -> Verdict {
        guard ours.halfWidth != nil else { return .oneSeed }
        if ours.contains(paper) { return .reproduced }
        if ours.lower > 0 || ours.upper < 0 {
            let oursPositive = ours.lower > 0
            return paper == 0 || (paper > 0) == oursPositive ? .sameDirection : .contradicted
        }
        return .inconclusive
    }

    /// A level (JI, accuracy) against the paper's.
    public static func level(_ ours: SeedInterval, paper: Double) -> Verdict {
        guard ours.halfWidth != nil else { return .oneSeed }
        if ours.contains(paper) { return .reproduced }
        return ours.mean > paper ? .higher : .lower
    }
}

extension SeedInterval {
    /// "0.9123 ± 0.0041" (fixed decimals), or the mean alone for one seed.
    public func fixed(_ digits: Int) -> String {
        Format.fixed(mean, digits) + (halfWidth.map { " ± " + Format.fixed($0, digits) } ?? "")
    }

    /// "+1.23 ± 0.45" for signed changes in points.
    public func points(_ digits: Int = 2) -> String {
        Format.signedPoints(mean, digits) + (halfWidth.map { " ± " + Format.fixed($0, digits) } ?? "")
    }

    /// The interval of the per-seed means of several quantities (e.g. a headline: at each seed
    /// the mean over models, then the interval over seeds). `perSeed[s]` are seed s's values.
    public static func ofMeans(_ perSeed: [[Double]]) throws -> SeedInterval {
        try SeedInterval(perSeed.map { try Statistics.mean($0) })
    }
}
