import Foundation

/// Formats numbers the same way in every report.
public enum Format {
    /// Fixed decimals (e.g. accuracies, BLEU).
    public static func fixed(_ v: Double, _ digits: Int = 4) -> String { String(format: "%.\(digits)f", v) }
    /// Scientific notation for tiny differences (e.g. parity).
    public static func sci(_ v: Double) -> String { v == 0 ? "0" : String(format: "%.1e", v) }
    /// 1234567 → "1,234,567".
    public static func grouped(_ n: Int) -> String {
        let s = String(abs(n))
        let g = s.enumerated().map { i, c in (i > 0 && (s.count - i) % 3 == 0 ? "," : "") + String(c) }.joined()
        return (n < 0 ? "-" : "") + g
    }
    /// Per-language values in language order, e.g. "de 0.0416, fr 0.0517".
    public static func perLanguage(_ values: [String: Double], _ digits: Int = 4) -> String {
        values.sorted { $0.key < $1.key }.map { "\($0.key) \(fixed($0.value, digits))" }.joined(separator: ", ")
    }
    /// Percentage points with sign, e.g. "+0.52".
    public static func signedPoints(_ v: Double, _ digits: Int = 2) -> String {
        let s = String(format: "%+.\(digits)f", v)
        // A value that rounds to zero prints as +0.00, never -0.00.
        return Double(s) == 0 ? String(format: "%+.\(digits)f", 0.0) : s
    }
}
