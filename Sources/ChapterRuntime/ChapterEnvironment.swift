import Corpora
import Foundation
import KitFiles
import Notebook
import RNNKit

/// What every chapter needs to know about its run: the profile, where reports and unit
/// results go, and where the optional real data and reference artefacts (`../shared`) are.
/// Parsed from the command line (`--profile P`, `--reports DIR`, `--results DIR`, `--job ID`,
/// `--list-jobs [--missing-only]`, `--record`, `--estimate`, `--verify ID`, `--unit-workers N`) and the environment (`PROFILE`, `SHARED_DIR`, `DATA_DIR`,
/// `ZOO_DIR`, `KIT_GEMM_KERNEL`), which only executables read: libraries get the values.
public struct ChapterEnvironment: Sendable {
    public var profile: Profile
    public var reportsDirectory: String
    /// Where work-unit results are kept: `.results/<profile>` by default, and for the paper
    /// profile `reports/paper/results`, the committed record that accumulates across runs.
    public var resultsDirectory: String
    /// `--record`: render the report from the stored unit results alone, running nothing; a
    /// missing unit's item is listed as not yet run.
    public var recordOnly: Bool
    /// `--job ID`: run only this work unit, or this batch's units not yet stored, and store the results.
    public var job: String?
    /// `--verify ID`: compute this recorded unit (or every recorded unit of this batch) again,
    /// in a fresh temporary zoo, and compare its result with the record's; nothing is stored.
    public var verify: String?
    /// `--list-jobs`: print one command per job (a batch of units, or a unit) and stop.
    public var listJobs: Bool
    /// `--missing-only` (with `--list-jobs`): only the jobs with a unit whose result is not stored
    /// yet, so a job file made again after a partial run holds just the rest.
    public var missingOnly: Bool
    /// `--estimate`: print, per kind of unit, how many are planned and done and the seconds the
    /// done ones took (from their result files), as tab-separated lines, and stop.
    public var estimate: Bool
    /// `../shared` (or `$SHARED_DIR`) when it exists.
    public var sharedDirectory: String?
    /// `$ZOO_DIR`: the model cache's root (default `.zoo`); with `--verify`, a fresh temporary
    /// folder instead, so the unit trains its models again and no cached model can hide a
    /// difference (removed when the verification ends).
    public var zooDirectory: String?
    /// The process environment, for the data locator (`DATA_DIR`, `RNN_MANIFEST_DIR`).
    public var environment: [String: String]
    public var commandLine: String
    /// The executable's name, e.g. `ch03-rq1-decomposition-cost`.
    public var executableName: String
    /// The path it was started by (`.build/release/ch03-…` under `make`), which job lists repeat.
    public var executablePath: String
    /// `KIT_GEMM_KERNEL` (portable, avx2, avx512): the GEMM kernel to use instead of the widest
    /// the CPU runs. Every kernel computes the same bits; tests use it to show that.
    public var gemmKernel: GEMM.Kernel?
    /// `--unit-workers N`: how many work units run at once (default: the machine's cores).
    /// A unit's result does not depend on it; wall time does, by kind: a chapter 3
    /// decomposition alone keeps about 1.1 of 2 cores busy (two at once nearly halve the
    /// chapter), a chapter 4 pair model's training about 1.7 (two at once gain nothing).
    public var unitWorkers: Int

    /// When the environment was parsed, at the process's start: a `--job` unit records the
    /// process's seconds beside its own (loading data and models is part of what a job costs).
    public let started = Date()

