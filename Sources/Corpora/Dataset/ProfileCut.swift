/// What a profile cuts from one real data set beyond `Profile.limits`: the quick profile's
/// Tatoeba (en→fr/de/it), whose encoder-decoders chapters 2–5 train, decompose and decode
/// greedily dozens of times. Their cost grows with the training pairs and with the width of the
/// decoder's softmax (the recipe's 30,000-token cap), so quick keeps a smaller, language-
/// preserving subsample and the most frequent target tokens (`Dataset.cappingTargetVocabulary`).
/// The Ukrainian and Estonian corpora (chapter 6) are not cut.
public struct ProfileCut: Equatable, Sendable {
    /// Most training and test (and validation) pairs kept.
    public var train: Int
    public var test: Int
    /// The target vocabulary kept, padding and [UNK] included.
    public var targetTokens: Int

    public init(train: Int, test: Int, targetTokens: Int) {
        self.train = train; self.test = test; self.targetTokens = targetTokens
    }

    /// The cut of data set `name` (a manifest name, or `name/variant`) in `profile`; nil: none.
    public static func of(_ name: String, profile: Profile) -> ProfileCut? {
        let base = name.split(separator: "/").first.map(String.init) ?? name
        guard profile == .quick, base == "tatoeba" else { return nil }
        return ProfileCut(train: 1_500, test: 300, targetTokens: 1_000)
    }

    /// A stable description, for cache keys.
    public var key: String { "cut train=\(train) test=\(test) target_tokens=\(targetTokens)" }

    /// `data` subsampled and capped as this cut says (recorded in its recipe).
    public func apply(_ data: Dataset, profile: Profile) -> Dataset {
        data.subsampled(limits: (train, test), profile: profile).cappingTargetVocabulary(to: targetTokens)
    }
}
