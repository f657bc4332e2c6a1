// Corpus BLEU, reproducing NLTK 3.8.1 `nltk.translate.bleu_score.corpus_bleu` with no
// smoothing (ALGORITHMS.md §3). The authors computed their translation tables with it
// (`evaluation/calculate_bleu.py` of their repository).
//
// What NLTK 3.8.1 does, and so what this file does, for a corpus of hypotheses h_k, each
// with one or more references:
//   • For n = 1…N and every h_k: count(g) = occurrences of n-gram g in h_k; clip(g) =
//     min(count(g), max over the references of the occurrences of g in that reference).
//     matches_n += Σ_g clip(g);  totals_n += max(1, Σ_g count(g)).
//     So a hypothesis shorter than n adds 0 matches and **1** to the total of order n.
//   • c = Σ |h_k|, r = Σ closest reference length (ties go to the shorter reference).
//   • BP = 1 if c > r; 0 if c = 0; else exp(1 − r/c).
//   • If matches_1 = 0 the score is exactly 0 (NLTK returns the integer 0, no warning).
//   • Otherwise p_n = matches_n / totals_n, except that an order with matches_n = 0 gets
//     p_n = sys.float_info.min = 2.2250738585072014e-308 (NLTK warns "The hypothesis contains
//     0 counts of n-gram overlaps…" and the score is tiny but **not zero**, e.g. ≈1e-78 for
//     uniform 4-gram weights with one empty order).
//   • BLEU = BP · exp(fsum_n w_n · log p_n), with `math.fsum` (here `exactSum`).
//   • An empty corpus raises ZeroDivisionError in NLTK (here `MetricsError.empty`); a
//     hypothesis with no reference raises KeyError/ValueError (here `MetricsError.empty`).

import Foundation

// MARK: - Weights

/// Weight vectors for `BLEUStatistics.score(weights:)`.
public enum BLEUWeights {
    /// `n` equal weights `1.0 / n` (Python `(1 / n,) * n`), i.e. the geometric mean of the
    /// 1…n-gram precisions. This is "n-gram BLEU" everywhere in the kit.
    public static func uniform(_ n: Int) -> [Double] {
        Array(repeating: 1.0 / Double(max(n, 1)), count: max(n, 0))
    }

    /// The four weight vectors of the authors' `evaluation/calculate_bleu.py`, reported there
    /// as '1-grams', '1-2-grams', '1-3-grams', '1-4-grams'. The first, second and fourth equal
    /// `uniform(1)`, `uniform(2)`, `uniform(4)` in value; the third is **0.3 ×3**, not 1/3, so
    /// its score differs from `uniform(3)`.
    public static let authors: [[Double]] = [
        [1.0, 0, 0, 0],
        [0.5, 0.5, 0, 0],
        [0.3, 0.3, 0.3, 0],
        [0.25, 0.25, 0.25, 0.25],
    ]
}

// MARK: - Sufficient statistics

/// The corpus-level counts BLEU is computed from; accumulate sentence by sentence with
/// `add(references:hypothesis:)`, then `score(weights:)` as often as needed.
public struct BLEUStatistics: Sendable, Equatable {
    /// The highest n-gram order counted.
    public let maxN: Int
    /// `matches[n-1]`: clipped n-gram matches of order n, summed over the corpus
    /// (NLTK's `p_numerators[n]`).
    public private(set) var matches: [Int]
    /// `totals[n-1]`: Σ max(1, number of n-grams of the hypothesis) over the corpus
    /// (NLTK's `p_denominators[n]`).
    public private(set) var totals: [Int]
    /// c, the total hypothesis length in tokens.
    public private(set) var hypothesisLength = 0
    /// r, the total of the closest reference lengths.
    public private(set) var referenceLength = 0
    /// Number of hypotheses added.
    public private(set) var sentenceCount = 0

    /// Empty statistics counting n-grams of order 1…maxN.
    /// - Throws: `MetricsError.invalidArgument` when `maxN < 1`.
    public init(maxN: Int = 4) throws {
        guard maxN >= 1 else {
            throw MetricsError.invalidArgument(metric: "BLEU", detail: "maxN must be at least 1, got \(maxN)")
        }
        self.maxN = maxN
        self.matches = Array(repeating: 0, count: maxN)
        self.totals = Array(repeating: 0, count: maxN)
    }

