import Foundation

/// One independent piece of a chapter's work (e.g. one model × mode × gate strategy), whose
/// result is a file. Chapters list their units; `runUnits` runs what is missing in-process,
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

extension ChapterEnvironment {
    /// Result file of a unit: `<results>/<chapter>/<id>.json`.
    public func resultPath(chapter: String, id: String) -> String {
        URL(fileURLWithPath: resultsDirectory).appendingPathComponent(chapter).appendingPathComponent(id.replacingOccurrences(of: "/", with: "_") + ".json").path
    }

    /// Runs a chapter's units. With `--list-jobs`, prints one shell command per unit (for GNU
    /// parallel or a Slurm array) and exits; with `--job ID`, runs that unit, writes its result
    /// and exits. Otherwise runs every unit whose result file is missing, then returns all
    /// results in unit order. `progress` is called after each unit.
    public func runUnits<R>(_ units: [WorkUnit<R>], chapter: String, executable: String,
                            progress: Progress? = nil) throws -> [R] {
        if listJobs {
            for u in units { print("\(executable) --profile \(profile.rawValue) --results \(resultsDirectory) --job \(u.id)") }
            exit(0)
        }
        let decoder = JSONDecoder(), encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func compute(_ u: WorkUnit<R>) throws -> R {
            let r = try u.run()
            try writeTextAtomically(String(decoding: try encoder.encode(r), as: UTF8.self), to: resultPath(chapter: chapter, id: u.id))
            return r
        }
        if let job {
            guard let u = units.first(where: { $0.id == job }) else { throw WorkUnitError.unknownJob(job) }
            _ = try compute(u)
            exit(0)
        }
        // Cached results first; the missing units then run `unitWorkers` at a time, taken in
        // unit order. Units are independent and seeded by their own parameters, so a result
        // does not depend on which units ran beside it; each is written when it finishes.
        var results = [Result<R, Error>?](repeating: nil, count: units.count)
        for (i, u) in units.enumerated() {
            if let data = FileManager.default.contents(atPath: resultPath(chapter: chapter, id: u.id)),
               let r = try? decoder.decode(R.self, from: data) {
                results[i] = .success(r)
                progress?.advance(u.id)
            }
        }
        let missing = units.indices.filter { results[$0] == nil }
        let lock = NSLock()
        var next = 0, failed = false
        DispatchQueue.concurrentPerform(iterations: max(1, min(unitWorkers, missing.count))) { _ in
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
        return results.map { r in
            guard case let .success(v)? = r else { preconditionFailure("a unit neither failed nor ran") }
            return v
        }
    }
}
