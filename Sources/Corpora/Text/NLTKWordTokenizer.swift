import Foundation

/// NLTK 3.8.1's `word_tokenize(text)` = Punkt sentence split, then `NLTKWordTokenizer.tokenize`
/// on each sentence (nltk/tokenize/destructive.py, nltk 3.8.1).
///
/// The word-level rules are NLTK's regular expressions, applied in NLTK's order with the same
/// substitutions (ICU regex syntax, which agrees with Python's `re` on every construct used
/// here). A rule whose trigger characters are absent from the text cannot match and is skipped,
/// which keeps tokenizing fast.
///
/// Where it differs from NLTK:
/// - Sentence splitting. NLTK uses the pre-trained Punkt model (english.pickle), which is not
///   available here. A text with no `.`, `?` or `!` is one sentence for Punkt too, so the
///   result is exact for such text — that includes every cleaned Clinc utterance (the recipe
///   deletes `?` and `!`, and no utterance has a `.`). With sentence punctuation, `sentences`
///   applies a simplified Punkt rule: break after a token ending in `.`, `?` or `!` (closing
///   quotes/brackets allowed) when the next token starts with an upper-case letter, a digit or
///   an opening quote, unless the token is a single-letter initial or a common abbreviation.
/// - `convert_parentheses` and `return_str` options are not offered (word_tokenize uses neither).
public struct NLTKWordTokenizer: Sendable {
    public init() {}

    /// `nltk.word_tokenize(text)` (language "english", preserve_line false).
    public func wordTokenize(_ text: String) -> [String] {
        sentences(text).flatMap { tokenize($0) }
    }

    /// `NLTKWordTokenizer().tokenize(sentence)`.
    public func tokenize(_ sentence: String) -> [String] {
        var text = sentence
        for rule in Self.startingQuotes { rule.apply(&text) }
        for rule in Self.punctuation { rule.apply(&text) }
        Self.parensBrackets.apply(&text)
        Self.doubleDashes.apply(&text)
        text = " " + text + " "
        for rule in Self.endingQuotes { rule.apply(&text) }
        for rule in Self.contractions { rule.apply(&text) }
        return text.split(whereSeparator: { $0.isWhitespace }).map(String.init)
    }

    // MARK: - NLTK 3.8.1's rules (destructive.py), Python template `\1` written as `$1`

