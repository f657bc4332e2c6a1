import Foundation

/// A recorded unit computed again and compared with its record (`--verify ID`): how a reader
/// checks on their own machine that a number of the record is what the code gives.
public struct UnitVerification: Sendable, Equatable {
    public var unit: String
    /// The commit the record names (the one that computed it now is this build's).
    public var recordedCommit: String
    /// Where the two results differ (`result.composed: recorded 0.9934, now 0.9936`), at most
    /// `ResultComparison.limit` of them; empty when they are identical.
    public var differences: [String]
    public var identical: Bool { differences.isEmpty }
}

/// Compares two results as the JSON their files hold, value by value: numbers are written
/// in their shortest exact form, so equal text is equal bits. Keys ending in `Seconds` are
/// timings (chapter 2's `trainSeconds`), never results, and are skipped.
enum ResultComparison {
    static let limit = 5

    static func differences(recorded: Data, now: Data) throws -> [String] {
        let a = try JSONSerialization.jsonObject(with: recorded, options: [.fragmentsAllowed])
        let b = try JSONSerialization.jsonObject(with: now, options: [.fragmentsAllowed])
        var out: [String] = []
        walk(a, b, path: "result", into: &out)
        return out
    }

    private static func walk(_ a: Any, _ b: Any, path: String, into out: inout [String]) {
        guard out.count < limit else { return }
        switch (a, b) {
        case let (x as [String: Any], y as [String: Any]):
            for key in Set(x.keys).union(y.keys).sorted() where !key.hasSuffix("Seconds") {
                switch (x[key], y[key]) {
                case let (u?, v?): walk(u, v, path: "\(path).\(key)", into: &out)
                case let (u?, nil): out.append("\(path).\(key): recorded \(text(u)), now absent")
                case let (nil, v?): out.append("\(path).\(key): not recorded, now \(text(v))")
                case (nil, nil): break
                }
                if out.count >= limit { return }
            }
        case let (x as [Any], y as [Any]):
            guard x.count == y.count else { out.append("\(path): recorded \(x.count) values, now \(y.count)"); return }
            for (i, (u, v)) in zip(x, y).enumerated() { walk(u, v, path: "\(path)[\(i)]", into: &out) }
        default:
            if text(a) != text(b) { out.append("\(path): recorded \(text(a)), now \(text(b))") }
        }
    }

    /// A leaf as one line of JSON (a container that replaced a leaf, compactly).
    private static func text(_ v: Any) -> String {
        if v is NSNull { return "null" }
        if let s = v as? String { return "\"\(s)\"" }
        if let data = try? JSONSerialization.data(withJSONObject: v, options: [.fragmentsAllowed, .sortedKeys]) {
            return String(decoding: data, as: UTF8.self)
        }
        return "\(v)"
    }
}
