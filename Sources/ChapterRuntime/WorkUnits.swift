import Foundation
import KitFiles
import Notebook

/// One independent piece of a chapter's work (e.g. one model × mode × gate strategy), whose
/// result is a file. Chapters list their units; a `UnitPlan` runs what is missing in-process,
/// or, for scale-out, one job per process (`--job ID`: a unit, or a batch of them), and merges
/// the result files.
public struct WorkUnit<Result: Codable & Sendable>: Sendable {
    public var id: String
    /// The seed the unit runs at (recorded beside its result), when it has one.
    public var seed: UInt64?
    /// What kind of work it is, for `--estimate` (units of one kind cost about the same).
    public var kind: String?
    /// Units that share loaded data, models and memoised work (e.g. the reuse pairs of one model
    /// at one seed) name one batch: the job list then holds one job per batch, so a process
    /// loads once what its units share instead of once per unit.
    public var batch: String?
    public var run: @Sendable () throws -> Result
    public init(id: String, seed: UInt64? = nil, batch: String? = nil, run: @escaping @Sendable () throws -> Result) {
        self.id = id; self.seed = seed; self.batch = batch; self.run = run
    }
}

public enum WorkUnitError: Error, CustomStringConvertible {
    case unknownJob(String)
    case unreadableResult(path: String, reason: String)
    /// `--verify ID`: neither the unit nor any unit of the batch has a recorded result.
    case notRecorded(String)
    /// `--verify`: units whose result computed again differs from the record (first difference each).
    case differsFromRecord([String])
    public var description: String {
        switch self {
        case let .unknownJob(id): return "no work unit '\(id)' in this chapter (see --list-jobs)"
        case let .notRecorded(id): return "'\(id)' has no recorded result to verify (run it with --job first)"
        case let .differsFromRecord(lines): return "\(lines.count) unit(s) differ from the record: " + lines.joined(separator: "; ")
        case let .unreadableResult(path, reason): return "unit result \(path) cannot be read: \(reason) (delete it to run the unit again)"
        }
    }
}

/// What a unit's result file holds: the result, and where and how it was made — so a record
/// merged from many runs and machines says which code produced each number.
struct UnitRecord<R: Codable>: Codable {
    var unit: String
    var chapter: String
    var profile: String
    var seed: UInt64?
    /// The code's commit (`-dirty` when tracked files had changes).
    var commit: String
    var seconds: Double
    /// A `--job` run's first unit: the seconds of the whole process up to this result, loading
    /// included (nil in-process and for a batch's later units, which share that loading).
    var processSeconds: Double?
    /// The CPU seconds (user + system) of the process over the unit — over the whole process
    /// when `processSeconds` is given — when no other unit of the process overlapped it (nil
    /// otherwise): the unit's cost in core-seconds, whatever else shared the machine.
    var cpuSeconds: Double?
    var machine: String
    var result: R
}

/// The units of a plan whose results have type `R`: the key to read them back from `UnitResults`.
public struct UnitGroup<R: Codable & Sendable>: Sendable {
    let range: Range<Int>
}

/// What `--estimate` reads from a result file: the unit's cost, the largest of its own seconds,
/// its process's (a job also loads data and models) and the training seconds its result states
/// (a chapter 2 unit that found its model in the zoo still cost the training that made it).
private struct UnitTiming: Decodable {
    struct Trained: Decodable { var trainSeconds: Double? }
    var seconds: Double
    var processSeconds: Double?
    var cpuSeconds: Double?
    var result: Trained?
    var cost: Double { max(seconds, processSeconds ?? 0, result?.trainSeconds ?? 0) }
    /// CPU seconds, unless the unit found its model in the zoo (its training's CPU is not known).
    var cpuCost: Double? { (result?.trainSeconds ?? 0) > max(seconds, processSeconds ?? 0) ? nil : cpuSeconds }
}