    static let startingQuotes: [RegexRule] = [
        RegexRule(#"([«“‘„]|[`]+)"#, " $1 ", triggers: "«“‘„`"),
        RegexRule(#"^\""#, "``", triggers: "\""),
        RegexRule(#"(``)"#, " $1 ", triggers: "`"),
        RegexRule(#"([ \(\[{<])(\"|\'{2})"#, "$1 `` ", triggers: "\"'"),
        RegexRule(#"(?i)(\')(?!re|ve|ll|m|t|s|d|n)(\w)\b"#, "$1 $2", triggers: "'"),
    ]

    static let punctuation: [RegexRule] = [
        RegexRule(#"([^\.])(\.)([\]\)}>"\'»”’ ]*)\s*$"#, "$1 $2 $3 ", triggers: "."),
        RegexRule(#"([:,])([^\d])"#, " $1 $2", triggers: ":,"),
        RegexRule(#"([:,])$"#, " $1 ", triggers: ":,"),
        RegexRule(#"\.{2,}"#, " $0 ", triggers: "."),
        RegexRule(#"[;@#\$%&]"#, " $0 ", triggers: ";@#$%&"),
        RegexRule(#"([^\.])(\.)([\]\)}>"\']*)\s*$"#, "$1 $2$3 ", triggers: "."),
        RegexRule(#"[?!]"#, " $0 ", triggers: "?!"),
        RegexRule(#"([^'])' "#, "$1 ' ", triggers: "'"),
        RegexRule(#"[*]"#, " $0 ", triggers: "*"),
    ]

    static let parensBrackets = RegexRule(#"[\]\[\(\)\{\}\<\>]"#, " $0 ", triggers: "[](){}<>")
    static let doubleDashes = RegexRule(#"--"#, " -- ", triggers: "-")

    static let endingQuotes: [RegexRule] = [
        RegexRule(#"([»”’])"#, " $1 ", triggers: "»”’"),
        RegexRule(#"''"#, " '' ", triggers: "'"),
        RegexRule(#"""#, " '' ", triggers: "\""),
        RegexRule(#"([^' ])('[sS]|'[mM]|'[dD]|') "#, "$1 $2 ", triggers: "'"),
        RegexRule(#"([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) "#, "$1 $2 ", triggers: "'"),
    ]

    /// MacIntyre contractions: CONTRACTIONS2 then CONTRACTIONS3 (CONTRACTIONS4 is unused by
    /// `tokenize` in 3.8.1). Triggers are lower-case words, matched case-insensitively.
    static let contractions: [RegexRule] = [
        RegexRule(#"(?i)\b(can)(?#X)(not)\b"#, " $1 $2 ", words: ["cannot"]),
        RegexRule(#"(?i)\b(d)(?#X)('ye)\b"#, " $1 $2 ", words: ["d'ye"]),
        RegexRule(#"(?i)\b(gim)(?#X)(me)\b"#, " $1 $2 ", words: ["gimme"]),
        RegexRule(#"(?i)\b(gon)(?#X)(na)\b"#, " $1 $2 ", words: ["gonna"]),
        RegexRule(#"(?i)\b(got)(?#X)(ta)\b"#, " $1 $2 ", words: ["gotta"]),
        RegexRule(#"(?i)\b(lem)(?#X)(me)\b"#, " $1 $2 ", words: ["lemme"]),
        RegexRule(#"(?i)\b(more)(?#X)('n)\b"#, " $1 $2 ", words: ["more'n"]),
        RegexRule(#"(?i)\b(wan)(?#X)(na)(?=\s)"#, " $1 $2 ", words: ["wanna"]),
        RegexRule(#"(?i) ('t)(?#X)(is)\b"#, " $1 $2 ", words: ["'tis"]),
        RegexRule(#"(?i) ('t)(?#X)(was)\b"#, " $1 $2 ", words: ["'twas"]),
    ]
}

/// One `re.sub(pattern, template, text)` step with a cheap pre-check.
struct RegexRule: @unchecked Sendable {
    let regex: NSRegularExpression
    let template: String
    private let triggerScalars: Set<Unicode.Scalar>
    private let triggerWords: [String]

    init(_ pattern: String, _ template: String, triggers: String) {
        regex = try! NSRegularExpression(pattern: pattern)
        self.template = template
        triggerScalars = Set(triggers.unicodeScalars)
        triggerWords = []
    }

    init(_ pattern: String, _ template: String, words: [String]) {
        regex = try! NSRegularExpression(pattern: pattern)
        self.template = template
        triggerScalars = []
        triggerWords = words
    }

    private func mayMatch(_ text: String) -> Bool {
        if !triggerWords.isEmpty {
            let lower = text.lowercased()
            return triggerWords.contains { lower.contains($0) }
        }
        return text.unicodeScalars.contains { triggerScalars.contains($0) }
    }

    func apply(_ text: inout String) {
        guard mayMatch(text) else { return }
        let ns = text as NSString
        text = regex.stringByReplacingMatches(in: text, range: NSRange(location: 0, length: ns.length), withTemplate: template)
    }
}

extension NLTKWordTokenizer {
    /// Lower-case abbreviations (without the final period) that do not end a sentence in the
    /// simplified Punkt rule.
    static let abbreviations: Set<String> = [
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "e.g", "i.e", "u.s", "no", "inc", "ltd", "co", "jan",
        "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft", "gen", "gov", "sen", "rep",
    ]

    /// Sentences of `text` (see the type's documentation for how this relates to Punkt).
    public func sentences(_ text: String) -> [String] {
        guard text.unicodeScalars.contains(where: { $0 == "." || $0 == "?" || $0 == "!" }) else {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? [] : [trimmed]
        }
        let words = text.split(whereSeparator: { $0.isWhitespace }).map(String.init)
        var out: [String] = []
        var current: [String] = []
        for (i, w) in words.enumerated() {
            current.append(w)
            guard i + 1 < words.count, endsSentence(w), startsSentence(words[i + 1]) else { continue }
            out.append(current.joined(separator: " "))
            current = []
        }
        if !current.isEmpty { out.append(current.joined(separator: " ")) }
        return out
    }

    private func endsSentence(_ word: String) -> Bool {
        var core = Substring(word)
        while let last = core.last, "\"')]}’”".contains(last) { core = core.dropLast() }
        guard let last = core.last, ".?!".contains(last) else { return false }
        if last != "." { return true }
        let stem = core.dropLast().lowercased()
        if stem.count == 1, stem.first!.isLetter { return false }          // an initial: "J."
        if Self.abbreviations.contains(stem) { return false }
        return !stem.isEmpty
    }

    private func startsSentence(_ word: String) -> Bool {
        guard let first = word.first else { return false }
        return first.isUppercase || first.isNumber || "\"'“‘(`".contains(first)
    }
}
