import Foundation

/// Wiki-toxicity 1:N (DATA.md; the authors' `load_toxic_dataset`, relu_models/one_to_many):
/// input = `comment_text`, Keras Tokenizer(num_words 2000, oov `<OOV>`) fit on train then test
/// texts, length 20 pre/post; output = the ids of the set labels in column order
/// (toxic = 2 … identity_hate = 7), `[1]` for a clean comment, pre-padded with 0 to 6 steps.
///
/// Only a 4,980-row subset of Kaggle's train.csv is available (README.txt there), so the test
/// split is cut here: seeded, stratified by "any label". Results are subset-based.
enum WikiToxicityLoader {
    struct Recipe: Codable {
        var file: String
        var textColumn: String
        var labelColumns: [String]
        var cleanLabel: Int
        var firstLabelId: Int
        var outputLength: Int
        var tokenizer: TokenizerRecipe
        var sequence: PadRecipe
        var testFraction: Double
        var splitSeed: UInt64
    }

    static func load(_ ctx: LoadContext) throws -> Dataset {
        let r = try ctx.recipe(Recipe.self)
        let records = try CSVReader.parse(try ctx.text(r.file), file: r.file)
        guard let header = records.first?.fields, let textCol = header.firstIndex(of: r.textColumn) else {
            throw CorporaError.malformedCSV(file: r.file, line: 1, detail: "header lacks \(r.textColumn)")
        }
        let labelCols = try r.labelColumns.map { name -> Int in
            guard let i = header.firstIndex(of: name) else { throw CorporaError.malformedCSV(file: r.file, line: 1, detail: "header lacks \(name)") }
            return i
        }
        var texts: [String] = [], outputs: [[Int]] = []
        for rec in records.dropFirst() {
            guard rec.fields.count == header.count else {
                throw CorporaError.malformedCSV(file: r.file, line: rec.line, detail: "\(rec.fields.count) fields, expected \(header.count)")
            }
            var set: [Int] = []
            for (k, c) in labelCols.enumerated() {
                switch rec.fields[c] {
                case "0": break
                case "1": set.append(r.firstLabelId + k)
                default:
                    throw CorporaError.malformedCSV(file: r.file, line: rec.line, detail: "\(r.labelColumns[k]) is '\(rec.fields[c])', expected 0 or 1")
                }
            }
            texts.append(rec.fields[textCol])
            outputs.append(set.isEmpty ? [r.cleanLabel] : set)
        }
        let (trainIdx, testIdx) = stratifiedSplit(strata: outputs.map { $0 == [r.cleanLabel] ? 0 : 1 },
                                                  testFraction: r.testFraction, seed: r.splitSeed)
        var tok = r.tokenizer.make()
        tok.fit(texts: trainIdx.map { texts[$0] })
        tok.fit(texts: testIdx.map { texts[$0] })
        let yPad = PadRecipe(length: r.outputLength, padding: .pre, truncating: .post)
        func split(_ idx: [Int]) -> Split {
            Split(x: Int32Tensor(padding: tok.sequences(texts: idx.map { texts[$0] }), r.sequence),
                  y: Int32Tensor(padding: idx.map { outputs[$0] }, yPad))
        }
        return Dataset(name: ctx.manifest.name, task: .oneToMany, train: split(trainIdx), test: split(testIdx),
                       numClasses: r.firstLabelId + r.labelColumns.count, vocabSize: tok.embeddingInputSize, paddingLabel: 0,
                       labelNames: ["<pad>", "clean"] + r.labelColumns,
                       vocabulary: Array(tok.indexWord.prefix(tok.embeddingInputSize)),
                       recipe: ctx.manifest.recipe.merging([
                           "rows": .number(Double(texts.count)),
                           "longest_label_sequence": .number(Double(outputs.map(\.count).max() ?? 0)),
                           "word_index_size": .number(Double(tok.wordIndex.count)),
                       ]),
                       synthetic: false, source: ctx.manifest.name)
    }
}