/// The results of a plan's units, read by group in unit order. Read from the record
/// (`--record`), units not yet run are absent: a group then gives only its complete items, and
/// `coverage` lists the rest.
public struct UnitResults: @unchecked Sendable {
    let values: [Any?]
    fileprivate let labels: [String]
    /// The commits the stored results were computed by.
    public let commits: [String]
    /// Per unit, its seed and what it measured in a few words (nil: the chapter gave no
    /// summary): what the "not yet run" list shows under an item only partly run.
    let seeds: [UInt64?]
    let measured: [((Any) -> String)?]

    init(values: [Any?], labels: [String], commits: [String], seeds: [UInt64?], measured: [((Any) -> String)?]) {
        self.values = values; self.labels = labels; self.commits = commits; self.seeds = seeds; self.measured = measured
    }
    /// Every result of `group`; in a record with missing units, the present ones.
    public subscript<R>(_ group: UnitGroup<R>) -> [R] { values[group.range].compactMap { $0.map { $0 as! R } } }

    /// Every unit of `group` in order, nil where the record does not hold it yet.
    public func each<R>(_ group: UnitGroup<R>) -> [R?] { values[group.range].map { $0.map { $0 as! R } } }

    /// Units done out of the plan's, and the items (by label) still missing a unit; an item
    /// with some of its units (seeds) in the record says how many, so a reader sees how far it is,
    /// and what each of those measured (when the chapter summarizes its results).
    public var coverage: Coverage {
        var missing: [String] = []
        var done: [String: Int] = [:], planned: [String: Int] = [:]
        var ran: [String: [String]] = [:]
        for (i, v) in values.enumerated() {
            planned[labels[i], default: 0] += 1
            if let v {
                done[labels[i], default: 0] += 1
                if let describe = measured[i] {
                    let seed = seeds[i].map { "seed \($0): " } ?? ""
                    ran[labels[i], default: []].append(seed + describe(v))
                }
            } else if !missing.contains(labels[i]) { missing.append(labels[i]) }
        }
        let items = missing.map { l in done[l].map { "\(l) (\($0) of \(planned[l]!) units in the record)" } ?? l }
        return Coverage(done: values.count { $0 != nil }, total: values.count, notYetRun: items, commits: commits,
                        measured: missing.map { ran[$0] ?? [] })
    }
}

/// A chapter's work units, of any mix of result types, run together: one job list, one pool
/// of workers, one progress line.
public struct UnitPlan {
    private struct Erased {
        var id: String
        /// The item the unit belongs to, as the "not yet run" list names it.
        var label: String
        var seed: UInt64?
        /// What a result measured in a few words, for an item only partly run (nil: no summary).
        var measured: ((Any) -> String)?
        var kind: String
        /// The job that runs it: its batch, or the unit alone.
        var job: String
        /// `chargeProcess`: the first unit a `--job` process computes records the process's seconds.
        var compute: (_ chargeProcess: Bool) throws -> (value: Any, json: Data)
        var decode: (Data) throws -> (value: Any, commit: String)
        /// A record file's (or a computed record's) result alone, as the JSON the record writes.
        var resultJSON: (Data) throws -> Data
    }
    private var units: [Erased] = []
    private let env: ChapterEnvironment
    private let chapter: String

    /// `chapter` names the results folder (`<results>/<chapter>/<id>.json`).
    public init(_ env: ChapterEnvironment, chapter: String) { self.env = env; self.chapter = chapter }

    public var count: Int { units.count }

