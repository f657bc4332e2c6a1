import Foundation
import KitFiles

/// One independent piece of a chapter's work (e.g. one model × mode × gate strategy), whose
/// result is a file. Chapters list their units; a `UnitPlan` runs what is missing in-process,
/// or, for scale-out, one unit per process (`--job ID`), and merges the result files.
public struct WorkUnit<Result: Codable & Sendable>: Sendable {
    public var id: String
    public var run: @Sendable () throws -> Result
    public init(id: String, run: @escaping @Sendable () throws -> Result) { self.id = id; self.run = run }
}

public enum WorkUnitError: Error, CustomStringConvertible {
    case unknownJob(String)
    public var description: String {
        switch self { case let .unknownJob(id): return "no work unit '\(id)' in this chapter (see --list-jobs)" }
    }
}

/// The units of a plan whose results have type `R`: the key to read them back from `UnitResults`.
public struct UnitGroup<R: Codable & Sendable>: Sendable {
    fileprivate let range: Range<Int>
}

/// The results of a plan's units, read by group in unit order.
public struct UnitResults: @unchecked Sendable {
    fileprivate let values: [Any]
    public subscript<R>(_ group: UnitGroup<R>) -> [R] { values[group.range].map { $0 as! R } }
}

/// A chapter's work units, of any mix of result types, run together: one job list, one pool
/// of workers, one progress line.
public struct UnitPlan {
    private struct Erased {
        var id: String
        var compute: () throws -> (value: Any, json: Data)
        var decode: (Data) throws -> Any
    }
    private var units: [Erased] = []
    private let env: ChapterEnvironment
    private let chapter: String

    /// `chapter` names the results folder (`<results>/<chapter>/<id>.json`).
    public init(_ env: ChapterEnvironment, chapter: String) { self.env = env; self.chapter = chapter }

    public var count: Int { units.count }

    /// Adds `list`; its results come back as `results[group]`.
    public mutating func add<R>(_ list: [WorkUnit<R>]) -> UnitGroup<R> {
        let start = units.count
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for u in list {
            units.append(Erased(id: u.id,
                                compute: { let r = try u.run(); return (r, try encoder.encode(r)) },
                                decode: { try JSONDecoder().decode(R.self, from: $0) }))
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
        /// `--list-jobs`: one shell command per unit (for GNU parallel or a Slurm array).
        case jobList([String])
        /// `--job ID`: that unit ran and its result is stored.
        case ranJob(String)
        /// Every unit's result, cached or computed now.
        case results(UnitResults)
    }

    /// With `--list-jobs`, the job list; with `--job ID`, runs that unit and stores its result.
    /// Otherwise runs every unit whose result file is missing, `unitWorkers` at a time, and
    /// returns all results. `progress` is called after each unit.
    public func run(progress: Progress? = nil) throws -> Outcome {
        if env.listJobs {
            let command = [env.executablePath, "--profile", env.profile.rawValue, "--results", env.resultsDirectory].map(shellWord).joined(separator: " ")
            return .jobList(units.map { "\(command) --job \(shellWord($0.id))" })
        }
        func compute(_ u: Erased) throws -> Any {
            let (value, json) = try u.compute()
            try writeTextAtomically(String(decoding: json, as: UTF8.self), to: resultPath(u.id))
            return value
        }
        if let job = env.job {
            guard let u = units.first(where: { $0.id == job }) else { throw WorkUnitError.unknownJob(job) }
            _ = try compute(u)
            return .ranJob(job)
        }
        // Cached results first; the missing units then run `unitWorkers` at a time, taken in
        // unit order. Units are independent and seeded by their own parameters, so a result
        // does not depend on which units ran beside it; each is written when it finishes.
        var results = [Result<Any, Error>?](repeating: nil, count: units.count)
        for (i, u) in units.enumerated() {
            if let data = FileManager.default.contents(atPath: resultPath(u.id)), let r = try? u.decode(data) {
                results[i] = .success(r)
                progress?.advance(u.id)
            }
        }
        let missing = units.indices.filter { results[$0] == nil }
        let lock = NSLock()
        var next = 0, failed = false
        DispatchQueue.concurrentPerform(iterations: max(1, min(env.unitWorkers, missing.count))) { _ in
            while true {
                let taken: Int? = lock.withLock {
                    guard !failed, next < missing.count else { return nil }
                    defer { next += 1 }
                    return missing[next]
                }
                guard let i = taken else { return }
                let r = Result { try compute(units[i]) }
                lock.withLock {
                    results[i] = r
                    if case .failure = r { failed = true }   // no new units start after a failure
                }
                progress?.advance(units[i].id)
            }
        }
        // The first failure in unit order is thrown; without one, every unit ran.
        for case let .failure(e)? in results { throw e }
        return .results(UnitResults(values: results.map { r in
            guard case let .success(v)? = r else { preconditionFailure("a unit neither failed nor ran") }
            return v
        }))
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
        switch try plan.run(progress: Progress(label, total: plan.count)) {
        case let .jobList(lines):
            for l in lines { print(l) }
            exit(0)
        case .ranJob:
            exit(0)
        case let .results(r):
            return r
        }
    }

    /// A plan of one kind of unit, run as `run(_:label:)` does.
    public func runUnits<R>(_ units: [WorkUnit<R>], chapter: String, label: String) throws -> [R] {
        var plan = UnitPlan(self, chapter: chapter)
        let group = plan.add(units)
        return try run(plan, label: label)[group]
    }
}
