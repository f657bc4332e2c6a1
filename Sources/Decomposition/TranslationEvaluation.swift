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

    /// 4-gram corpus BLEU (NLTK's) of greedy translations of `test`, token ids as words.
    public static func evaluate(model: Model, modules: [Module], test: TranslationData, maxLength: Int,
                                preset: DecompositionConfig.Preset) throws -> TranslationEvaluation {
        let (m, precision) = AuthorsSemantics.prepare(model, preset: preset)
        var pairs: [Pair] = []
        for (l, name) in test.languages.enumerated() where test.language.contains(l) {
            guard let module = modules.first(where: { $0.concern == l }) else {
                throw DecompositionError.moduleMismatch("no module for target language \(name)")
            }
            let mono = try test.bleu(of: m, language: l, maxLength: maxLength, precision: precision)!
            let composed = try test.bleu(of: module.model, language: l, maxLength: maxLength, precision: precision)!
            pairs.append(Pair(language: name, sentences: mono.sentences, monolithicBLEU: mono.bleu, composedBLEU: composed.bleu,
                              monolithicPaperMeasure: mono.paperMeasure, composedPaperMeasure: composed.paperMeasure))
        }
        return TranslationEvaluation(pairs: pairs, jaccardMean: try Statistics.mean(modules.map(\.jaccard)),
                                     structuralJaccardMean: try Statistics.mean(modules.map(\.structuralJaccard)))
    }
}
