import ChapterRuntime
import Foundation
import TestSupport
import Testing

/// `--verify ID` (issue 13): a recorded unit (or every recorded unit of a batch) is computed
/// again and compared with its record, value by value, timings (`…Seconds`) aside; nothing is
/// written, and the models come from a fresh temporary zoo, never the configured one.
struct WorkUnitVerifyTests {
    struct Trained: Codable, Sendable {
        var accuracy: Double
        var perLanguage: [Double]
        var trainSeconds: Double
    }

    let results: String
    init() throws {
        results = TestScratch.root.appendingPathComponent("verify-\(UUID().uuidString)").path
    }

    func environment(_ flags: [String]) throws -> ChapterEnvironment {
        try ChapterEnvironment(arguments: ["chx", "--profile", "smoke", "--results", results] + flags, environment: ["ZOO_DIR": "/tmp/configured-zoo"])
    }

    /// Units m-1, m-2 (batch "model") and "solo"; `bleu` is m-2's second language.
    func plan(_ flags: [String], accuracy: Double = 0.25, bleu: Double = 0.125, seconds: Double = 1) throws -> UnitPlan {
        var plan = UnitPlan(try environment(flags), chapter: "99")
        let pairs = (1...2).map { i in
            WorkUnit<Trained>(id: "m-\(i)", batch: "model") { Trained(accuracy: accuracy * Double(i), perLanguage: [0.5, i == 2 ? bleu : 0.75], trainSeconds: seconds) }
        }
        _ = plan.add(pairs + [WorkUnit<Trained>(id: "solo") { Trained(accuracy: 1, perLanguage: [], trainSeconds: seconds) }])
        return plan
    }

    func verified(_ id: String, accuracy: Double = 0.25, bleu: Double = 0.125, seconds: Double = 2) throws -> [UnitVerification] {
        guard case let .verified(list) = try plan(["--verify", id], accuracy: accuracy, bleu: bleu, seconds: seconds).run() else {
            throw CancellationError()
        }
        return list
    }

    @Test("a recorded unit computed again is compared with its record, timings aside; nothing is written")
    func compares() throws {
        defer { try? FileManager.default.removeItem(atPath: results) }
        _ = try plan(["--job", "model", "--unit-workers", "1"]).run()
        let file = results + "/99/m-2.json"
        let before = try Data(contentsOf: URL(fileURLWithPath: file))

        let same = try verified("m-2", seconds: 9)
        #expect(same.map(\.unit) == ["m-2"] && same[0].identical, "another training time is not another result")
        #expect(try verified("model").map(\.unit) == ["m-1", "m-2"], "a batch verifies each recorded unit")

        let off = try verified("m-2", accuracy: 0.2500001, bleu: 0.25)
        #expect(off[0].differences == ["result.accuracy: recorded 0.5, now 0.5000002", "result.perLanguage[1]: recorded 0.125, now 0.25"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == before, "verifying never writes the record")

        #expect(throws: WorkUnitError.self) { try verified("solo") }   // not recorded
        #expect(throws: WorkUnitError.self) { try verified("nope") }   // no such unit
        #expect(throws: ChapterError.self) { try environment(["--verify", "m-1", "--job", "m-1"]) }
    }

    @Test("verification trains in a fresh temporary zoo, not the configured one")
    func freshZoo() throws {
        let env = try environment(["--verify", "m-1"])
        let zoo = try #require(env.zooDirectory)
        #expect(zoo != "/tmp/configured-zoo")
        #expect(zoo.hasPrefix(FileManager.default.temporaryDirectory.path))
        #expect(!FileManager.default.fileExists(atPath: zoo), "nothing is cached there yet")
        #expect(try environment([]).zooDirectory == "/tmp/configured-zoo")
        #expect(try environment(["--verify", "m-1"]).zooDirectory != zoo, "each verification has its own")
    }
}