    /// The statistics of a whole corpus: `references[k]` are the reference token lists of
    /// `hypotheses[k]`.
    /// - Throws: `MetricsError.countMismatch` when the corpus sizes differ,
    ///   `MetricsError.empty` when a hypothesis has no reference,
    ///   `MetricsError.invalidArgument` when `maxN < 1`.
    public init(references: [[[String]]], hypotheses: [[String]], maxN: Int = 4) throws {
        try self.init(maxN: maxN)
        guard references.count == hypotheses.count else {
            throw MetricsError.countMismatch(metric: "BLEU", what: "references (one list per hypothesis)",
                                             expected: hypotheses.count, found: references.count)
        }
        var vocabulary = Vocabulary()
        for k in hypotheses.indices {
            let refs = references[k].map { vocabulary.ids($0) }
            try add(references: refs, hypothesis: vocabulary.ids(hypotheses[k]), index: k)
        }
    }

    /// Adds one hypothesis with its references.
    /// - Throws: `MetricsError.empty` when `references` is empty.
    public mutating func add(references: [[String]], hypothesis: [String]) throws {
        var vocabulary = Vocabulary()
        let refs = references.map { vocabulary.ids($0) }
        try add(references: refs, hypothesis: vocabulary.ids(hypothesis), index: sentenceCount)
    }

    private mutating func add(references: [[Int32]], hypothesis: [Int32], index: Int) throws {
        guard !references.isEmpty else {
            throw MetricsError.empty(metric: "BLEU", detail: "hypothesis \(index) has no reference")
        }
        for n in 1...maxN {
            let (clipped, count) = Self.modifiedPrecision(references: references, hypothesis: hypothesis, n: n)
            matches[n - 1] += clipped
            totals[n - 1] += max(1, count)
        }
        let h = hypothesis.count
        hypothesisLength += h
        // NLTK: min(ref_lens, key=lambda r: (abs(r - h), r)) — closest, ties to the shorter.
        referenceLength += references.lazy.map(\.count).min { a, b in
            (abs(a - h), a) < (abs(b - h), b)
        }!
        sentenceCount += 1
    }

    /// NLTK `modified_precision` as (numerator, number of hypothesis n-grams).
    private static func modifiedPrecision(references: [[Int32]], hypothesis: [Int32], n: Int) -> (Int, Int) {
        guard hypothesis.count >= n else { return (0, 0) }
        var counts: [ArraySlice<Int32>: Int] = [:]
        for i in 0...(hypothesis.count - n) { counts[hypothesis[i..<(i + n)], default: 0] += 1 }
        var maxReferenceCounts: [ArraySlice<Int32>: Int] = [:]
        for reference in references where reference.count >= n {
            var referenceCounts: [ArraySlice<Int32>: Int] = [:]
            for j in 0...(reference.count - n) {
                let gram = reference[j..<(j + n)]
                if counts[gram] != nil { referenceCounts[gram, default: 0] += 1 }
            }
            for (gram, c) in referenceCounts where c > maxReferenceCounts[gram, default: 0] {
                maxReferenceCounts[gram] = c
            }
        }
        var clipped = 0
        for (gram, c) in counts { clipped += min(c, maxReferenceCounts[gram, default: 0]) }
        return (clipped, hypothesis.count - n + 1)
    }

    /// BP: 1 when c > r, 0 when c = 0, otherwise exp(1 − r/c).
    public var brevityPenalty: Double {
        if hypothesisLength > referenceLength { return 1 }
        if hypothesisLength == 0 { return 0 }
        return exp(1 - Double(referenceLength) / Double(hypothesisLength))
    }

    /// The orders n (1-based, ≤ maxN) with no clipped match, for which NLTK 3.8.1 warns
    /// "The hypothesis contains 0 counts of n-gram overlaps" (it warns only when order 1 has
    /// matches; with no unigram match it returns 0 silently). Callers that want the warning
    /// print it themselves.
    public var zeroMatchOrders: [Int] {
        (1...maxN).filter { matches[$0 - 1] == 0 }
    }