    /// Adds `list`; its results come back as `results[group]`.
    /// `label(i)` names unit i of `list` in the "not yet run" list (default: its id);
    /// `measured(i, r)` says in a few words what unit i measured, shown there under its item
    /// while the item is only partly run.
    public mutating func add<R>(_ list: [WorkUnit<R>], label: ((Int) -> String)? = nil,
                                measured: ((Int, R) -> String)? = nil) -> UnitGroup<R> {
        let start = units.count
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let (chapter, profile) = (self.chapter, env.profile.rawValue)
        let (commit, machine) = (RunFacts.commit, RunFacts.machine)
        let processStart = env.started
        func tenths(_ s: Double) -> Double { (s * 10).rounded() / 10 }
        for (i, u) in list.enumerated() {
            units.append(Erased(id: u.id, label: label?(i) ?? u.id, seed: u.seed, measured: measured.map { m in { m(i, $0 as! R) } },
                                kind: u.kind ?? chapter, job: u.batch ?? u.id,
                                compute: { chargeProcess in
                                    let started = Date()
                                    let clock = UnitClock.shared.begin()
                                    let r: R
                                    do { r = try u.run() } catch { _ = UnitClock.shared.end(clock, sinceProcessStart: false); throw error }
                                    let cpu = UnitClock.shared.end(clock, sinceProcessStart: chargeProcess)
                                    let record = UnitRecord(unit: u.id, chapter: chapter, profile: profile, seed: u.seed, commit: commit,
                                                            seconds: tenths(Date().timeIntervalSince(started)),
                                                            processSeconds: chargeProcess ? tenths(Date().timeIntervalSince(processStart)) : nil,
                                                            cpuSeconds: cpu.map(tenths), machine: machine, result: r)
                                    return (r, try encoder.encode(record))
                                },
                                decode: { let rec = try JSONDecoder().decode(UnitRecord<R>.self, from: $0); return (rec.result, rec.commit) },
                                resultJSON: { try encoder.encode(try JSONDecoder().decode(UnitRecord<R>.self, from: $0).result) }))
        }
        return UnitGroup(range: start..<units.count)
    }

    /// Result file of a unit: `<results>/<chapter>/<id>.json`.
    public func resultPath(_ id: String) -> String {
        URL(fileURLWithPath: env.resultsDirectory).appendingPathComponent(chapter)
            .appendingPathComponent(id.replacingOccurrences(of: "/", with: "_") + ".json").path
    }

    /// What a run of the plan does, decided by the command line.
    public enum Outcome {
        /// `--list-jobs`: one shell command per job — a batch, or a unit outside any — for GNU
        /// parallel or a Slurm array, each running its units one at a time (`--unit-workers 1`);
        /// with `--missing-only`, only jobs with a unit not yet stored.
        case jobList([String])
        /// `--estimate`: per kind, `chapter<TAB>kind<TAB>planned<TAB>done<TAB>seconds of the done
        /// ones<TAB>longest done<TAB>done ones with CPU seconds<TAB>their CPU seconds`, in plan order.
        case estimate([String])
        /// `--job ID`: that unit ran, or that batch's units not yet stored did, and their results are stored.
        case ranJob(String)
        /// `--verify ID`: that recorded unit, or every recorded unit of that batch, computed again
        /// (in unit order, one at a time) and compared with its record; nothing is stored.
        case verified([UnitVerification])
        /// Every unit's result, cached or computed now.
        case results(UnitResults)
    }

