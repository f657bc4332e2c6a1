import Foundation
import Testing
@testable import Corpora

/// Developer tool, off unless `CORPORA_EXPORT_DIR` is set: loads every real data set with the
/// paper profile, reports the time, and writes `<name>.h5` there (for comparing with the Python
/// recipe). Run in release for the load-time budget.
@Suite struct ExportAndTiming {
    static let exportDir = ProcessInfo.processInfo.environment["CORPORA_EXPORT_DIR"]

    @Test(.enabled(if: exportDir != nil && Shared.available, "set CORPORA_EXPORT_DIR to export all data sets"))
    func exportAll() throws {
        let dir = URL(fileURLWithPath: Self.exportDir!)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var report: [String] = []
        let start = Date()
        for name in Corpora.realNames + ["tatoeba_estonian/s2"] {
            let t0 = Date()
            let d = try Corpora.load(name: name, profile: .paper, locator: Shared.locator)
            let s = d.summary
            report.append("\(name): \(String(format: "%.2f", Date().timeIntervalSince(t0))) s, train \(s.trainCount), test \(s.testCount), "
                          + "val \(s.validationCount), classes \(s.numClasses), vocab \(s.vocabSize), "
                          + "target vocab \(d.translation?.targetVocabSize ?? 0), recipe extras \(d.recipe["word_index_size"]?.jsonString ?? "-")")
            try DatasetFile.write(d, to: dir.appendingPathComponent(name.replacingOccurrences(of: "/", with: "_") + ".h5").path)
        }
        report.append("total load+write: \(String(format: "%.2f", Date().timeIntervalSince(start))) s")
        // Hashing every manifest file (what `data verify` does).
        let h0 = Date()
        var bytes = 0
        for name in Corpora.realNames {
            let m = try Shared.locator.manifests.manifest(named: name)
            try Shared.locator.verify(m)
            bytes += m.files.reduce(0) { $0 + $1.bytes }
        }
        report.append("sha256 of all \(bytes) bytes: \(String(format: "%.3f", Date().timeIntervalSince(h0))) s")
        try report.joined(separator: "\n").write(to: dir.appendingPathComponent("report.txt"), atomically: true, encoding: .utf8)
        #expect(report.count == Corpora.realNames.count + 3)
    }
}
