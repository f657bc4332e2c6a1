import Metrics
import RNNKit

/// BLEU of the monolithic model and of the per-language modules, per target language.
public struct TranslationEvaluation: Sendable, Equatable {
    public struct Pair: Sendable, Equatable {
        public var language: String
        public var sentences: Int
        public var monolithicBLEU: Double
        public var composedBLEU: Double
        /// The same translations by the paper's measure (1-gram BLEU with the tags counted,
        /// `TranslationData.bleu`'s `paperMeasure`).
        public var monolithicPaperMeasure: Double
        public var composedPaperMeasure: Double
        public var delta: Double { (composedBLEU - monolithicBLEU) * 100 }
    }
    public var pairs: [Pair]
    public var jaccardMean: Double
    public var structuralJaccardMean: Double

    /// One model's translations of one target language: sentences, BLEU-4, the paper's measure.
    public struct Score: Sendable, Equatable {
        public var sentences: Int, bleu: Double, paperMeasure: Double
    }

    /// The monolithic model's scores per target language of `test` (by language index), to be
    /// passed to `evaluate` when several module sets of one model are evaluated on one test set.
    public static func monolithic(model: Model, test: TranslationData, maxLength: Int,
                                  preset: DecompositionConfig.Preset) throws -> [Int: Score] {
        let (m, precision) = AuthorsSemantics.prepare(model, preset: preset)
        var out: [Int: Score] = [:]
        for l in test.languages.indices where test.language.contains(l) {
            out[l] = try score(m, test, l, maxLength, precision)
        }
        return out
    }

    /// 4-gram corpus BLEU (NLTK's) of greedy translations of `test`, token ids as words.
    /// `monolithic` (from `monolithic(…)` on the same model, test set, length and preset) spares
    /// decoding with the monolithic model again.
    public static func evaluate(model: Model, modules: [Module], test: TranslationData, maxLength: Int,
                                preset: DecompositionConfig.Preset, monolithic: [Int: Score]? = nil) throws -> TranslationEvaluation {
        let (m, precision) = AuthorsSemantics.prepare(model, preset: preset)
        var pairs: [Pair] = []
        for (l, name) in test.languages.enumerated() where test.language.contains(l) {
            guard let module = modules.first(where: { $0.concern == l }) else {
                throw DecompositionError.moduleMismatch("no module for target language \(name)")
            }
            let mono: Score
            if let monolithic {
                guard let given = monolithic[l] else { throw DecompositionError.moduleMismatch("no monolithic score for target language \(name)") }
                mono = given
            } else {
                mono = try score(m, test, l, maxLength, precision)
            }
            let composed = try score(module.model, test, l, maxLength, precision)
            pairs.append(Pair(language: name, sentences: mono.sentences, monolithicBLEU: mono.bleu, composedBLEU: composed.bleu,
                              monolithicPaperMeasure: mono.paperMeasure, composedPaperMeasure: composed.paperMeasure))
        }
        return TranslationEvaluation(pairs: pairs, jaccardMean: try Statistics.mean(modules.map(\.jaccard)),
                                     structuralJaccardMean: try Statistics.mean(modules.map(\.structuralJaccard)))
    }

    private static func score(_ m: Model, _ test: TranslationData, _ l: Int, _ maxLength: Int, _ precision: Precision) throws -> Score {
        let r = try test.bleu(of: m, language: l, maxLength: maxLength, precision: precision)!
        return Score(sentences: r.sentences, bleu: r.bleu, paperMeasure: r.paperMeasure)
    }
}
