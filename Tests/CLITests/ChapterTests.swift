import Foundation
import TestSupport
import Testing
import Notebook

/// Every chapter on the smoke profile: it runs, writes its report, the report has the structure
/// of its snapshot (Tests/CLITests/Snapshots; `make snapshots` rewrites them), and two runs give
/// the same report apart from the provenance block.
struct ChapterTests {
    static let chapters = ["ch01-keras-interop", "ch02-model-zoo", "ch03-rq1-decomposition-cost", "ch04-rq2-reuse", "ch05-rq3-replacement",
                                   "ch06-motivating-examples"]
    let s: Scratch
    init() throws { s = try Scratch() }

    /// Runs a chapter with ../shared hidden (synthetic data: fast and the same on every machine).
    /// `machine` varies what differs between machines: extra environment (GEMM kernel, the
    /// OPENBLAS_* variables some machines set) and `taskset -c 0` (one core instead of all).
    func run(_ chapter: String, reports: String, shared: String? = nil, profile: String = "smoke",
             machine: (environment: [String: String], oneCore: Bool) = ([:], false)) throws -> CLIRunner.Output {
        let exe = CLIRunner.executable.deletingLastPathComponent().appendingPathComponent(chapter).path
        let p = Process()
        let arguments = ["--profile", profile, "--reports", reports, "--results", s.path("results-\(UUID().uuidString)")]
        if machine.oneCore {
            p.executableURL = URL(fileURLWithPath: "/usr/bin/taskset")
            p.arguments = ["-c", "0", exe] + arguments
        } else {
            p.executableURL = URL(fileURLWithPath: exe)
            p.arguments = arguments
        }
        p.currentDirectoryURL = Shared.packageRoot
        // Each run trains its own models (its own zoo), so the comparison covers training too.
        p.environment = ProcessInfo.processInfo.environment
            .merging(["SHARED_DIR": shared ?? s.path("no-shared"), "DATA_DIR": s.path("no-data"), "ZOO_DIR": s.path("zoo-\(UUID().uuidString)")]) { $1 }
            .merging(machine.environment) { $1 }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return CLIRunner.Output(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    func report(_ dir: String, _ chapter: String) throws -> String {
        let name = try FileManager.default.contentsOfDirectory(atPath: dir).first { $0.hasSuffix(".md") }!
        return try String(contentsOfFile: dir + "/" + name, encoding: .utf8)
    }

    /// Two "machines": all cores, the widest GEMM kernel, OPENBLAS_CORETYPE=SkylakeX; and one
    /// core (taskset), the AVX2 kernel, OPENBLAS_CORETYPE=Haswell, OPENBLAS_L2_SIZE=256.
    static let machines: [(environment: [String: String], oneCore: Bool)] = [
        (["OPENBLAS_CORETYPE": "SkylakeX", "KIT_GEMM_KERNEL": ""], false),
        (["OPENBLAS_CORETYPE": "Haswell", "OPENBLAS_L2_SIZE": "256", "KIT_GEMM_KERNEL": "avx2"], true),
    ]

    @Test("synthetic smoke run: structure, synthetic first line, and the same report on two machines", arguments: chapters)
    func smokeRun(_ chapter: String) throws {
        let (a, b) = (s.path("a"), s.path("b"))
        let r1 = try run(chapter, reports: a, machine: Self.machines[0]), r2 = try run(chapter, reports: b, machine: Self.machines[1])
        #expect(r1.status == 0 && r2.status == 0, "\(r1.stderr)\(r2.stderr)")
        let t1 = try report(a, chapter), t2 = try report(b, chapter)
        let lines = t1.components(separatedBy: "\n")
        #expect(lines[0].hasPrefix("# Chapter"))
        #expect(lines[2].hasPrefix("Data: synthetic"), "first line says the data is synthetic: \(lines[2])")
        #expect(t1.contains(Provenance.begin) && t1.contains(Provenance.end) && t1.contains("- profile: smoke"))
        #expect(t1.contains("| ---"), "has a table")
        #expect(Provenance.strip(t1) == Provenance.strip(t2), "same report apart from provenance on both machines")
        #expect(try report(b, chapter).contains("avx2 kernel"), "the second run used the AVX2 kernel")
        // Its sections, tables and row labels are those of the committed snapshot.
        try Snapshots.check(ReportStructure.of(t1), name: "\(chapter).structure.txt")
    }

    @Test("chapter 1 on the real artefacts: every parity check passes and the authors' LSTM/GRU rows are reproduced",
          .requiresShared(Shared.data, Shared.authorsModels, Shared.kerasFixtures))
    func chapter1Real() throws {
        let dir = s.path("real")
        let r = try run("ch01-keras-interop", reports: dir, shared: Shared.root.path)
        #expect(r.status == 0, "\(r.stderr)")
        let t = try report(dir, "ch01")
        #expect(t.components(separatedBy: "\n")[2].hasPrefix("Data: real"))
        #expect(t.contains("Every check above passed."))
        #expect(!t.contains("FAIL") && !t.contains("DIFFERS"))
        // tf.keras 2.21's count for this model (Tests/Generators/gen_authors_clinc_keras.py).
        #expect(t.contains("| 4241 / 4500 |"), "the authors' Vanilla M:1 model1 on Clinc")
        #expect(t.contains("2 of 2 rolled rows"), "LSTM-1 and GRU-1 rows reproduced")
    }

    /// Every profile runs on the real data too (issue 13: smoke once stopped in chapter 3 with
    /// "class 3 has no training examples to sample" because its subsample lost a class).
    @Test("smoke on the real data: every chapter runs and says its data is real", .requiresShared(Shared.data),
          arguments: chapters.dropFirst())
    func smokeOnRealData(_ chapter: String) throws {
        let dir = s.path("real-smoke")
        let r = try run(chapter, reports: dir, shared: Shared.root.path)
        #expect(r.status == 0, "\(r.stderr)")
        let t = try report(dir, chapter)
        #expect(t.components(separatedBy: "\n")[2].hasPrefix("Data: real"))
        #expect(t.contains("| ---"), "has a table")
    }

    /// Chapter 6 on the synthetic quick profile (its smoke models translate nothing, BLEU 0):
    /// every TMA, MA1 and MA2 is the average its definition says, over the per-language rows.
    @Test("chapter 6: TMA, MA1 and MA2 are the averages of the per-language rows")
    func chapter6Averages() throws {
        let dir = s.path("ch06")
        let r = try run("ch06-motivating-examples", reports: dir, profile: "quick")
        #expect(r.status == 0, "\(r.stderr)")
        let lines = try report(dir, "ch06").components(separatedBy: "\n")
        func cells(_ line: String) -> [String] {
            line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                .map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "*", with: "") }
        }
        // "12.34 ± 0.56" (mean ± CI over seeds) or "MA1 12.34 ± 0.56": the mean.
        func value(_ s: String) -> Double? {
            let t = s.split(separator: " ").map(String.init)
            if let i = t.firstIndex(of: "±"), i > 0 { return Double(t[i - 1]) }
            return Double(t.last ?? "")
        }
        var tables = 0, nonzero = 0
        for (i, line) in lines.enumerated() where line.hasPrefix("| language") {
            let header = cells(line)
            let col = { (name: String) in header.firstIndex(of: name)! }
            var rows: [[String]] = [], k = i + 2
            while !lines[k].hasPrefix("| **average") { rows.append(cells(lines[k])); k += 1 }
            let avg = cells(lines[k])
            let target = rows.first { $0[col("solution 1 module")] != "–" }!
            func mean(_ pick: ([String]) -> String) -> Double { rows.map { value(pick($0))! }.reduce(0, +) / Double(rows.count) }
            let tma = mean { $0[col("trained model")] }
            let ma1 = mean { $0 == target ? $0[col("solution 1 module")] : $0[col("its module")] }
            let ma2 = mean { $0 == target ? $0[col("solution 2 module")] : $0[col("its module")] }
            #expect(abs(tma - value(avg[col("trained model")])!) <= Tolerance.twoDecimalMeans)
            #expect(abs(ma1 - value(avg[col("solution 1 module")])!) <= Tolerance.twoDecimalMeans)
            #expect(abs(ma2 - value(avg[col("solution 2 module")])!) <= Tolerance.twoDecimalMeans)
            nonzero += rows.filter { value($0[col("trained model")])! > 0 }.count
            tables += 1
        }
        #expect(tables == 2, "one table per problem")
        #expect(nonzero > 0, "some language is translated at all (else the averages prove nothing)")
    }
}
