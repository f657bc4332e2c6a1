import Foundation

/// MathQA 1:1 (DATA.md): `dev.json` trains (4,475 items) and `test.json` tests (2,985), because
/// the 29,837-item train.json is not available; text = `Problem`, label = `category` in the
/// recipe's order; Keras Tokenizer(num_words 5000, oov `<OOV>`) fit on train then test texts;
/// length 20, pre-pad, post-truncate. Items keep file order.
enum MathQALoader {
    struct Recipe: Codable {
        var trainFile: String
        var testFile: String
        var textField: String
        var labelField: String
        var labels: [String]
        var tokenizer: TokenizerRecipe
        var sequence: PadRecipe
    }

    static func load(_ ctx: LoadContext) throws -> Dataset {
        let r = try ctx.recipe(Recipe.self)
        let (trainTexts, trainLabels) = try items(ctx, r.trainFile, r)
        let (testTexts, testLabels) = try items(ctx, r.testFile, r)
        var tok = r.tokenizer.make()
        tok.fit(texts: trainTexts)
        tok.fit(texts: testTexts)
        let train = Split(x: Int32Tensor(padding: tok.sequences(texts: trainTexts), r.sequence), y: Int32Tensor(trainLabels))
        let test = Split(x: Int32Tensor(padding: tok.sequences(texts: testTexts), r.sequence), y: Int32Tensor(testLabels))
        return Dataset(name: ctx.manifest.name, task: .oneToOne, train: train, test: test, numClasses: r.labels.count,
                       vocabSize: tok.embeddingInputSize, paddingLabel: -1, labelNames: r.labels,
                       vocabulary: Array(tok.indexWord.prefix(tok.embeddingInputSize)),
                       recipe: ctx.manifest.recipe.merging(["word_index_size": .number(Double(tok.wordIndex.count))]),
                       synthetic: false, source: ctx.manifest.name)
    }

    private static func items(_ ctx: LoadContext, _ path: String, _ r: Recipe) throws -> ([String], [Int32]) {
        let data = try ctx.data(path)
        guard let array = try JSONDocument.parse(data, file: path) as? [Any] else {
            throw CorporaError.malformedJSON(file: path, line: 1, detail: "expected an array of problems")
        }
        let lines = JSONDocument.elementLines(data)
        var texts: [String] = [], labels: [Int32] = []
        for (i, item) in array.enumerated() {
            let line = i < lines.count ? lines[i] : 0
            guard let obj = item as? [String: Any], let text = obj[r.textField] as? String, let cat = obj[r.labelField] as? String else {
                throw CorporaError.malformedJSON(file: path, line: line, detail: "item \(i) lacks string fields \(r.textField) and \(r.labelField)")
            }
            guard let label = r.labels.firstIndex(of: cat) else {
                throw CorporaError.malformedJSON(file: path, line: line, detail: "item \(i) has unknown \(r.labelField) '\(cat)'")
            }
            texts.append(text)
            labels.append(Int32(label))
        }
        return (texts, labels)
    }
}
