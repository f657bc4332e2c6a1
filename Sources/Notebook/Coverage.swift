/// How much of a chapter's planned work a report rests on: a record accumulates unit results
/// across runs and machines, so a report may be rendered before every unit has run.
public struct Coverage: Sendable, Equatable {
    public var done: Int
    public var total: Int
    /// The items (table rows) with at least one unit not yet run, by label, in plan order.
    public var notYetRun: [String]
    /// The code commits the results were computed by.
    public var commits: [String]

    public init(done: Int, total: Int, notYetRun: [String], commits: [String]) {
        self.done = done; self.total = total; self.notYetRun = notYetRun; self.commits = commits
    }

    /// The report's opening line.
    public var line: String { "Coverage: \(done) of \(total) units" }
}
