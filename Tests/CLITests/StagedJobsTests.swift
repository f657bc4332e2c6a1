import Foundation
import Notebook
import TestSupport
import Testing

/// `make jobs` scale-out (issue 13): the three stage files of scale-out/stage-jobs.sh, run in
/// order by GNU parallel (two jobs at a time, every unit its own process, one shared zoo),
/// give the same reports and figures, byte for byte outside provenance, as the chapters run
/// in-process. Smoke profile on synthetic data (fast, the same on every machine).
struct StagedJobsTests {
    let s: Scratch
    init() throws { s = try Scratch() }

    static let chapters = ChapterTests.chapters
    var bin: String { CLIRunner.executable.deletingLastPathComponent().path }

    func environment(zoo: String) -> [String: String] {
        ["SHARED_DIR": s.path("no-shared"), "DATA_DIR": s.path("no-data"), "ZOO_DIR": zoo]
    }

    /// Runs `command` through bash in the package root.
    func shell(_ command: String, zoo: String) throws -> CLIRunner.Output {
        try CLIRunner.run(["-c", command], in: Shared.packageRoot.path, environment: environment(zoo: zoo), executable: "/bin/bash")
    }

    func reportFiles(_ dir: String) throws -> [String: String] {
        var files: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir).sorted() where name.hasSuffix(".md") || name.hasSuffix(".svg") {
            let text = try String(contentsOfFile: dir + "/" + name, encoding: .utf8)
            files[name] = name.hasSuffix(".md") ? Provenance.strip(text) : text
        }
        return files
    }

    @Test("staged job files under GNU parallel = the in-process run", .timeLimit(.minutes(20)))
    func stagedJobsEqualInProcess() throws {
        let parallel = try shell("command -v parallel", zoo: s.path("unused"))
        try #require(parallel.status == 0, "GNU parallel is not installed (make deps installs it)")

        // In-process: each chapter runs all its units itself.
        let inProcess = s.path("in-process")
        for c in Self.chapters {
            let r = try shell("\(bin)/\(c) --profile smoke --results \(s.path("results-a")) --reports \(inProcess)", zoo: s.path("zoo-a"))
            #expect(r.status == 0, "\(c): \(r.stderr)")
        }

        // Staged: the job files, then each stage under GNU parallel.
        let staged = s.path("staged"), jobs = s.path("jobs")
        let write = try shell("scale-out/stage-jobs.sh \(bin) smoke \(s.path("results-b")) \(staged) \(jobs)", zoo: s.path("zoo-b"))
        try #require(write.status == 0, "\(write.stderr)")
        let lines = { (f: String) in try String(contentsOfFile: "\(jobs)/\(f)", encoding: .utf8).split(separator: "\n") }
        let train = try lines("jobs-1-train.txt"), experiments = try lines("jobs-2-experiments.txt"), merge = try lines("jobs-3-merge.txt")
        #expect(train.count > 0 && train.allSatisfy { $0.contains("ch02-model-zoo") && $0.contains("--job ") })
        #expect(experiments.count > train.count && !experiments.contains { $0.contains("ch02-model-zoo") })
        #expect(merge.count == Self.chapters.count && !merge.contains { $0.contains("--job") })
        #expect((train + experiments + merge).allSatisfy { $0.hasPrefix(bin + "/ch") }, "only commands in the job files")
        #expect(!FileManager.default.fileExists(atPath: staged), "listing jobs writes no report")
        for f in ["jobs-1-train.txt", "jobs-2-experiments.txt", "jobs-3-merge.txt"] {
            let r = try shell("parallel --halt now,fail=1 -j 2 < \(jobs)/\(f)", zoo: s.path("zoo-b"))
            try #require(r.status == 0, "\(f): \(r.stdout.suffix(1500)) \(r.stderr.suffix(1500))")
        }
        // Stage 3 only merged: every unit's result was there already.
        let results = try FileManager.default.subpathsOfDirectory(atPath: s.path("results-b")).filter { $0.hasSuffix(".json") }
        #expect(results.count == train.count + experiments.count)

        let a = try reportFiles(inProcess), b = try reportFiles(staged)
        #expect(a.keys.filter { $0.hasSuffix(".md") }.count == Self.chapters.count && a.keys.contains { $0.hasSuffix(".svg") },
                "a report per chapter and figures: \(a.keys.sorted())")
        #expect(a.keys.sorted() == b.keys.sorted())
        for (name, text) in a { #expect(b[name] == text, "\(name) differs between the staged and the in-process run") }
    }

    /// The Slurm side, without Slurm: the submit script chains one array per stage with
    /// afterok and caps arrays at MAX_ARRAY; an array task runs every stride-th line of its file.
    @Test("Slurm scripts: arrays per stage chained by afterok; a task runs its stride of lines")
    func slurmScripts() throws {
        let jobs = s.path("jobs")
        try FileManager.default.createDirectory(atPath: jobs, withIntermediateDirectories: true)
        let out = s.path("ran.txt")
        let lines = (0..<5).map { "echo \($0) >> \(out)" }.joined(separator: "\n") + "\n"
        for f in ["jobs-1-train.txt", "jobs-2-experiments.txt", "jobs-3-merge.txt"] {
            try lines.write(toFile: "\(jobs)/\(f)", atomically: true, encoding: .utf8)
        }
        let dry = try shell("MAX_ARRAY=2 scale-out/slurm-submit.sh \(jobs) --dry-run", zoo: s.path("unused"))
        #expect(dry.status == 0, "\(dry.stderr)")
        let sbatch = dry.stdout.split(separator: "\n")
        #expect(sbatch.count == 3 && sbatch.allSatisfy { $0.hasPrefix("sbatch --parsable") && $0.contains("--array 0-1") && $0.contains("JOB_STRIDE=2") })
        #expect(!sbatch[0].contains("--dependency") && sbatch[1].contains("--dependency afterok:") && sbatch[2].contains("--dependency afterok:"))
        let task = try shell("JOB_FILE=\(jobs)/jobs-1-train.txt JOB_STRIDE=2 SLURM_ARRAY_TASK_ID=1 scale-out/slurm-unit.sh", zoo: s.path("unused"))
        #expect(task.status == 0, "\(task.stderr)")
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "1\n3\n", "task 1 of stride 2 runs lines 1 and 3 (0-based)")
        let missing = try shell("scale-out/slurm-submit.sh \(s.path("nowhere")) --dry-run", zoo: s.path("unused"))
        #expect(missing.status == 1 && missing.stderr.contains("run make jobs first"))
    }
}
