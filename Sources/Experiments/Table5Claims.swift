import Metrics
import Notebook

/// What chapter 6 judges about a problem: the paper's claims are differences between Table V's
/// columns (its levels are on another split): each solution about as good as the trained
/// model, solution 2 the better one. They are judged in the paper's own measure (BLEU-1 with
/// tags; the kit's 4-gram BLEU is near 0 for the quick profile's 10-epoch models): per seed the
/// difference, then the interval over seeds.
public extension MaintenanceProblem {
    struct Claim {
        public let name: String
        /// Ours, in points, over the seeds.
        public let ours: SeedInterval
        /// The paper's difference (points), where Table V has both columns.
        public let paper: Double?
    }

    /// The three claims of a problem's runs (one per seed); `paper` holds Table V's TMA, MA1 and
    /// MA2 (nil where the paper has none for this cell).
    static func claims(_ rs: [Result], paper: (tma: Double?, ma1: Double?, ma2: Double?)) throws -> [Claim] {
        func diff(_ a: Double?, _ b: Double?) -> Double? { a.flatMap { a in b.map { a - $0 } } }
        let claims: [(String, (Result) -> Double, Double?)] = [
            ("MA1 − TMA", { ($0.ma1.tagged - $0.tma.tagged) * 100 }, diff(paper.ma1, paper.tma)),
            ("MA2 − TMA", { ($0.ma2.tagged - $0.tma.tagged) * 100 }, diff(paper.ma2, paper.tma)),
            ("MA2 − MA1", { ($0.ma2.tagged - $0.ma1.tagged) * 100 }, diff(paper.ma2, paper.ma1)),
        ]
        return try claims.map { name, pick, theirs in Claim(name: name, ours: try SeedInterval(rs.map(pick)), paper: theirs) }
    }

    /// What decomposing the maintained model costs on the languages it keeps: per seed the mean
    /// over those languages of (its module − the model), in points, then the interval; nil when
    /// a seed has no such language.
    static func decompositionCost(_ rs: [Result]) -> SeedInterval? {
        let cost = rs.compactMap { r -> Double? in
            let d = r.rows.compactMap { row in row.baseModel.flatMap { m in row.baseModule.map { ($0.plain - m.plain) * 100 } } }
            return d.isEmpty ? nil : d.reduce(0, +) / Double(d.count)
        }
        return cost.count == rs.count ? try? SeedInterval(cost) : nil
    }
}

public extension MaintenanceProblem.BLEU {
    /// The interval over seeds of a BLEU in points (the paper's measure when `tagged`); nil
    /// where a seed has no value (the quantity does not apply).
    static func interval(_ xs: [MaintenanceProblem.BLEU?], tagged: Bool = false) -> SeedInterval? {
        let v = xs.compactMap { $0.map { (tagged ? $0.tagged : $0.plain) * 100 } }
        return v.count == xs.count && !v.isEmpty ? try? SeedInterval(v) : nil
    }
}

extension MaintenanceProblem.Result {
    /// In a few words, for the record's "not yet run" list while the problem's other seeds wait.
    public var measuredSummary: String {
        "BLEU-4 trained model \(Format.fixed(tma.plain, 4)), solution 1 \(Format.fixed(ma1.plain, 4)), solution 2 \(Format.fixed(ma2.plain, 4)) (mean over the evaluated languages)"
    }
}
