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
///   21, both adapted on the training pairs; decoder input = target[:-1], output = target[1:];
/// - `name/combined` (when the recipe has `combined`): see `Combined`.
enum TranslationLoader {
    /// Manifests this loader reads; they accept `name/variant`.
    static let bases: Set<String> = ["tatoeba", "tatoeba_ukrainian", "tatoeba_estonian"]

    struct Recipe: Codable {
        var defaultVariant: String
        var variants: [String: Variant]
        var combined: Combined?
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

    /// `name/combined`: the `evaluation` variant split as usual, plus the pairs of each
    /// `extraTraining` variant as extra training targets (`<language>/<variant>`), minus every
    /// pair the evaluation variant holds out (same source and target tokens after standardization
    /// as a pair of its validation or test split): a larger corpus that contains the test pairs
    /// must not train on them.
    struct Combined: Codable {
        var evaluation: String
        var extraTraining: [String]
    }

    typealias Pair = (source: String, target: String, language: Int)

    static func load(_ ctx: LoadContext, variant name: String?) throws -> Dataset {
        let r = try ctx.recipe(Recipe.self)
        let variantName = name ?? r.defaultVariant
        func variant(_ n: String) throws -> Variant {
            guard let v = r.variants[n] else {
                let known = r.variants.keys.sorted() + (r.combined == nil ? [] : ["combined"])
                throw CorporaError.unknownDataset(name: "\(ctx.manifest.name)/\(n)", known: known.map { "\(ctx.manifest.name)/\($0)" })
            }
            return v
        }
        let evaluation: Variant, extras: [(name: String, variant: Variant)]
        if variantName == "combined", let c = r.combined {
            evaluation = try variant(c.evaluation)
            extras = try c.extraTraining.map { ($0, try variant($0)) }
        } else {
            evaluation = try variant(variantName)
            extras = []
        }
        var (pairs, aligned) = try shuffledPairs(ctx, evaluation, firstLanguage: 0, seed: r.shuffleSeed)
        let nVal = Int(r.validationFraction * Double(pairs.count))
        let nTest = Int(r.testFraction * Double(pairs.count))
        let nTrain = pairs.count - nVal - nTest
        var trainPairs = Array(pairs[..<nTrain])
        let valPairs = pairs[nTrain..<(nTrain + nVal)], testPairs = pairs[(nTrain + nVal)...]
        var languages = evaluation.targets.map(\.language), labels = languages
        var extraFields: [String: JSONValue] = [:]
        if !extras.isEmpty {
            // Compared as the model reads them: standardized tokens, not raw text ("Go." = "go").
            struct Key: Hashable { var source: [String], target: [String] }
            let srcTokens = TextVectorizer(standardization: .lowerAndStripPunctuation), tgtTokens = TextVectorizer(standardization: .keepBrackets)
            func key(_ p: Pair) -> Key { Key(source: srcTokens.tokens(p.source), target: tgtTokens.tokens(p.target)) }
            let heldOut = Set((valPairs + testPairs).map(key))
            for e in extras {
                let (extra, _) = try shuffledPairs(ctx, e.variant, firstLanguage: languages.count, seed: r.shuffleSeed)
                let kept = extra.filter { !heldOut.contains(key($0)) }
                trainPairs += kept
                extraFields["extra_training_\(e.name)"] = .object(["pairs": .number(Double(extra.count)),
                                                                    "held_out_dropped": .number(Double(extra.count - kept.count))])
                languages += e.variant.targets.map(\.language)
                labels += e.variant.targets.map { "\($0.language)/\(e.name)" }
            }
            pairs = trainPairs + valPairs + testPairs
        }

        var src = TextVectorizer(maxTokens: r.maxTokens, outputLength: r.sourceLength, standardization: .lowerAndStripPunctuation)
        var tgt = TextVectorizer(maxTokens: r.maxTokens, outputLength: r.targetLength, standardization: .keepBrackets)
        src.adapt(trainPairs.map(\.source))
        tgt.adapt(trainPairs.map(\.target))
        func split<C: Collection>(_ p: C) -> Split where C.Element == Pair {
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
        let translation = Translation(sourceLanguage: evaluation.source.language, targetLanguages: languages,
                                      sourceVocabulary: src.vocabulary, targetVocabulary: tgt.vocabulary)
        return Dataset(name: name == nil ? ctx.manifest.name : "\(ctx.manifest.name)/\(variantName)", task: .encoderDecoder,
                       train: split(trainPairs), test: split(testPairs), validation: split(valPairs),
                       numClasses: tgt.vocabularySize, vocabSize: src.vocabularySize, paddingLabel: 0,
                       labelNames: labels, vocabulary: src.vocabulary, translation: translation,
                       recipe: ctx.manifest.recipe.merging([
                           "variant": .string(variantName),
                           "aligned_lines": .number(Double(aligned)),
                           "pairs": .number(Double(pairs.count)),
                       ].merging(extraFields) { a, _ in a }),
                       synthetic: false, source: ctx.manifest.name)
    }

    /// The authors' evaluators split with `random.seed(89)` while their decomposers (and this
    /// loader) use the recipe's seed 19: how many of the evaluators' test pairs are training
    /// pairs of the seed-19 split (same source, target and language text).
    static func evaluatorSplitOverlap(_ ctx: LoadContext, variant name: String?, evaluatorSeed: UInt64) throws -> (testPairs: Int, inTraining: Int) {
        let r = try ctx.recipe(Recipe.self)
        guard let v = r.variants[name ?? r.defaultVariant] else {
            throw CorporaError.unknownDataset(name: "\(ctx.manifest.name)/\(name ?? "")", known: r.variants.keys.sorted().map { "\(ctx.manifest.name)/\($0)" })
        }
        struct Key: Hashable { var source: String, target: String, language: Int }
        func split(_ seed: UInt64) throws -> (train: [Key], test: [Key]) {
            let (pairs, _) = try shuffledPairs(ctx, v, firstLanguage: 0, seed: seed)
            let nVal = Int(r.validationFraction * Double(pairs.count)), nTest = Int(r.testFraction * Double(pairs.count))
            let keys = pairs.map { Key(source: $0.source, target: $0.target, language: $0.language) }
            return (Array(keys[..<(pairs.count - nVal - nTest)]), Array(keys[(pairs.count - nTest)...]))
        }
        let training = Set(try split(r.shuffleSeed).train), evaluated = try split(evaluatorSeed).test
        return (evaluated.count, evaluated.filter(training.contains).count)
    }

    /// One variant's pairs, one per line and target language in the recipe's order (target
    /// wrapped `[startXX] … [endXX]`, languages numbered from `firstLanguage`), shuffled as
    /// `random.seed(seed); random.shuffle(pairs)`; and the number of aligned lines.
    static func shuffledPairs(_ ctx: LoadContext, _ v: Variant, firstLanguage: Int, seed: UInt64) throws -> ([Pair], Int) {
        let source = try lines(ctx, v.source.file)
        let targets = try v.targets.map { try lines(ctx, $0.file) }
        for (t, side) in zip(targets, v.targets) where t.count != source.count {
            throw CorporaError.malformedText(file: side.file, line: min(t.count, source.count),
                                             detail: "\(t.count) lines, but \(v.source.file) has \(source.count): not line-aligned")
        }
        var pairs: [Pair] = []
        pairs.reserveCapacity(source.count * targets.count)
        for i in source.indices {
            for (k, side) in v.targets.enumerated() {
                pairs.append((source[i], "[start\(side.language)] " + targets[k][i] + " [end\(side.language)]", firstLanguage + k))
            }
        }
        MersenneTwister.pythonShuffle(&pairs, seed: seed)
        return (pairs, source.count)
    }

    /// Python's `f.read().split('\n')` (universal newlines: CRLF read as LF).
    static func lines(_ ctx: LoadContext, _ path: String) throws -> [String] {
        let text = try ctx.text(path)
        let normalized = text.contains("\r") ? text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n") : text
        return normalized.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}
