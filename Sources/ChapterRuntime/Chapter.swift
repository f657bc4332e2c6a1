import Foundation
import KitFiles
import Notebook
import RNNKit

/// Runs a chapter's body with its environment parsed from this process's command line and
/// environment; an error is printed as one line and the process exits with 1 (never a crash
/// with a backtrace), and nothing half-written is left (reports are atomic).
public func runChapter(_ name: String, _ body: (ChapterEnvironment) throws -> Void) -> Never {
    // Reports, figures, results and cached models are written through temporaries: SIGINT or
    // SIGTERM removes them, so an interrupted chapter leaves only complete files.
    SignalCleanup.install()
    Allocator.keepLargeBuffers()
    do {
        let env = try ChapterEnvironment(arguments: CommandLine.arguments, environment: ProcessInfo.processInfo.environment)
        try body(env)
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("\(name): error: \(error)\n".utf8))
        exit(1)
    }
}

extension ChapterEnvironment {
    /// Writes `report` (with the wall time since `started`) into the reports folder and says so.
    /// The paper profile's reports, and any merged with `--record` that lack a unit, state their
    /// `coverage` (their first line, the not-yet-run list, the results' commits in the
    /// provenance); a complete smoke or quick merge stays byte-identical to an in-process run.
    public func write(_ report: Report, started: Date, coverage: Coverage? = nil, note: String = "") throws {
        // A run that had no work units to list or run (chapter 1 without ../shared) reaches
        // here: the job list is empty and no job of that name exists; no report is written.
        if listJobs || estimate { exit(0) }
        if let job = job ?? verify { throw WorkUnitError.unknownJob(job) }
        var report = report
        if let coverage, profile == .paper || (recordOnly && coverage.done < coverage.total) {
            report.coverage = coverage
            report.provenance.configuration.append("unit results computed by commit(s): " + (coverage.commits.isEmpty ? "none yet" : coverage.commits.joined(separator: ", ")))
        }
        report.provenance.wallSeconds = Date().timeIntervalSince(started)
        try report.write(toDirectory: reportsDirectory)
        print("wrote \(reportPath(report.figurePrefix + ".md"))\(note)")
    }
}
