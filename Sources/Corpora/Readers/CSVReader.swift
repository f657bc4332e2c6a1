/// RFC 4180 CSV: fields separated by commas, records by CRLF or LF; a field in double quotes
/// may hold commas, line breaks and doubled quotes (`""` = `"`). A quote inside an unquoted
/// field is kept literally (as Python's csv module does); text after a closing quote, an
/// unterminated quote and a record with the wrong number of fields are errors naming the
/// line where the record starts.
struct CSVReader {
    struct Record {
        let line: Int
        let fields: [String]
    }

    /// All records, header included. `file` is only used in errors.
    static func parse(_ text: String, file: String, expectedFields: Int? = nil) throws -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = [UInt8]()
        var line = 1, recordLine = 1
        var inQuotes = false, afterQuote = false, fieldStarted = false
        let bytes = Array(text.utf8)
        var i = 0

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            afterQuote = false
            fieldStarted = false
        }
        func endRecord() throws {
            endField()
            if let n = expectedFields, fields.count != n {
                throw CorporaError.malformedCSV(file: file, line: recordLine, detail: "\(fields.count) fields, expected \(n)")
            }
            records.append(Record(line: recordLine, fields: fields))
            fields = []
        }

        while i < bytes.count {
            let b = bytes[i]
            if inQuotes {
                if b == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\"") { field.append(b); i += 2; continue }
                    inQuotes = false; afterQuote = true
                } else {
                    if b == UInt8(ascii: "\n") { line += 1 }
                    field.append(b)
                }
                i += 1
                continue
            }
            switch b {
            case UInt8(ascii: ","):
                endField()
            case UInt8(ascii: "\r") where i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\n"):
                i += 1
                fallthrough
            case UInt8(ascii: "\n"):
                try endRecord()
                line += 1
                recordLine = line
            case UInt8(ascii: "\"") where !fieldStarted:
                inQuotes = true; fieldStarted = true
            default:
                if afterQuote {
                    throw CorporaError.malformedCSV(file: file, line: line, detail: "text after a closing quote")
                }
                field.append(b); fieldStarted = true
            }
            i += 1
        }
        if inQuotes { throw CorporaError.malformedCSV(file: file, line: recordLine, detail: "quoted field never closed") }
        if fieldStarted || !fields.isEmpty || afterQuote { try endRecord() }
        return records
    }
}
