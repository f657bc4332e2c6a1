import Foundation

/// Clinc OOS M:1, the exact recipe of DATA.md (it reproduces the authors' word index of 5,530
/// words, so their published models can be evaluated):
/// 1. `train.csv`, `test.csv` (and `val.csv` as validation) from `clinc_oos.zip` — in-scope
///    utterances only; label = the `domain` column, named by the key order of `domains.json`;
/// 2. TensorFlow Datasets' storage order: rows sorted by md5(split name + row id);
/// 3. cleaning as the authors' `text_processing`: drop `http\S+`, drop
///    ``!"#$%&()*+-/:;<=>?@[\]^_`{|}~``, lower-case, digits → space, collapse whitespace, then
///    NLTK 3.8.1 `word_tokenize`;
/// 4. Keras `Tokenizer()` fit on the train token lists, then the test token lists; pad 15 pre,
///    truncate post. Validation is encoded with the same tokenizer (never fitted on).
enum ClincLoader {
    struct Recipe: Codable {
        var archive: String
        var domainsFile: String
        var splits: [SplitSource]
        var labelColumn: String
        var textColumn: String
        var dropCharacters: String
        var tokenizer: TokenizerRecipe
        var sequence: PadRecipe
    }

    struct SplitSource: Codable {
        /// "train", "test" or "validation": the TFDS split name, also the md5 salt.
        var name: String
        var entry: String
    }

    static func load(_ ctx: LoadContext) throws -> Dataset {
        let r = try ctx.recipe(Recipe.self)
        let zip = try ZipEntries(data: try ctx.data(r.archive), file: r.archive)
        let domains = JSONDocument.objectKeys(try ctx.data(r.domainsFile))
        let cleaner = Cleaner(drop: r.dropCharacters)
        var tokenized: [String: (tokens: [[String]], labels: [Int32])] = [:]
        for s in r.splits {
            let rows = try inScopeRows(zip, s, r, classes: domains.count)
            let order = tfdsOrder(count: rows.count, split: s.name)
            tokenized[s.name] = (order.map { cleaner.tokens(rows[$0].text) }, order.map { rows[$0].label })
        }
        guard let trainPart = tokenized["train"], let testPart = tokenized["test"] else {
            throw CorporaError.manifest(name: ctx.manifest.name, detail: "recipe needs train and test splits")
        }
        var tok = r.tokenizer.make()
        tok.fit(tokenLists: trainPart.tokens)
        tok.fit(tokenLists: testPart.tokens)
        func split(_ part: (tokens: [[String]], labels: [Int32])) -> Split {
            Split(x: Int32Tensor(padding: tok.sequences(tokenLists: part.tokens), r.sequence), y: Int32Tensor(part.labels))
        }
        return Dataset(name: ctx.manifest.name, task: .manyToOne, train: split(trainPart), test: split(testPart),
                       validation: tokenized["validation"].map(split), numClasses: domains.count,
                       vocabSize: tok.embeddingInputSize, paddingLabel: -1, labelNames: domains, vocabulary: tok.indexWord,
                       recipe: ctx.manifest.recipe.merging(["word_index_size": .number(Double(tok.wordIndex.count))]),
                       synthetic: false, source: ctx.manifest.name)
    }

    private static func inScopeRows(_ zip: ZipEntries, _ s: SplitSource, _ r: Recipe, classes: Int) throws -> [(text: String, label: Int32)] {
        let file = "\(r.archive)!\(s.entry)"
        let records = try CSVReader.parse(try zip.text(s.entry), file: file)
        guard let header = records.first?.fields, let t = header.firstIndex(of: r.textColumn), let l = header.firstIndex(of: r.labelColumn) else {
            throw CorporaError.malformedCSV(file: file, line: 1, detail: "header lacks \(r.textColumn) or \(r.labelColumn)")
        }
        return try records.dropFirst().map { rec in
            guard rec.fields.count == header.count else {
                throw CorporaError.malformedCSV(file: file, line: rec.line, detail: "\(rec.fields.count) fields, expected \(header.count)")
            }
            guard let label = Int32(rec.fields[l]), label >= 0, label < classes else {
                throw CorporaError.malformedCSV(file: file, line: rec.line, detail: "\(r.labelColumn) '\(rec.fields[l])' is not a domain id 0..<\(classes)")
            }
            return (rec.fields[t], label)
        }
    }

    /// TFDS storage order: row ids sorted by md5(split + String(id)) as a 128-bit number.
    static func tfdsOrder(count: Int, split: String) -> [Int] {
        let keys = (0..<count).map { MD5.digest(Array((split + String($0)).utf8)) }
        return (0..<count).sorted { keys[$0].lexicographicallyPrecedes(keys[$1]) }
    }

    /// The authors' `text_processing` (util/nltk_util.py) before `word_tokenize`.
    struct Cleaner {
        let drop: Set<Unicode.Scalar>
        let nltk = NLTKWordTokenizer()
        init(drop: String) { self.drop = Set(drop.unicodeScalars) }

        func clean(_ text: String) -> String {
            var s = String.UnicodeScalarView()
            for u in removingURLs(text).unicodeScalars where !drop.contains(u) { s.append(u) }
            var words: [String] = []
            var current = String.UnicodeScalarView()
            for u in String(s).lowercased().unicodeScalars {
                // `re.sub('\d', ' ')` then `' '.join(split())`: a digit separates words like a space.
                if u.properties.isWhitespace || u.properties.numericType == .decimal {
                    if !current.isEmpty { words.append(String(current)); current = String.UnicodeScalarView() }
                } else {
                    current.append(u)
                }
            }
            if !current.isEmpty { words.append(String(current)) }
            return words.joined(separator: " ")
        }

        func tokens(_ text: String) -> [String] { nltk.wordTokenize(clean(text)) }

        /// `re.sub(r'http\S+', '', text)`.
        private func removingURLs(_ text: String) -> String {
            guard text.contains("http") else { return text }
            let u = Array(text.unicodeScalars)
            var out = String.UnicodeScalarView()
            var i = 0
            while i < u.count {
                if i + 4 <= u.count, u[i] == "h", u[i + 1] == "t", u[i + 2] == "t", u[i + 3] == "p" {
                    i += 4
                    while i < u.count, !u[i].properties.isWhitespace { i += 1 }
                } else {
                    out.append(u[i]); i += 1
                }
            }
            return String(out)
        }
    }
}
