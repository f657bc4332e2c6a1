import ChapterRuntime
import Foundation
import TestSupport
import Testing

/// Batches of work units (issue 13): units that share a model name one job, so a scale-out
/// process loads once what they share. `--list-jobs` lists a batch once, `--missing-only` drops
/// jobs whose every unit is stored, `--job BATCH` runs the batch's units not yet stored (a batch
/// resumes) and `--job UNIT` runs that unit, stored or not; only a job's first unit records the
/// process's seconds.
struct WorkUnitBatchTests {
    /// Which units ran, in order (units run on several threads).
    final class Ran: @unchecked Sendable {
        private let lock = NSLock()
        private var ids: [String] = []
        func add(_ id: String) { lock.withLock { ids.append(id) } }
        var all: [String] { lock.withLock { ids } }
    }

    let results: String
    init() throws {
        results = TestScratch.root.appendingPathComponent("batch-\(UUID().uuidString)").path
    }

    func plan(_ flags: [String], ran: Ran) throws -> UnitPlan {
        let env = try ChapterEnvironment(arguments: ["chx", "--profile", "smoke", "--results", results] + flags, environment: [:])
        var plan = UnitPlan(env, chapter: "99")
        let batch = (1...3).map { i in WorkUnit<Int>(id: "pair-\(i)", batch: "model-a") { ran.add("pair-\(i)"); return i * 10 } }
        _ = plan.add(batch + [WorkUnit<Int>(id: "solo") { ran.add("solo"); return 7 }])
        return plan
    }

    func jobs(_ flags: [String]) throws -> [String] {
        guard case let .jobList(lines) = try plan(["--list-jobs"] + flags, ran: Ran()).run() else { throw CancellationError() }
        #expect(lines.allSatisfy { $0.contains(" --unit-workers 1 --job ") }, "a job runs its units one at a time")
        return lines.map { String($0.split(separator: " ").last!) }
    }

    func record(_ id: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: results + "/99/\(id).json"))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    @Test("a batch is one job that resumes; a unit named alone runs again")
    func batches() throws {
        defer { try? FileManager.default.removeItem(atPath: results) }
        #expect(try jobs([]) == ["model-a", "solo"])

        let first = Ran()
        guard case .ranJob("pair-1") = try plan(["--job", "pair-1"], ran: first).run() else { Issue.record("pair-1 did not run"); return }
        #expect(first.all == ["pair-1"])
        #expect(try jobs(["--missing-only"]) == ["model-a", "solo"], "model-a still has units to run")

        let rest = Ran()
        _ = try plan(["--job", "model-a", "--unit-workers", "1"], ran: rest).run()
        #expect(rest.all == ["pair-2", "pair-3"], "the batch runs only its units not yet stored")
        #expect(try jobs(["--missing-only"]) == ["solo"])
        #expect(try record("pair-2")["processSeconds"] is Double, "a job's first unit carries the process's seconds")
        #expect(try record("pair-3")["processSeconds"] == nil, "later units of the job share that loading")
        #expect((try record("pair-3")["result"] as? Int) == 30)

        let again = Ran()
        _ = try plan(["--job", "pair-1"], ran: again).run()
        #expect(again.all == ["pair-1"], "a unit named by its id runs again")
        #expect(throws: (any Error).self) { try plan(["--job", "model-b"], ran: Ran()).run() }
        #expect(throws: (any Error).self) { try ChapterEnvironment(arguments: ["chx", "--missing-only"], environment: [:]) }
    }
}
