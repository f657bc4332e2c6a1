import Foundation
import TestSupport
import Testing

/// The quick profile runs real translation (issue 13): with ../shared's Tatoeba, the plans of
/// chapters 2–5 (`--list-jobs`, nothing computed) hold translation units on the quick cut
/// (ProfileCut). Skipped, naming what is missing, without the shared data.
@Suite("The quick plan includes Tatoeba", .requiresShared(Shared.data, "data/tatoeba/en_train.txt"))
struct QuickPlanTests {
    let s: Scratch
    init() throws { s = try Scratch() }

    /// Chapter, the prefix of its translation job ids, and how many the quick plan holds (3 seeds each):
    /// 2 — 4 cells × RNN-1, RNN-2; 3 — 4 cells × (rolled, unrolled) + LSTM and GRU per gate × 2 modes, RNN-1 only;
    /// 4 — 3 cells, one batch per model and seed (each of its 2 language pairs); 5 — 3 cells.
    static let expected: [(chapter: String, prefix: String, units: Int)] = [
        ("ch02-model-zoo", "train-tatoeba-", 8 * 3),
        ("ch03-rq1-decomposition-cost", "tatoeba-", 12 * 3),
        ("ch04-rq2-reuse", "translation-", 3 * 3),
        ("ch05-rq3-replacement", "translation-", 3 * 3),
    ]

    @Test("translation units in the quick plan", arguments: expected.indices)
    func translationUnits(_ i: Int) throws {
        let e = Self.expected[i]
        let exe = CLIRunner.executable.deletingLastPathComponent().appendingPathComponent(e.chapter).path
        let out = try CLIRunner.run(["--profile", "quick", "--results", s.path("results"), "--list-jobs"], in: Shared.packageRoot.path,
                                    environment: ["SHARED_DIR": Shared.root.path, "DATA_DIR": s.path("no-data"), "ZOO_DIR": s.path("zoo")], executable: exe)
        try #require(out.status == 0, "\(out.stderr)")
        let ids = out.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").last.map(String.init) }
        #expect(ids.filter { $0.hasPrefix(e.prefix) }.count == e.units, "\(e.chapter)")
    }
}
