import Metrics
import RNNKit

extension TranslationData {
    /// 4-gram corpus BLEU (NLTK's, token ids as words) of `model`'s greedy translations of the
    /// pairs whose target is language `l` (at most `limit` of them, the first in order), and
    /// how many were translated; nil when there are none. Every BLEU of the kit comes from here.
    /// `paperMeasure` is the paper's Table V measure: 1-gram corpus BLEU (their
    /// `corpus_bleu(weights=(1, 0, 0, 0))`) with the start and end tags counted as words on both
    /// sides, as the authors' `get_bleu` does (the end tag on a hypothesis that stopped before
    /// the length limit); it is shown only beside theirs.
    public func bleu(of model: Model, language l: Int, limit: Int? = nil, maxLength: Int? = nil,
                     precision: Precision = .auto) throws -> (sentences: Int, bleu: Double, paperMeasure: Double)? {
        var idx = (0..<count).filter { language[$0] == l }
        if let limit { idx = Array(idx.prefix(limit)) }
        guard !idx.isEmpty else { return nil }
        let (source, _) = rows(idx)
        let length = maxLength ?? steps
        let hyps = try GreedyDecoder.translate(model, source: source, start: idx.map { _ in startToken[l] }, end: idx.map { _ in endToken[l] },
                                               maxLength: length, precision: precision)
        let refs = idx.map { [reference($0).map(String.init)] }
        let (s, e) = (String(startToken[l]), String(endToken[l]))
        let taggedRefs = refs.map { [[s] + $0[0] + [e]] }
        let taggedHyps = hyps.map { [s] + $0.map(String.init) + ($0.count < length ? [e] : []) }
        return (idx.count, try corpusBLEU(references: refs, hypotheses: hyps.map { $0.map(String.init) }, maxN: 4),
                try corpusBLEU(references: taggedRefs, hypotheses: taggedHyps, maxN: 1))
    }
}