    /// With `--list-jobs`, the job list; with `--job ID`, runs that unit (again, if stored) or
    /// the units of that batch not yet stored (a batch resumes), and stores their results;
    /// with `--record`, the stored results only (a result file that cannot be read is an error,
    /// never a missing unit). Otherwise runs every unit whose result file is missing,
    /// `unitWorkers` at a time, and returns all results. `progress` is called after each unit.
    public func run(progress: Progress? = nil) throws -> Outcome {
        func stored(_ u: Erased) -> Bool { FileManager.default.fileExists(atPath: resultPath(u.id)) }
        if env.listJobs {
            // One unit at a time per job: the engine (GNU parallel, a Slurm array) runs jobs side
            // by side, and a unit's training already keeps up to two cores busy; two jobs of two
            // units each on 2 cores took 1.5× the serial time (a ch04 unit: 171 s, 28 s alone).
            let command = [env.executablePath, "--profile", env.profile.rawValue, "--results", env.resultsDirectory, "--unit-workers", "1"].map(shellWord).joined(separator: " ")
            var jobs: [String] = [], listed = Set<String>()
            for u in units where !listed.contains(u.job) && !(env.missingOnly && stored(u)) {
                listed.insert(u.job); jobs.append(u.job)
            }
            return .jobList(jobs.map { "\(command) --job \(shellWord($0))" })
        }
        if env.estimate {
            var kinds: [String] = []
            var tally: [String: (planned: Int, done: Int, seconds: Double, longest: Double, timed: Int, cpu: Double)] = [:]
            for u in units {
                if tally[u.kind] == nil { kinds.append(u.kind) }
                var t = tally[u.kind] ?? (0, 0, 0, 0, 0, 0)
                t.planned += 1
                if let data = FileManager.default.contents(atPath: resultPath(u.id)),
                   let timing = try? JSONDecoder().decode(UnitTiming.self, from: data) {
                    t.done += 1; t.seconds += timing.cost; t.longest = max(t.longest, timing.cost)
                    if let cpu = timing.cpuCost { t.timed += 1; t.cpu += cpu }
                }
                tally[u.kind] = t
            }
            return .estimate(kinds.map { k in
                let t = tally[k]!
                return [chapter, k, "\(t.planned)", "\(t.done)", String(format: "%.1f", t.seconds), String(format: "%.1f", t.longest),
                        "\(t.timed)", String(format: "%.1f", t.cpu)].joined(separator: "\t")
            })
        }
        if let id = env.verify {
            let chosen = units.firstIndex(where: { $0.id == id }).map { [units[$0]] } ?? units.filter { $0.job == id }
            guard !chosen.isEmpty else { throw WorkUnitError.unknownJob(id) }
            let recorded = chosen.filter(stored)
            guard !recorded.isEmpty else { throw WorkUnitError.notRecorded(id) }
            return .verified(try recorded.map { u in
                let path = resultPath(u.id)
                guard let data = FileManager.default.contents(atPath: path) else { throw WorkUnitError.notRecorded(u.id) }
                let before: (json: Data, commit: String)
                do { before = (try u.resultJSON(data), try u.decode(data).commit) } catch {
                    throw WorkUnitError.unreadableResult(path: path, reason: "\(error)")
                }
                let now = try u.resultJSON(try u.compute(false).json)
                defer { progress?.advance(u.id) }
                return UnitVerification(unit: u.id, recordedCommit: before.commit,
                                        differences: try ResultComparison.differences(recorded: before.json, now: now))
            })
        }
        let lock = NSLock()
        var processCharged = env.job == nil   // in-process units record no process seconds
        func compute(_ u: Erased) throws -> Any {
            let charge = lock.withLock { defer { processCharged = true }; return !processCharged }
            let (value, json) = try u.compute(charge)
            try writeTextAtomically(String(decoding: json, as: UTF8.self), to: resultPath(u.id))
            return value
        }
        /// Runs units `todo` (indices), `unitWorkers` at a time in order; no new unit starts after a failure.
        func runAll(_ todo: [Int], into results: inout [Result<Any, Error>?]) {
            var next = 0, failed = false
            DispatchQueue.concurrentPerform(iterations: max(1, min(env.unitWorkers, todo.count))) { _ in
                while true {
                    let taken: Int? = lock.withLock {
                        guard !failed, next < todo.count else { return nil }
                        defer { next += 1 }
                        return todo[next]
                    }
                    guard let i = taken else { return }
                    let r = Result { try compute(units[i]) }
                    lock.withLock {
                        results[i] = r
                        if case .failure = r { failed = true }
                    }
                    progress?.advance(units[i].id)
                }
            }
        }
        if let job = env.job {
            var results = [Result<Any, Error>?](repeating: nil, count: units.count)
            if let i = units.firstIndex(where: { $0.id == job }) {
                runAll([i], into: &results)
            } else {
                let batch = units.indices.filter { units[$0].job == job }
                guard !batch.isEmpty else { throw WorkUnitError.unknownJob(job) }
                runAll(batch.filter { !stored(units[$0]) }, into: &results)
            }
            for case let .failure(e)? in results { throw e }
            return .ranJob(job)
        }
        // Cached results first; the missing units then run `unitWorkers` at a time, taken in
        // unit order. Units are independent and seeded by their own parameters, so a result
        // does not depend on which units ran beside it; each is written when it finishes.
        var results = [Result<Any, Error>?](repeating: nil, count: units.count)
        var commits = Set<String>()
        for (i, u) in units.enumerated() {
            let path = resultPath(u.id)
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            do {
                let (value, commit) = try u.decode(data)
                results[i] = .success(value)
                commits.insert(commit)
                progress?.advance(u.id)
            } catch {
                // Computing again overwrites a file the kit wrote; the record is never guessed at.
                if env.recordOnly { throw WorkUnitError.unreadableResult(path: path, reason: "\(error)") }
            }
        }
        if env.recordOnly {
            return .results(UnitResults(values: results.map { r in r.flatMap { try? $0.get() } }, labels: units.map(\.label), commits: commits.sorted(),
                                        seeds: units.map(\.seed), measured: units.map(\.measured)))
        }
        let missing = units.indices.filter { results[$0] == nil }
        runAll(missing, into: &results)
        // The first failure in unit order is thrown; without one, every unit ran.
        for case let .failure(e)? in results { throw e }
        return .results(UnitResults(values: results.map { r in
            guard case let .success(v)? = r else { preconditionFailure("a unit neither failed nor ran") }
            return v
        }, labels: units.map(\.label), commits: (commits.union(missing.isEmpty ? [] : [RunFacts.commit])).sorted(),
           seeds: units.map(\.seed), measured: units.map(\.measured)))
    }
}