    /// BLEU with the given weights (w_1…w_m, m ≤ maxN), exactly as NLTK 3.8.1 computes it.
    /// - Throws: `MetricsError.invalidArgument` when `weights` is empty or longer than `maxN`,
    ///   `MetricsError.empty` when no hypothesis was added (NLTK raises ZeroDivisionError).
    public func score(weights: [Double]) throws -> Double {
        guard (1...maxN).contains(weights.count) else {
            throw MetricsError.invalidArgument(
                metric: "BLEU", detail: "\(weights.count) weight(s) given for statistics of orders 1…\(maxN)")
        }
        guard sentenceCount > 0 else {
            throw MetricsError.empty(metric: "BLEU", detail: "the corpus has no hypothesis")
        }
        if matches[0] == 0 { return 0 }
        let terms = weights.indices.map { i -> Double in
            let p = matches[i] != 0
                ? Double(matches[i]) / Double(totals[i])    // float(Fraction(num, den))
                : Double.leastNormalMagnitude               // sys.float_info.min
            return weights[i] * log(p)
        }
        return brevityPenalty * exp(exactSum(terms))
    }

    /// BLEU with uniform weights over 1…n-grams (`BLEUWeights.uniform(n)`); `n` defaults to `maxN`.
    /// - Throws: as `score(weights:)`.
    public func score(upTo n: Int? = nil) throws -> Double {
        try score(weights: BLEUWeights.uniform(n ?? maxN))
    }
}

/// Interns tokens as small integers so n-grams hash and compare cheaply.
private struct Vocabulary {
    private var table: [String: Int32] = [:]
    mutating func ids(_ tokens: [String]) -> [Int32] {
        tokens.map { token in
            if let id = table[token] { return id }
            let id = Int32(table.count)
            table[token] = id
            return id
        }
    }
}

// MARK: - Corpus BLEU

/// Corpus BLEU with uniform weights over 1…maxN-grams and no smoothing, identical to NLTK
/// 3.8.1 `corpus_bleu(references, hypotheses, weights=(1/maxN,)*maxN)`. `references[k]` holds
/// one or more tokenized references of `hypotheses[k]`. See the top of this file for the edge
/// cases (no unigram match → 0; an order with no match → a tiny positive value, as NLTK).
///
/// - Throws: `MetricsError.countMismatch` when the corpus sizes differ, `MetricsError.empty`
///   for an empty corpus or a hypothesis without reference, `MetricsError.invalidArgument`
///   when `maxN < 1`.
public func corpusBLEU(references: [[[String]]], hypotheses: [[String]], maxN: Int = 4) throws -> Double {
    try BLEUStatistics(references: references, hypotheses: hypotheses, maxN: maxN).score()
}

/// Corpus BLEU of whitespace-tokenized lines: `referenceLines[k]` are the reference sentences
/// of `hypothesisLines[k]`; every line is split as Python's `str.split()` does
/// (`whitespaceTokens`), which is how the authors tokenized references and decoded output.
/// - Throws: as `corpusBLEU(references:hypotheses:maxN:)`.
public func corpusBLEU(referenceLines: [[String]], hypothesisLines: [String], maxN: Int = 4) throws -> Double {
    try corpusBLEU(references: referenceLines.map { $0.map(whitespaceTokens) },
                   hypotheses: hypothesisLines.map(whitespaceTokens), maxN: maxN)
}

/// Corpus BLEU of whitespace-tokenized lines with one reference per hypothesis.
/// - Throws: as `corpusBLEU(references:hypotheses:maxN:)`.
public func corpusBLEU(referenceLines: [String], hypothesisLines: [String], maxN: Int = 4) throws -> Double {
    try corpusBLEU(referenceLines: referenceLines.map { [$0] }, hypothesisLines: hypothesisLines, maxN: maxN)
}

// MARK: - Tokenization

/// Splits `line` on runs of whitespace and drops leading and trailing whitespace, exactly as
/// Python 3's `str.split()` with no argument: the separators are the code points for which
/// `str.isspace()` is true (Unicode White_Space plus U+001C…U+001F). Works on Unicode scalars,
/// so a combining mark after a space does not glue to it.
public func whitespaceTokens(_ line: String) -> [String] {
    var tokens: [String] = []
    var current = String.UnicodeScalarView()
    for scalar in line.unicodeScalars {
        if isPythonWhitespace(scalar) {
            if !current.isEmpty {
                tokens.append(String(current))
                current = String.UnicodeScalarView()
            }
        } else {
            current.append(scalar)
        }
    }
    if !current.isEmpty { tokens.append(String(current)) }
    return tokens
}

/// Python 3.11 `str.isspace()` for one code point (fixed list, independent of the Unicode
/// tables Swift ships).
private func isPythonWhitespace(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
        return true
    default:
        return false
    }
}
