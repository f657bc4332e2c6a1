/// Keras' `TextVectorization(output_mode="int")` as tf_keras 2.21 implements it:
/// - standardize: `tf.strings.lower` (ASCII letters only — "É" stays "É"), then delete every
///   character of a strip set (`lower_and_strip_punctuation` deletes Python's
///   `string.punctuation`);
/// - split on runs of ASCII whitespace (space, \t, \n, \v, \f, \r; not U+00A0);
/// - vocabulary: index 0 = "" (padding), 1 = "[UNK]", then tokens by descending count, ties
///   broken by the token's UTF-8 bytes in *descending* order (`np.lexsort((tokens, counts))[::-1]`
///   in `IndexLookup.finalize_state`), cut to `maxTokens` entries in all;
/// - output: ids, cut or zero-filled at the end to `outputLength`.
public struct TextVectorizer: Sendable {
    /// How text is normalised before splitting.
    public struct Standardization: Sendable, Codable, Equatable {
        public var lowercaseASCII: Bool
        /// Characters deleted after lower-casing.
        public var strip: String

        public init(lowercaseASCII: Bool, strip: String) {
            self.lowercaseASCII = lowercaseASCII
            self.strip = strip
        }

        /// Python's `string.punctuation`.
        public static let punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
        /// Keras' `lower_and_strip_punctuation`.
        public static let lowerAndStripPunctuation = Standardization(lowercaseASCII: true, strip: punctuation)
        /// The paper's target standardization (the Keras translation tutorial's
        /// `custom_standardization`): punctuation and "¿" are deleted, but `[` `]` are kept so
        /// `[startfr]` survives as one token.
        public static let keepBrackets = Standardization(
            lowercaseASCII: true, strip: punctuation.replacingOccurrences(of: "[", with: "").replacingOccurrences(of: "]", with: "") + "¿")
        public static let none = Standardization(lowercaseASCII: false, strip: "")
    }

    public var maxTokens: Int?
    public var outputLength: Int?
    public var standardization: Standardization
    /// Index → token; `vocabulary[0] == ""`, `vocabulary[1] == "[UNK]"`.
    public private(set) var vocabulary: [String] = ["", "[UNK]"]
    private var index: [String: Int] = ["": 0, "[UNK]": 1]
    private let stripSet: Set<Unicode.Scalar>

    public init(maxTokens: Int? = nil, outputLength: Int? = nil, standardization: Standardization = .lowerAndStripPunctuation) {
        self.maxTokens = maxTokens
        self.outputLength = outputLength
        self.standardization = standardization
        stripSet = Set(standardization.strip.unicodeScalars)
    }

    /// Standardized, split tokens of one text.
    public func tokens(_ text: String) -> [String] {
        var out: [String] = []
        var current = String.UnicodeScalarView()
        for var u in text.unicodeScalars {
            if standardization.lowercaseASCII, u.value >= 65, u.value <= 90 { u = Unicode.Scalar(u.value + 32)! }
            if stripSet.contains(u) { continue }
            switch u.value {
            case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D:
                if !current.isEmpty { out.append(String(current)); current = String.UnicodeScalarView() }
            default:
                current.append(u)
            }
        }
        if !current.isEmpty { out.append(String(current)) }
        return out
    }

    /// Builds the vocabulary from `texts` (replacing any earlier one, as Keras' `adapt` does).
    public mutating func adapt(_ texts: [String]) {
        var counts: [String: Int] = [:]
        for t in texts { for w in tokens(t) { counts[w, default: 0] += 1 } }
        counts["[UNK]"] = nil
        counts[""] = nil
        var entries = counts.map { (token: $0.key, bytes: Array($0.key.utf8), count: $0.value) }
        entries.sort { a, b in a.count != b.count ? a.count > b.count : b.bytes.lexicographicallyPrecedes(a.bytes) }
        if let m = maxTokens { entries = Array(entries.prefix(max(0, m - 2))) }
        vocabulary = ["", "[UNK]"] + entries.map(\.token)
        index = [:]
        for (i, w) in vocabulary.enumerated() { index[w] = i }
    }

    /// Ids of one text, unpadded (unknown tokens = 1).
    public func ids(_ text: String) -> [Int] { tokens(text).map { index[$0] ?? 1 } }

    /// Ids of each text, cut or zero-filled at the end to `outputLength` (or the longest),
    /// row-major.
    public func callAsFunction(_ texts: [String]) -> [Int32] {
        padSequences(texts.map(ids), maxLength: outputLength, padding: .post, truncating: .post)
    }

    public var vocabularySize: Int { vocabulary.count }
}
