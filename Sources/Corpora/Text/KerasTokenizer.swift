/// Keras' `tf.keras.preprocessing.text.Tokenizer` (tf_keras 2.21 semantics, which the paper's
/// Keras 2.8 shares):
/// - a string is lower-cased (`lower`), each character of `filters` becomes `split`, and the
///   text is split on `split` with empty pieces dropped (`text_to_word_sequence`);
/// - a token list is only lower-cased (filters do not apply, as in Keras);
/// - `wordIndex`: words by descending count, ties in first-seen order (Python's stable sort),
///   from 1; the OOV token, when given, is put first (index 1);
/// - `textsToSequences`: unknown words map to the OOV index (or are dropped without one), and
///   with `numWords = N` any index `>= N` becomes the OOV index (or is dropped).
/// Fitting twice accumulates counts, so "fit on train, then test" equals fitting on both.
public struct KerasTokenizer: Sendable {
    /// Keras' default filter string: ``!"#$%&()*+,-./:;<=>?@[\]^_`{|}~`` plus tab and newline.
    public static let defaultFilters = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n"

    public var numWords: Int?
    public var filters: String
    public var lower: Bool
    public var split: String
    public var oovToken: String?

    /// Word counts in first-seen order (Keras' `OrderedDict`).
    public private(set) var wordCounts: [(word: String, count: Int)] = []
    private var countSlot: [String: Int] = [:]
    public private(set) var documentCount = 0
    /// word → index, built after every fit.
    public private(set) var wordIndex: [String: Int] = [:]
    /// index → word (`indexWord[0]` is "", Keras' padding).
    public private(set) var indexWord: [String] = [""]
    private let filterSet: Set<Unicode.Scalar>

    public init(numWords: Int? = nil, filters: String = KerasTokenizer.defaultFilters, lower: Bool = true,
                split: String = " ", oovToken: String? = nil) {
        self.numWords = numWords
        self.filters = filters
        self.lower = lower
        self.split = split
        self.oovToken = oovToken
        filterSet = Set(filters.unicodeScalars)
    }

    /// Keras' `text_to_word_sequence` with this tokenizer's settings. Works on Unicode scalars,
    /// as Python does on code points (a filter character followed by a combining mark still splits).
    public func wordSequence(_ text: String) -> [String] {
        let lowered = lower ? text.lowercased() : text
        let sep = Array(split.unicodeScalars)
        guard sep.count == 1 else {
            // Multi-character separators: translate filters, then split on the whole string.
            var mapped = String.UnicodeScalarView()
            for u in lowered.unicodeScalars { mapped.append(filterSet.contains(u) ? " " : u) }
            return String(mapped).components(separatedBy: split).filter { !$0.isEmpty }
        }
        var out: [String] = []
        var current = String.UnicodeScalarView()
        for u in lowered.unicodeScalars {
            if u == sep[0] || filterSet.contains(u) {
                if !current.isEmpty { out.append(String(current)); current = String.UnicodeScalarView() }
            } else {
                current.append(u)
            }
        }
        if !current.isEmpty { out.append(String(current)) }
        return out
    }

    public mutating func fit(texts: [String]) {
        for t in texts { count(wordSequence(t)) }
        rebuildIndex()
    }

    public mutating func fit(tokenLists: [[String]]) {
        for t in tokenLists { count(lower ? t.map { $0.lowercased() } : t) }
        rebuildIndex()
    }

    private mutating func count(_ words: [String]) {
        documentCount += 1
        for w in words {
            if let slot = countSlot[w] {
                wordCounts[slot].count += 1
            } else {
                countSlot[w] = wordCounts.count
                wordCounts.append((w, 1))
            }
        }
    }

    private mutating func rebuildIndex() {
        // Python's sort(reverse=True) is stable: equal counts keep first-seen order.
        let order = wordCounts.indices.sorted { a, b in
            wordCounts[a].count != wordCounts[b].count ? wordCounts[a].count > wordCounts[b].count : a < b
        }
        var vocabulary = oovToken.map { [$0] } ?? []
        vocabulary.append(contentsOf: order.map { wordCounts[$0].word })
        // `dict(zip(vocab, range(1, …)))`: a word listed twice (the OOV token also counted as
        // a word) keeps its last index.
        wordIndex = [:]
        indexWord = [""]
        for (i, w) in vocabulary.enumerated() {
            wordIndex[w] = i + 1
            indexWord.append(w)
        }
    }

    private var oovIndex: Int? { oovToken.flatMap { wordIndex[$0] } }

    public func sequences(texts: [String]) -> [[Int]] { texts.map { encode(wordSequence($0)) } }

    public func sequences(tokenLists: [[String]]) -> [[Int]] {
        tokenLists.map { encode(lower ? $0.map { $0.lowercased() } : $0) }
    }

    private func encode(_ words: [String]) -> [Int] {
        let oov = oovIndex
        var out: [Int] = []
        out.reserveCapacity(words.count)
        for w in words {
            if let i = wordIndex[w] {
                if let n = numWords, n > 0, i >= n {
                    if let oov { out.append(oov) }
                } else {
                    out.append(i)
                }
            } else if let oov {
                out.append(oov)
            }
        }
        return out
    }

    /// The embedding input size a model needs: `numWords` when set, else the index size + 1.
    public var embeddingInputSize: Int { numWords ?? (wordIndex.count + 1) }
}
