import Corpora
import Decomposition
import RNNKit

extension TranslationData {
    /// A translation data set's split as the encoder-decoder sees it.
    public init(_ d: Dataset, split: String) throws {
        guard let t = d.translation else { throw DecompositionError.dataMismatch("\(d.name) is not a translation data set") }
        let s = try d.split(named: split)
        guard let target = s.xTarget, let language = s.language else {
            throw DecompositionError.dataMismatch("\(d.name) lacks decoder inputs or target languages")
        }
        func token(_ word: String) throws -> Int {
            guard let i = t.targetVocabulary.firstIndex(of: word) else {
                throw DecompositionError.dataMismatch("\(d.name): no token \(word) in the target vocabulary")
            }
            return i
        }
        try self.init(source: Tensor(s.x), decoderInput: Tensor(target), decoderOutput: s.y.values.map(Int.init),
                      language: language.values.map(Int.init), languages: t.targetLanguages,
                      startToken: try t.targetLanguages.map { try token("[start\($0)]") },
                      endToken: try t.targetLanguages.map { try token("[end\($0)]") })
    }
}
