import Foundation

/// Brown M:N tagging, as the authors' `load_pos_tagged_dataset` (util/nltk_util.py) over
/// `nltk.corpus.brown.tagged_sents(tagset='universal')`:
///
/// Reading, as NLTK's `CategorizedTaggedCorpusReader` does for brown.zip: files `brown/cXNN`
/// in sorted order; paragraphs are separated by blank lines, every non-blank line is a
/// sentence, tokens are whitespace-separated `word/tag` (split at the *rightmost* `/`, tag
/// upper-cased — nltk/tag/util.py `str2tuple`).
///
/// Tag mapping, as nltk/tag/mapping.py `map_tag('en-brown', 'universal', tag)`: one exact
/// look-up of the whole upper-cased tag in `en-brown.map` (from universal_tagset.zip, Petrov et
/// al. 2012). Compound tags (`NN-TL`, `NNS-HL`, `FW-IN`, `BEZ*`, `NP$`, …) have their own lines in
/// the map; a tag absent from it (or a token without `/`) becomes `X`, which is NLTK's
/// `defaultdict` default. NLTK applies no other rule.
///
/// Encoding: Keras `Tokenizer()` fit on the word lists (lower-cased, no filters) and another on
/// the tag lists; pad 15 pre, truncate post; then sklearn `train_test_split(test_size=0.25,
/// random_state=4)`, reproduced exactly with NumPy's MT19937 permutation.
enum BrownLoader {
    struct Recipe: Codable {
        var corpusArchive: String
        var mapArchive: String
        var mapEntry: String
        var filePattern: String
        var wordTokenizer: TokenizerRecipe
        var tagTokenizer: TokenizerRecipe
        var sequence: PadRecipe
        var testFraction: Double
        var splitSeed: UInt32
    }

    static func load(_ ctx: LoadContext) throws -> Dataset {
        let r = try ctx.recipe(Recipe.self)
        let sentences = try taggedSentences(ctx, r)
        var words = r.wordTokenizer.make(), tags = r.tagTokenizer.make()
        let x = sentences.map { $0.map(\.word) }, y = sentences.map { $0.map(\.tag) }
        words.fit(tokenLists: x)
        tags.fit(tokenLists: y)
        let xAll = Int32Tensor(padding: words.sequences(tokenLists: x), r.sequence)
        let yAll = Int32Tensor(padding: tags.sequences(tokenLists: y), r.sequence)
        let (trainIdx, testIdx) = MersenneTwister.sklearnTrainTestSplit(count: sentences.count, testFraction: r.testFraction, seed: r.splitSeed)
        let all = Split(x: xAll, y: yAll)
        return Dataset(name: ctx.manifest.name, task: .manyToMany, train: all.subset(trainIdx), test: all.subset(testIdx),
                       numClasses: tags.wordIndex.count + 1, vocabSize: words.embeddingInputSize, paddingLabel: 0,
                       labelNames: tags.indexWord.enumerated().map { $0.offset == 0 ? "<pad>" : $0.element },
                       vocabulary: words.indexWord,
                       recipe: ctx.manifest.recipe.merging([
                           "sentences": .number(Double(sentences.count)),
                           "word_index_size": .number(Double(words.wordIndex.count)),
                       ]),
                       synthetic: false, source: ctx.manifest.name)
    }

    /// All tagged sentences with universal tags, in NLTK's order.
    static func taggedSentences(_ ctx: LoadContext, _ r: Recipe) throws -> [[(word: String, tag: String)]] {
        let mapZip = try ZipEntries(data: try ctx.data(r.mapArchive), file: r.mapArchive)
        let mapping = try tagMap(try mapZip.text(r.mapEntry), file: "\(r.mapArchive)!\(r.mapEntry)")
        let corpus = try ZipEntries(data: try ctx.data(r.corpusArchive), file: r.corpusArchive)
        let pattern = try NSRegularExpression(pattern: "^" + r.filePattern + "$")
        let files = corpus.paths.filter { p in
            let ns = p as NSString
            return pattern.firstMatch(in: p, range: NSRange(location: 0, length: ns.length)) != nil
        }.sorted()
        var out: [[(word: String, tag: String)]] = []
        for f in files {
            let text = try corpus.text(f)
            for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
                let tokens = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\u{0B}" || $0 == "\u{0C}" })
                if tokens.isEmpty { continue }   // a blank line only separates paragraphs
                out.append(tokens.map { token in
                    guard let slash = token.lastIndex(of: "/") else { return (String(token), "X") }
                    let tag = token[token.index(after: slash)...].uppercased()
                    return (String(token[..<slash]), mapping[tag] ?? "X")
                })
            }
        }
        return out
    }

    /// `en-brown.map`: "FINE<TAB>COARSE" per line.
    static func tagMap(_ text: String, file: String) throws -> [String: String] {
        var map: [String: String] = [:]
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard parts.count == 2 else { throw CorporaError.malformedText(file: file, line: n + 1, detail: "expected FINE<TAB>COARSE") }
            map[String(parts[0])] = String(parts[1])
        }
        return map
    }
}
