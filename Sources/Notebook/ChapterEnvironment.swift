import Foundation

/// What every chapter needs to know about its run: the profile, where reports go, and where
/// the optional real data and reference artefacts (`../shared`) are. Read from the command
/// line (`--profile P`, `--reports DIR`) and the environment (`PROFILE`, `SHARED_DIR`, `DATA_DIR`).
public struct ChapterEnvironment: Sendable {
    public enum Profile: String, Sendable, CaseIterable {
        case smoke, quick, paper

        /// The value for this profile (a report's profile note, a sample count, …).
        public func pick<T>(smoke: T, quick: T, paper: T) -> T {
            switch self { case .smoke: smoke; case .quick: quick; case .paper: paper }
        }
    }

    public var profile: Profile
    public var reportsDirectory: String
    /// Where work-unit results are kept (`.results/<profile>` by default).
    public var resultsDirectory: String
    /// `--job ID`: run only this work unit and store its result.
    public var job: String?
    /// `--list-jobs`: print one command per work unit and stop.
    public var listJobs: Bool
    /// `../shared` (or `$SHARED_DIR`) when it exists.
    public var sharedDirectory: String?
    public var commandLine: String
    /// `KIT_GEMM_KERNEL` (portable, avx2, avx512): the GEMM kernel to use instead of the widest
    /// the CPU runs. Every kernel computes the same bits; tests use it to show that.
    public var gemmKernel: String?
    /// `--unit-workers N`: how many work units run at once (default: the machine's cores).
    /// A unit's result does not depend on it; wall time does (a unit alone keeps about 1.1
    /// of 2 cores busy, so two at once nearly halve a chapter).
    public var unitWorkers: Int

    public static func fromProcess() throws -> ChapterEnvironment {
        let env = ProcessInfo.processInfo.environment
        var args = Array(CommandLine.arguments.dropFirst())
        func take(_ flag: String) -> String? {
            guard let i = args.firstIndex(of: flag), i + 1 < args.count else { return nil }
            defer { args.removeSubrange(i...(i + 1)) }
            return args[i + 1]
        }
        let profileName = take("--profile") ?? env["PROFILE"] ?? "quick"
        guard let profile = Profile(rawValue: profileName) else {
            throw ChapterError.badArgument("unknown profile '\(profileName)' (smoke, quick, paper)")
        }
        let reports = take("--reports") ?? "reports"
        let results = take("--results") ?? ".results/\(profile.rawValue)"
        let job = take("--job")
        let workersText = take("--unit-workers")
        let unitWorkers = try workersText.map { t -> Int in
            guard let n = Int(t), (1...256).contains(n) else { throw ChapterError.badArgument("--unit-workers '\(t)' is not a count from 1 to 256") }
            return n
        } ?? ProcessInfo.processInfo.activeProcessorCount
        let listJobs = args.contains("--list-jobs")
        args.removeAll { $0 == "--list-jobs" }
        guard args.isEmpty else { throw ChapterError.badArgument("unexpected arguments \(args)") }
        let shared = env["SHARED_DIR"] ?? "../shared"
        let exists = FileManager.default.fileExists(atPath: shared)
        let name = URL(fileURLWithPath: CommandLine.arguments[0]).lastPathComponent
        let kernel = env["KIT_GEMM_KERNEL"].flatMap { $0.isEmpty ? nil : $0 }
        if let kernel, !["portable", "avx2", "avx512"].contains(kernel) {
            throw ChapterError.badArgument("KIT_GEMM_KERNEL='\(kernel)' is not a kernel (portable, avx2, avx512)")
        }
        return ChapterEnvironment(profile: profile, reportsDirectory: reports, resultsDirectory: results, job: job, listJobs: listJobs,
                                  sharedDirectory: exists ? shared : nil,
                                  commandLine: ([name] + CommandLine.arguments.dropFirst()).joined(separator: " "),
                                  gemmKernel: kernel, unitWorkers: unitWorkers)
    }

    public func shared(_ relative: String) -> String? {
        sharedDirectory.map { URL(fileURLWithPath: $0).appendingPathComponent(relative).path }
    }

    public func reportPath(_ file: String) -> String { URL(fileURLWithPath: reportsDirectory).appendingPathComponent(file).path }
}

public enum ChapterError: Error, CustomStringConvertible {
    case badArgument(String)
    public var description: String {
        switch self { case let .badArgument(s): return s }
    }
}

/// Runs a chapter's body; an error is printed as one line and the process exits with 1
/// (never a crash with a backtrace), and nothing half-written is left (reports are atomic).
public func runChapter(_ name: String, _ body: () throws -> Void) -> Never {
    do {
        try body()
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("\(name): error: \(error)\n".utf8))
        exit(1)
    }
}
