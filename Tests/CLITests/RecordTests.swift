import Foundation
import TestSupport
import Testing

/// The paper record (issue 13): a chapter merged with `--record` from a results folder that
/// holds only some of its units runs nothing, opens with `Coverage: N of M units`, shows the
/// complete rows and lists the rest as not yet run; each result file records where it came
/// from. Chapter 3, smoke profile, synthetic data.
struct RecordTests {
    let s: Scratch
    init() throws { s = try Scratch() }

    var chapter: String { CLIRunner.executable.deletingLastPathComponent().appendingPathComponent("ch03-rq1-decomposition-cost").path }
    var env: [String: String] { ["SHARED_DIR": s.path("no-shared"), "DATA_DIR": s.path("no-data"), "ZOO_DIR": s.path("zoo")] }
    var results: String { s.path("results") }

    func run(_ args: [String]) throws -> CLIRunner.Output {
        try CLIRunner.run(args, in: Shared.packageRoot.path, environment: env, executable: chapter)
    }

    func resultFiles() throws -> [String] {
        guard FileManager.default.fileExists(atPath: results) else { return [] }
        return try FileManager.default.subpathsOfDirectory(atPath: results).filter { $0.hasSuffix(".json") }.sorted()
    }

    @Test("--record on part of the units: coverage line, complete rows only, the rest listed; nothing computed", .timeLimit(.minutes(10)))
    func partialRecord() throws {
        let list = try run(["--profile", "smoke", "--results", results, "--list-jobs"])
        try #require(list.status == 0, "\(list.stderr)")
        let jobs = list.stdout.split(separator: "\n").map(String.init)
        try #require(jobs.count > 8)
        // The first item's units (its seeds) and one unit of the second: one complete row.
        let seeds = 2   // the smoke profile's
        for line in jobs.prefix(seeds + 1) {
            let id = String(line.split(separator: " ").last!)
            let r = try run(["--profile", "smoke", "--results", results, "--job", id])
            try #require(r.status == 0, "\(id): \(r.stderr)")
        }
        let stored = try resultFiles()
        #expect(stored.count == seeds + 1)

        // Each file: the result with its unit, chapter, profile, seed, commit, time and machine.
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: results + "/" + stored[0]))) as! [String: Any]
        #expect(Set(json.keys) == ["unit", "chapter", "profile", "seed", "commit", "seconds", "processSeconds", "cpuSeconds", "machine", "result"])
        #expect((json["processSeconds"] as! Double) >= (json["seconds"] as! Double), "a job's process outlasts its unit")
        // A job's one unit ran alone: its CPU seconds are recorded, more than nothing and at
        // most the process's wall seconds on every core (plus a tenth for rounding).
        let cpu = try #require(json["cpuSeconds"] as? Double)
        #expect(cpu > 0 && cpu <= (json["processSeconds"] as! Double) * Double(ProcessInfo.processInfo.activeProcessorCount) + 0.1, "cpu \(cpu)")
        #expect(json["chapter"] as? String == "03" && json["profile"] as? String == "smoke" && json["seed"] is NSNumber)
        #expect((json["result"] as? [String: Any])?["caps"] != nil)

        let reports = s.path("reports")
        let merged = try run(["--profile", "smoke", "--results", results, "--reports", reports, "--record"])
        try #require(merged.status == 0, "\(merged.stderr)")
        #expect(try resultFiles() == stored, "a record merge computes nothing")
        let text = try String(contentsOfFile: reports + "/03-rq1-decomposition-cost.md", encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[2] == "Coverage: \(seeds + 1) of \(jobs.count) units", "the line after the title: \(lines[2])")
        #expect(lines[4].hasPrefix("**Partial record.**"), "a partial record says its aggregates are not verdicts yet: \(lines[4])")
        let items = jobs.count / seeds
        let notRun = text.components(separatedBy: "## Not yet run").last!.split(separator: "\n").filter { $0.hasPrefix("- ") }
        #expect(notRun.count == items - 1, "every item but the complete one is listed (\(notRun.count) of \(items))")
        #expect(!notRun.contains("- 1:1 Vanilla-1, rolled") && notRun.count == Set(notRun).count, "the complete item (the plan's first) is not listed; none twice")
        // The second item has one of its seeds: its line says so; the others name the item alone.
        let partial = notRun.filter { $0.hasSuffix(" (1 of \(seeds) units in the record)") }
        #expect(partial.count == 1 && notRun.first == partial.first, "the partly run item, first: \(notRun.prefix(3))")
        #expect(notRun.dropFirst().allSatisfy { !$0.contains(" units in the record)") })
        // Under it, what its one recorded seed measured, as that unit's result file holds it
        // (single values: its row waits for the other seed).
        let section = text.components(separatedBy: "## Not yet run").last!.split(separator: "\n").map(String.init)
        let at = try #require(section.firstIndex(of: String(partial.first ?? "none")))
        let sub = section[at + 1]
        let partialID = String(jobs[seeds].split(separator: " ").last!)
        let unitFile = try #require(stored.first { $0.hasSuffix("/" + partialID.replacingOccurrences(of: "/", with: "_") + ".json") })
        let unit = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: results + "/" + unitFile))) as! [String: Any]
        let caps = (unit["result"] as! [String: Any])["caps"] as! [[String: Any]]
        let atPaperCap = try #require(caps.first { ($0["cap"] as! Double) == 0.2 })
        let mma = String(format: "%.4f", atPaperCap["mma"] as! Double), cma = String(format: "%.4f", atPaperCap["cma"] as! Double)
        #expect(sub == "  - seed \(unit["seed"] as! NSNumber): MMA \(mma), CMA \(cma) (cap 0.20); " + sub.components(separatedBy: "(cap 0.20); ").dropFirst().joined(separator: "(cap 0.20); "),
                "the partial item's seed line: \(sub)")
        #expect(sub.contains("; δ ") && sub.contains("; JI ") && section.filter { $0.hasPrefix("  - seed ") }.count == 1, "\(sub)")
        #expect(text.contains("Under an item partly run, what each of its seeds in the record measured"))
        // The Table II body of 1:1 holds exactly the complete row.
        let oneToOne = (text.components(separatedBy: "\n## 1:1").dropFirst().first ?? "").components(separatedBy: "\n#").first!
        let rows = oneToOne.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| model") && !$0.hasPrefix("| -") }
        #expect(rows.count == 1, "one complete 1:1 row: \(rows)")
        #expect(text.contains("unit results computed by commit(s): "))

        // --estimate: per kind, planned and done units and the done ones' seconds (tab-separated).
        let estimate = try run(["--profile", "smoke", "--results", results, "--estimate"])
        try #require(estimate.status == 0, "\(estimate.stderr)")
        let kinds = estimate.stdout.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        #expect(kinds.allSatisfy { $0.count == 8 && $0[0] == "03" && $0[1].hasPrefix("decompose ") })
        #expect(kinds.first.map { Int($0[6]) == seeds + 1 && Double($0[7])! > 0 } == true, "every done unit has CPU seconds: \(kinds.first ?? [])")
        #expect(kinds.reduce(0) { $0 + Int($1[2])! } == jobs.count && kinds.reduce(0) { $0 + Int($1[3])! } == seeds + 1)
        #expect(kinds.first.map { Int($0[3]) == seeds + 1 && Double($0[4])! > 0 } == true, "the first kind holds the three done units: \(kinds.first ?? [])")
        #expect(try resultFiles() == stored, "--estimate computes nothing")

        // The cost table over every chapter of the profile: the measured kind, and lower-bound totals.
        let bin = CLIRunner.executable.deletingLastPathComponent().path
        let table = try CLIRunner.run(["-c", "scale-out/cost-table.sh \(bin) smoke \(results) 16"], in: Shared.packageRoot.path,
                                      environment: env, executable: "/bin/bash")
        try #require(table.status == 0, "\(table.stderr)")
        let row = table.stdout.split(separator: "\n").first { $0.hasPrefix("| 03 | \(kinds[0][1]) |") }
        #expect(row?.contains("| \(kinds[0][2]) | \(seeds + 1) |") == true && row?.contains("| CPU time of \(seeds + 1) |") == true,
                "\(row ?? "no row for the first kind")")
        #expect(table.stdout.contains("- smoke profile total: on 2 cores at least ") && table.stdout.contains("on 16 cores at least "))
        #expect(table.stdout.contains("| 02 | train ") && table.stdout.contains("not measured"))
    }

    @Test("--verify computes a recorded unit again in a fresh zoo and compares it with the record; a changed number fails", .timeLimit(.minutes(10)))
    func verify() throws {
        let list = try run(["--profile", "smoke", "--results", results, "--list-jobs"])
        let ids = list.stdout.split(separator: "\n").map { String($0.split(separator: " ").last!) }
        try #require(ids.count > 1, "\(list.stderr)")
        let ran = try run(["--profile", "smoke", "--results", results, "--job", ids[0]])
        try #require(ran.status == 0, "\(ran.stderr)")
        let zoo = try FileManager.default.subpathsOfDirectory(atPath: s.path("zoo")).sorted()
        let tmp = s.path("tmp")
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        func verify(_ id: String) throws -> CLIRunner.Output {
            try CLIRunner.run(["--profile", "smoke", "--results", results, "--verify", id], in: Shared.packageRoot.path,
                              environment: env.merging(["TMPDIR": tmp]) { $1 }, executable: chapter)
        }

        let same = try verify(ids[0])
        #expect(same.status == 0 && same.stdout.contains("\(ids[0]): identical to the record"), "\(same.stdout) \(same.stderr)")
        #expect(try FileManager.default.subpathsOfDirectory(atPath: s.path("zoo")).sorted() == zoo, "the configured zoo is not used")
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp).isEmpty, "the temporary zoo is removed")

        // One number of the result changed: the unit now differs from its record, which stays as it is.
        let path = results + "/03/" + ids[0] + ".json"
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        var changed = false
        func change(_ v: Any) -> Any {
            if changed { return v }
            if let d = v as? [String: Any] { return Dictionary(uniqueKeysWithValues: d.keys.sorted().map { ($0, change(d[$0]!)) }) }
            if let a = v as? [Any] { return a.map(change) }
            if let n = v as? Double, !(v is Bool), n != n.rounded() { changed = true; return n + 0.125 }
            return v
        }
        json["result"] = change(json["result"]!)
        try #require(changed, "the result holds a fraction to change")
        let tampered = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
        try tampered.write(to: URL(fileURLWithPath: path))
        let off = try verify(ids[0])
        #expect(off.status == 1 && off.stderr.contains("1 unit(s) differ from the record: \(ids[0]) (result.") && off.stderr.split(separator: "\n").count == 1,
                "\(off.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == tampered, "verifying never writes the record")

        let none = try verify(ids[1])
        #expect(none.status == 1 && none.stderr.contains("'\(ids[1])' has no recorded result to verify"), "\(none.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp).isEmpty, "nothing is left behind after an error either")
    }

    @Test("--record refuses a result file it cannot read, naming it (never recomputes or skips it)")
    func unreadableResult() throws {
        let list = try run(["--profile", "smoke", "--results", results, "--list-jobs"])
        let id = String(list.stdout.split(separator: "\n").first!.split(separator: " ").last!)
        try FileManager.default.createDirectory(atPath: results + "/03", withIntermediateDirectories: true)
        let path = results + "/03/" + id + ".json"
        try "{\"result\": 1}".write(toFile: path, atomically: true, encoding: .utf8)
        let r = try run(["--profile", "smoke", "--results", results, "--reports", s.path("reports"), "--record"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("unit result \(path) cannot be read") && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "{\"result\": 1}", "the file is left as it was")
        #expect(!FileManager.default.fileExists(atPath: s.path("reports") + "/03-rq1-decomposition-cost.md"))
    }
}
