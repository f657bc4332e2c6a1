import Foundation

/// Line-aligned translation corpora (Tatoeba en→fr/de/it and the motivating Ukrainian and
/// Estonian sets), as the authors' `load_tatoeba` / `load_problem{1,2}_*_data`:
/// - each file is read as Python's `f.read().split('\n')` — a final newline yields one empty
///   line, which the authors' pairs include; it is kept so the shuffle below is theirs;
/// - for every line, one pair per target language in the recipe's order, target wrapped
///   `[startXX] … [endXX]`;
/// - `random.seed(19); random.shuffle(pairs)` (Python's MT19937, reproduced exactly);
///   validation = test = int(0.15·n) pairs, train the rest (train | validation | test);
/// - source `TextVectorization(max_tokens 30000, output_sequence_length 20)` with
///   lower_and_strip_punctuation, target with the bracket-keeping standardization and length
///   21, both adapted on the training pairs; decoder input = target[:-1], output = target[1:].
enum TranslationLoader {
    /// Manifests this loader reads; they accept `name/variant`.
    static let bases: Set<String> = ["tatoeba", "tatoeba_ukrainian", "tatoeba_estonian"]

    struct Recipe: Codable {
        var defaultVariant: String
        var variants: [String: Variant]
        var shuffleSeed: UInt64
        var validationFraction: Double
        var testFraction: Double
        var maxTokens: Int
        var sourceLength: Int
        var targetLength: Int
    }

    struct Variant: Codable {
        var source: Side
        var targets: [Side]
    }

    struct Side: Codable {
        var language: String
        var file: String
    }

    static func load(_ ctx: LoadContext, variant name: String?) throws -> Dataset {
        let r = try ctx.recipe(Recipe.self)
        let variantName = name ?? r.defaultVariant
        guard let v = r.variants[variantName] else {
            throw CorporaError.unknownDataset(name: "\(ctx.manifest.name)/\(variantName)",
                                              known: r.variants.keys.sorted().map { "\(ctx.manifest.name)/\($0)" })
        }
        let source = try lines(ctx, v.source.file)
        let targets = try v.targets.map { try lines(ctx, $0.file) }
        for (t, side) in zip(targets, v.targets) where t.count != source.count {
            throw CorporaError.malformedText(file: side.file, line: min(t.count, source.count),
                                             detail: "\(t.count) lines, but \(v.source.file) has \(source.count): not line-aligned")
        }
        var pairs: [(source: String, target: String, language: Int)] = []
        pairs.reserveCapacity(source.count * targets.count)
        for i in source.indices {
            for (k, side) in v.targets.enumerated() {
                pairs.append((source[i], "[start\(side.language)] " + targets[k][i] + " [end\(side.language)]", k))
            }
        }
        MersenneTwister.pythonShuffle(&pairs, seed: r.shuffleSeed)
        let nVal = Int(r.validationFraction * Double(pairs.count))
        let nTest = Int(r.testFraction * Double(pairs.count))
        let nTrain = pairs.count - nVal - nTest
        let trainPairs = pairs[..<nTrain], valPairs = pairs[nTrain..<(nTrain + nVal)], testPairs = pairs[(nTrain + nVal)...]

        var src = TextVectorizer(maxTokens: r.maxTokens, outputLength: r.sourceLength, standardization: .lowerAndStripPunctuation)
        var tgt = TextVectorizer(maxTokens: r.maxTokens, outputLength: r.targetLength, standardization: .keepBrackets)
        src.adapt(trainPairs.map(\.source))
        tgt.adapt(trainPairs.map(\.target))
        func split(_ p: ArraySlice<(source: String, target: String, language: Int)>) -> Split {
            let full = tgt(p.map(\.target))
            let steps = r.targetLength - 1
            var decoderIn = [Int32](), decoderOut = [Int32]()
            decoderIn.reserveCapacity(p.count * steps); decoderOut.reserveCapacity(p.count * steps)
            for row in 0..<p.count {
                let base = row * r.targetLength
                decoderIn.append(contentsOf: full[base..<(base + steps)])
                decoderOut.append(contentsOf: full[(base + 1)..<(base + r.targetLength)])
            }
            return Split(x: Int32Tensor(rows: p.count, columns: r.sourceLength, values: src(p.map(\.source))),
                         y: Int32Tensor(rows: p.count, columns: steps, values: decoderOut),
                         xTarget: Int32Tensor(rows: p.count, columns: steps, values: decoderIn),
                         language: Int32Tensor(p.map { Int32($0.language) }))
        }
        let translation = Translation(sourceLanguage: v.source.language, targetLanguages: v.targets.map(\.language),
                                      sourceVocabulary: src.vocabulary, targetVocabulary: tgt.vocabulary)
        return Dataset(name: name == nil ? ctx.manifest.name : "\(ctx.manifest.name)/\(variantName)", task: .encoderDecoder,
                       train: split(trainPairs), test: split(testPairs), validation: split(valPairs),
                       numClasses: tgt.vocabularySize, vocabSize: src.vocabularySize, paddingLabel: 0,
                       labelNames: v.targets.map(\.language), vocabulary: src.vocabulary, translation: translation,
                       recipe: ctx.manifest.recipe.merging([
                           "variant": .string(variantName),
                           "aligned_lines": .number(Double(source.count)),
                           "pairs": .number(Double(pairs.count)),
                       ]),
                       synthetic: false, source: ctx.manifest.name)
    }

    /// Python's `f.read().split('\n')` (universal newlines: CRLF read as LF).
    static func lines(_ ctx: LoadContext, _ path: String) throws -> [String] {
        let text = try ctx.text(path)
        let normalized = text.contains("\r") ? text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n") : text
        return normalized.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}