/// `word` as one shell word: as it is when it holds only safe characters, else single-quoted.
func shellWord(_ word: String) -> String {
    let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/+=:,@%")
    if !word.isEmpty, word.allSatisfy(safe.contains) { return word }
    return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

extension ChapterEnvironment {
    /// Runs a plan as the command line asks: prints the job list or runs one job and ends the
    /// process (exit 0), or returns every result. `label` names the progress line.
    public func run(_ plan: UnitPlan, label: String) throws -> UnitResults {
        let outcome: UnitPlan.Outcome
        do { outcome = try plan.run(progress: Progress(label, total: plan.count)) } catch { removeVerificationZoo(); throw error }
        switch outcome {
        case let .jobList(lines), let .estimate(lines):
            for l in lines { print(l) }
            exit(0)
        case .ranJob:
            exit(0)
        case let .verified(list):
            removeVerificationZoo()
            for v in list {
                print(v.identical ? "\(v.unit): identical to the record (computed by \(v.recordedCommit), now by \(RunFacts.commit))"
                                  : "\(v.unit): differs from the record (computed by \(v.recordedCommit)): " + v.differences.joined(separator: "; "))
            }
            let differing = list.filter { !$0.identical }
            if !differing.isEmpty { throw WorkUnitError.differsFromRecord(differing.map { "\($0.unit) (\($0.differences[0]))" }) }
            exit(0)
        case let .results(r):
            return r
        }
    }

    /// `--verify`'s temporary zoo, removed once the verification has ended (or failed).
    func removeVerificationZoo() {
        guard verify != nil, let zoo = zooDirectory else { return }
        TemporaryFiles.removeTree(zoo)
        TemporaryFiles.unregister(zoo)
    }

    /// A plan of one kind of unit, run as `run(_:label:)` does: each unit's result (nil where a
    /// record does not hold it yet) and the coverage.
    public func runUnits<R>(_ units: [WorkUnit<R>], chapter: String, label: String) throws -> (results: [R?], coverage: Coverage) {
        var plan = UnitPlan(self, chapter: chapter)
        let group = plan.add(units)
        let r = try run(plan, label: label)
        return (r.each(group), r.coverage)
    }
}
