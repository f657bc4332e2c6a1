import Corpora
import Decomposition
import DecompositionInputs
import Metrics
import RNNKit

/// RQ3 translation replacement (Table IV, BLEU) for one cell and seed: the worst and the best
/// encoder-decoder among RNN-1…k by mean 4-gram BLEU; a module decodes one target language
/// alone, so replacing language l's module changes language l only, and δ is the best model's
/// module for l against the worst model on l.
public enum TranslationReplacement {
    public struct Row: Codable, Sendable {
        public var language: String; public var sentences: Int; public var worstBLEU: Double; public var replacedBLEU: Double
        /// The same translations by the paper's measure (1-gram BLEU, tags counted).
        public var worstPaperMeasure: Double; public var replacedPaperMeasure: Double
    }
    public struct Result: Codable, Sendable { public var depths: [Int]; public var meanBLEU: [Double]; public var worst: Int; public var best: Int; public var rows: [Row] }

    /// `models[i]` is RNN-`depths[i]`, all trained on `data`; the decoder is decomposed unrolled.
    public static func run(models: [Model], depths: [Int], data: Dataset, seed: UInt64, samplesPerClass: Int) throws -> Result {
        let train = try TranslationData(data, split: "train"), test = try TranslationData(data, split: "test")
        // Every model's translations per language, decoded once: the mean picks worst and best,
        // and the worst model's own rows are its δ baseline.
        let scores = try models.map { m in try test.languages.indices.map { try test.bleu(of: m, language: $0) } }
        let bleu = try scores.map { try Statistics.mean($0.compactMap { $0?.bleu }) }
        let (w, b) = ReplaceSelection.worstAndBest(bleu)
        let config = DecompositionConfig.paper(mode: .unrolled, seed: seed, samplesPerClass: samplesPerClass)
        let modules = try Decomposer(model: models[b], config: config).decomposeTranslation(train: train).modules
        let rows = try modules.compactMap { module -> Row? in
            let l = module.concern
            guard let worst = scores[w][l], let replaced = try test.bleu(of: module.model, language: l) else { return nil }
            return Row(language: test.languages[l], sentences: worst.sentences, worstBLEU: worst.bleu, replacedBLEU: replaced.bleu,
                       worstPaperMeasure: worst.paperMeasure, replacedPaperMeasure: replaced.paperMeasure)
        }
        return Result(depths: depths, meanBLEU: bleu, worst: w, best: b, rows: rows)
    }
}
