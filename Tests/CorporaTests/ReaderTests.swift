import Foundation
import Testing
@testable import Corpora

@Suite("CSV and JSON readers")
struct ReaderTests {
    @Test func rfc4180Quoting() throws {
        let text = "id,text,n\r\n1,\"a, \"\"quoted\"\"\nline\",0\n2,plain,1\n3,\"\",1"
        let r = try CSVReader.parse(text, file: "t.csv", expectedFields: 3)
        #expect(r.map(\.fields) == [["id", "text", "n"], ["1", "a, \"quoted\"\nline", "0"], ["2", "plain", "1"], ["3", "", "1"]])
        #expect(r.map(\.line) == [1, 2, 4, 5])   // the record after an embedded newline starts on line 4
    }

    @Test func csvErrorsNameFileAndLine() {
        #expect(throws: CorporaError.malformedCSV(file: "t.csv", line: 3, detail: "quoted field never closed")) {
            try CSVReader.parse("a,b\n1,2\n3,\"open\n4,5\n", file: "t.csv")
        }
        #expect(throws: CorporaError.malformedCSV(file: "t.csv", line: 2, detail: "text after a closing quote")) {
            try CSVReader.parse("a,b\n\"x\"y,2\n", file: "t.csv")
        }
        #expect(throws: CorporaError.malformedCSV(file: "t.csv", line: 3, detail: "1 fields, expected 2")) {
            try CSVReader.parse("a,b\n1,2\nlonely\n", file: "t.csv", expectedFields: 2)
        }
    }

    @Test func jsonSyntaxErrorGivesLine() {
        let data = Data("[\n {\"a\": 1},\n {\"b\" 2}\n]".utf8)
        do {
            _ = try JSONDocument.parse(data, file: "x.json")
            Issue.record("parsed malformed JSON")
        } catch let CorporaError.malformedJSON(file, line, _) {
            #expect(file == "x.json")
            #expect(line == 3)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func jsonElementLinesAndKeys() {
        let data = Data("[\n  {\"a\": \"x,]\"},\n  {\"b\": [1, 2]}, 3\n]".utf8)
        #expect(JSONDocument.elementLines(data) == [2, 3, 3])
        #expect(JSONDocument.objectKeys(Data("{\"z\": {\"in\": 1}, \"a\": [\"s\"], \"m\\\"q\": 2}".utf8)) == ["z", "a", "m\"q"])
    }
}
