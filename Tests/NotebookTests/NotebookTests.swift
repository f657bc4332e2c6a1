import Foundation
import TestSupport
import Testing
import KitFiles
@testable import Notebook

struct NotebookTests {
    @Test("tables pad columns, right-align numbers and escape pipes")
    func table() {
        var t = MarkdownTable(["model", "acc"], alignments: [.left, .right])
        t.add(["a|b", "0.5"])
        t.add(["long name", "0.25"])
        #expect(t.render() == """
            | model     |  acc |
            | --------- | ---: |
            | a\\|b      |  0.5 |
            | long name | 0.25 |
            """)
    }

    @Test("the provenance block is the only part stripped for determinism checks")
    func provenance() {
        var p = Provenance(command: "ch", profile: "smoke", commit: "abc", machine: "2 cores")
        p.wallSeconds = 1.25
        var r = Report(title: "T", firstLine: "Data: synthetic.", provenance: p, stem: "t")
        r.paragraph("body")
        let text = r.render()
        #expect(text.hasPrefix("# T\n\nData: synthetic.\n\n<!-- provenance:begin -->"))
        #expect(text.contains("- wall time: 1.2 s") || text.contains("- wall time: 1.3 s"))
        p.wallSeconds = 99
        var r2 = Report(title: "T", firstLine: "Data: synthetic.", provenance: p, stem: "t")
        r2.paragraph("body")
        #expect(text != r2.render() && Provenance.strip(text) == Provenance.strip(r2.render()))
    }

    @Test("charts: same data, same bytes; text escaped")
    func charts() {
        let bars = [SVGChart.Bar(label: "LSTM <1>", value: -1.5, reference: 0.2), .init(label: "GRU", value: 2)]
        let a = SVGChart.bars(bars, title: "δ", unit: "points"), b = SVGChart.bars(bars, title: "δ", unit: "points")
        #expect(a == b && a.contains("LSTM &lt;1&gt;") && a.hasPrefix("<svg") && a.hasSuffix("</svg>\n"))
        #expect(a.components(separatedBy: "<rect").count - 1 == 3, "background + two bars")
        let s = SVGChart.scatter([.init(x: 0.1, y: 0.2, label: "m")], title: "t", xLabel: "paper", yLabel: "ours")
        #expect(s.contains("<circle"))
    }

    @Test("number formats")
    func formats() {
        #expect(Format.grouped(1234567) == "1,234,567" && Format.grouped(-1000) == "-1,000" && Format.grouped(12) == "12")
        #expect(Format.signedPoints(0.5) == "+0.50" && Format.signedPoints(-2) == "-2.00" && Format.signedPoints(-0.001) == "+0.00")
        #expect(Format.fixed(0.123456, 3) == "0.123" && Format.sci(3.4e-7) == "3.4e-07" && Format.sci(0) == "0")
    }

    @Test("atomic text writes leave no temporary file and create folders")
    func atomic() throws {
        let dir = TestScratch.root.appendingPathComponent("nb-\(UUID().uuidString)/sub").path
        try writeTextAtomically("x", to: dir + "/r.md")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["r.md"])
    }
}
