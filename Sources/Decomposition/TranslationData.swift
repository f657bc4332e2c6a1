import RNNKit

/// Translation pairs as the decoder sees them under teacher forcing.
public struct TranslationData: Sendable {
    public var source: Tensor
    public var decoderInput: Tensor
    /// `[N, T]` next-token targets (0 = padding).
    public var decoderOutput: [Int]
    public var language: [Int]
    public var languages: [String]
    /// Per language: the ids of its `[startXX]` and `[endXX]` tokens.
    public var startToken: [Int]
    public var endToken: [Int]

    public init(source: Tensor, decoderInput: Tensor, decoderOutput: [Int], language: [Int], languages: [String],
                startToken: [Int], endToken: [Int]) throws {
        let n = source.shape[0]
        guard decoderInput.shape[0] == n, decoderOutput.count == decoderInput.count, language.count == n,
              startToken.count == languages.count, endToken.count == languages.count else {
            throw DecompositionError.dataMismatch("translation arrays disagree on their sizes")
        }
        self.source = source; self.decoderInput = decoderInput; self.decoderOutput = decoderOutput
        self.language = language; self.languages = languages; self.startToken = startToken; self.endToken = endToken
    }

    public var count: Int { source.shape[0] }
    public var steps: Int { decoderInput.shape[1] }

    /// The reference translation of pair i: the target tokens before the end token.
    public func reference(_ i: Int) -> [Int] {
        Array(decoderOutput[(i * steps)..<((i + 1) * steps)].prefix { $0 != 0 && $0 != endToken[language[i]] })
    }

    /// The pairs `indices`, in that order.
    public func subset(_ indices: [Int]) throws -> TranslationData {
        let (s, t) = rows(indices)
        return try TranslationData(source: s, decoderInput: t, decoderOutput: indices.flatMap { decoderOutput[($0 * steps)..<(($0 + 1) * steps)] },
                                   language: indices.map { language[$0] }, languages: languages, startToken: startToken, endToken: endToken)
    }

    func rows(_ indices: [Int]) -> (Tensor, Tensor) {
        func take(_ t: Tensor) -> Tensor {
            let w = t.count / t.shape[0]
            return Tensor(shape: [indices.count] + t.shape.dropFirst(), data: indices.flatMap { t.data[($0 * w)..<(($0 + 1) * w)] })
        }
        return (take(source), take(decoderInput))
    }
}

