/// How much of a chapter's planned work a report rests on: a record accumulates unit results
/// across runs and machines, so a report may be rendered before every unit has run.
public struct Coverage: Sendable, Equatable {
    public var done: Int
    public var total: Int
    /// The items (table rows) with at least one unit not yet run, by label, in plan order.
    public var notYetRun: [String]
    /// The code commits the results were computed by.
    public var commits: [String]
    /// Per item of `notYetRun` (or none), what each of its units in the record measured ("seed 1:
    /// …"): shown under the item, since its row waits for the rest.
    public var measured: [[String]]

    public init(done: Int, total: Int, notYetRun: [String], commits: [String], measured: [[String]] = []) {
        self.done = done; self.total = total; self.notYetRun = notYetRun; self.commits = commits; self.measured = measured
    }

    /// The report's opening line.
    public var line: String { "Coverage: \(done) of \(total) units" }
    public var isComplete: Bool { done == total }

    /// What a partial record's numbers are, said under its coverage line: a row is a complete
    /// measurement, an aggregate over the rows run so far is not yet the paper's population.
    public static let partialNote = "**Partial record.** The tables hold only the rows whose every seed has run. Summaries, headline numbers and the verdicts beside them are over those rows alone: they are not yet verdicts on the paper's claims, which cover every row (see \"Not yet run\" at the end)."
}
