import Foundation
import Notebook
import TestSupport
import Testing

/// The structure of a chapter report: its headings, each table's header row and column count,
/// and each body row's label (first cell) — not its numbers. Measurements in headings and
/// labels (decimals, numbers of 3 or more digits) are written `N`, so a retrained model or
/// another seed changes no snapshot; a renamed section, column or row does. The provenance
/// block is left out.
enum ReportStructure {
    static func of(_ report: String) -> String {
        var out: [String] = []
        var inTable = false, inProvenance = false, row = 0
        for line in report.components(separatedBy: "\n") {
            if line.hasPrefix(Provenance.begin) { inProvenance = true; continue }
            if line.hasPrefix(Provenance.end) { inProvenance = false; continue }
            if inProvenance { continue }
            guard line.hasPrefix("|") else {
                inTable = false
                if line.hasPrefix("#") { out.append(mask(line)) }
                continue
            }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                .map { $0.trimmingCharacters(in: .whitespaces) }
            if !inTable {
                inTable = true; row = 0
                out.append("table (\(cells.count) columns): " + cells.map(mask).joined(separator: " | "))
            } else if !(row == 1 && cells.allSatisfy({ $0.allSatisfy { "-: ".contains($0) } })) {   // not the |---| line
                out.append("  row: " + mask(cells.first ?? ""))
            }
            row += 1
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// Decimals and numbers of 3+ digits (with thousands commas, sign, exponent) → `N`.
    static func mask(_ s: String) -> String {
        s.replacingOccurrences(of: #"[-+−]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?([eE][-+]?\d+)?"#, with: "\u{0}$0\u{0}", options: .regularExpression)
            .split(separator: "\u{0}", omittingEmptySubsequences: false).enumerated()
            .map { i, part in
                guard i % 2 == 1 else { return String(part) }
                let digits = part.filter(\.isNumber).count
                return part.contains(".") || part.contains(",") || part.contains("e") || part.contains("E") || digits >= 3 ? "N" : String(part)
            }.joined()
    }
}

/// Snapshot files under Tests/CLITests/Snapshots, compared byte for byte.
/// `UPDATE_SNAPSHOTS=1` (what `make snapshots` sets) rewrites them instead of comparing.
enum Snapshots {
    static let directory = Shared.packageRoot.appendingPathComponent("Tests/CLITests/Snapshots")
    static var updating: Bool { ProcessInfo.processInfo.environment["UPDATE_SNAPSHOTS"] == "1" }

    static func check(_ text: String, name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = directory.appendingPathComponent(name)
        if updating {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
            print("snapshot written: \(url.path)")
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("no snapshot \(url.path): run `make snapshots` and commit it", sourceLocation: sourceLocation)
            return
        }
        if text != expected {
            let (a, b) = (expected.components(separatedBy: "\n"), text.components(separatedBy: "\n"))
            let first = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
            Issue.record("""
                \(name) differs from the snapshot at line \(first + 1): expected "\(first < a.count ? a[first] : "<end>")", \
                got "\(first < b.count ? b[first] : "<end>")". If the change is meant, run `make snapshots` and commit the file.
                """, sourceLocation: sourceLocation)
        }
    }
}

struct ReportStructureTests {
    @Test("headings, table headers and row labels are kept; numbers and provenance are not")
    func structureOfAReport() {
        let report = """
            # Chapter 9 — a title with 4,500 examples
            text that is left out: 0.93
            \(Provenance.begin)
            | host | x |
            \(Provenance.end)
            ## LSTM-1 at cap 0.05

            | model | correct | accuracy |
            | ----- | ------: | -------: |
            | gru_models/model1.h5 | 4255 / 4500 | 0.945556 |
            | 0.5 | 1 | 2 |
            """
        #expect(ReportStructure.of(report) == """
            # Chapter 9 — a title with N examples
            ## LSTM-1 at cap N
            table (3 columns): model | correct | accuracy
              row: gru_models/model1.h5
              row: N

            """)
        #expect(ReportStructure.mask("RNN-2, 1:1, 0 gain, 123, -0.25, 1e-5") == "RNN-2, 1:1, 0 gain, N, N, N")
    }
}