    public init(arguments: [String], environment env: [String: String]) throws {
        var args = Array(arguments.dropFirst())
        func take(_ flag: String) -> String? {
            guard let i = args.firstIndex(of: flag), i + 1 < args.count else { return nil }
            defer { args.removeSubrange(i...(i + 1)) }
            return args[i + 1]
        }
        let profileName = take("--profile") ?? env["PROFILE"] ?? "quick"
        guard let profile = Profile(rawValue: profileName) else {
            throw ChapterError.badArgument("unknown profile '\(profileName)' (smoke, quick, paper)")
        }
        self.profile = profile
        reportsDirectory = take("--reports") ?? "reports"
        resultsDirectory = take("--results") ?? (profile == .paper ? "reports/paper/results" : ".results/\(profile.rawValue)")
        job = take("--job")
        verify = take("--verify")
        let workersText = take("--unit-workers")
        unitWorkers = try workersText.map { t -> Int in
            guard let n = Int(t), (1...256).contains(n) else { throw ChapterError.badArgument("--unit-workers '\(t)' is not a count from 1 to 256") }
            return n
        } ?? ProcessInfo.processInfo.activeProcessorCount
        listJobs = args.contains("--list-jobs")
        recordOnly = args.contains("--record")
        estimate = args.contains("--estimate")
        missingOnly = args.contains("--missing-only")
        args.removeAll { $0 == "--list-jobs" || $0 == "--record" || $0 == "--estimate" || $0 == "--missing-only" }
        if missingOnly && !listJobs { throw ChapterError.badArgument("--missing-only qualifies --list-jobs") }
        if verify != nil && (job != nil || listJobs || recordOnly || estimate) {
            throw ChapterError.badArgument("--verify runs alone (not with --job, --list-jobs, --record or --estimate)")
        }
        guard args.isEmpty else { throw ChapterError.badArgument("unexpected arguments \(args)") }
        let shared = env["SHARED_DIR"] ?? "../shared"
        sharedDirectory = FileManager.default.fileExists(atPath: shared) ? shared : nil
        zooDirectory = env["ZOO_DIR"].flatMap { $0.isEmpty ? nil : $0 }
        if verify != nil {
            let fresh = FileManager.default.temporaryDirectory.appendingPathComponent("kit-verify-zoo.tmp-\(TemporaryFiles.ownerPID)-\(TemporaryFiles.nextNumber())").path
            TemporaryFiles.register(fresh)   // an interrupted verification leaves no models behind
            zooDirectory = fresh
        }
        environment = env
        executableName = URL(fileURLWithPath: arguments.first ?? "chapter").lastPathComponent
        executablePath = arguments.first ?? executableName
        commandLine = ([executableName] + arguments.dropFirst()).joined(separator: " ")
        let kernel = env["KIT_GEMM_KERNEL"].flatMap { $0.isEmpty ? nil : $0 }
        if let kernel, GEMM.Kernel(rawValue: kernel) == nil {
            throw ChapterError.badArgument("KIT_GEMM_KERNEL='\(kernel)' is not a kernel (portable, avx2, avx512)")
        }
        gemmKernel = kernel.flatMap(GEMM.Kernel.init(rawValue:))
    }

    public func shared(_ relative: String) -> String? {
        sharedDirectory.map { URL(fileURLWithPath: $0).appendingPathComponent(relative).path }
    }

    public func reportPath(_ file: String) -> String { URL(fileURLWithPath: reportsDirectory).appendingPathComponent(file).path }

    /// The data locator: `../shared/data` first when present, then the standard roots.
    public var locator: DataLocator {
        DataLocator.standard(extraRoots: shared("data").map { [URL(fileURLWithPath: $0)] } ?? [], environment: environment)
    }

    /// Selects the GEMM kernel (none given: the widest the CPU runs) and returns the provenance
    /// line; results are the same bits on every kernel.
    @discardableResult
    public func configureNumerics() -> String {
        GEMM.select(gemmKernel)
        return GEMM.describe()
    }

    /// A provenance block for this run: command, profile, commit, machine.
    public func provenance() -> Provenance {
        Provenance(command: commandLine, profile: profile.rawValue, commit: RunFacts.commit, machine: RunFacts.machine)
    }
}

public enum ChapterError: Error, CustomStringConvertible {
    case badArgument(String)
    public var description: String {
        switch self { case let .badArgument(s): return s }
    }
}
