/// Where `padSequences` adds padding or cuts a long sequence.
public enum PadSide: String, Codable, Sendable { case pre, post }

/// Keras' `pad_sequences`: each sequence is cut to `maxLength` (`truncating` says which end is
/// dropped) and filled with `value` on the `padding` side. `maxLength` nil = the longest.
/// Returns the rows concatenated, row-major, `count × maxLength`.
public func padSequences(_ sequences: [[Int]], maxLength: Int? = nil, padding: PadSide = .pre,
                         truncating: PadSide = .pre, value: Int32 = 0) -> [Int32] {
    let length = maxLength ?? (sequences.map(\.count).max() ?? 0)
    var out = [Int32](repeating: value, count: sequences.count * length)
    for (r, s) in sequences.enumerated() where !s.isEmpty && length > 0 {
        let kept = s.count <= length ? s[...] : (truncating == .pre ? s[(s.count - length)...] : s[..<length])
        let start = r * length + (padding == .post ? 0 : length - kept.count)
        for (j, v) in kept.enumerated() { out[start + j] = Int32(v) }
    }
    return out
}
