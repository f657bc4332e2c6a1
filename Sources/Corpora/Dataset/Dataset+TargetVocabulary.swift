extension Dataset {
    /// A translation data set with its target vocabulary cut to the first `maxTokens` entries,
    /// every other target token (decoder inputs and outputs) mapped to `[UNK]` (id 1). The
    /// vocabulary is frequency-ordered (TextVectorizer), so this is exactly what
    /// `TextVectorization(max_tokens: maxTokens)` adapted on the same training pairs gives; the
    /// decoder's softmax narrows to `maxTokens` classes. Recorded in `recipe`
    /// (`target_vocabulary_cap`). Not a translation data set, or a cap at or above the
    /// vocabulary's size: unchanged.
    public func cappingTargetVocabulary(to maxTokens: Int) -> Dataset {
        precondition(maxTokens >= 2, "a target vocabulary keeps padding and [UNK]: \(maxTokens) tokens")
        guard var t = translation, t.targetVocabSize > maxTokens else { return self }
        var out = self
        let cap = Int32(maxTokens)
        func capped(_ x: Int32Tensor) -> Int32Tensor { Int32Tensor(shape: x.shape, values: x.values.map { $0 < cap ? $0 : 1 }) }
        func capped(_ s: Split) -> Split {
            Split(x: s.x, y: capped(s.y), xTarget: s.xTarget.map(capped), language: s.language)
        }
        out.train = capped(train); out.test = capped(test); out.validation = validation.map(capped)
        let full = t.targetVocabSize
        t.targetVocabulary = Array(t.targetVocabulary.prefix(maxTokens))
        out.translation = t
        out.numClasses = maxTokens
        // The share of the training split's target tokens (padding aside) that are [UNK] now.
        let tokens = out.train.y.values.filter { $0 != 0 }
        let unknown = tokens.filter { $0 == 1 }.count
        out.recipe = recipe.merging(["target_vocabulary_cap": .object([
            "max_tokens": .number(Double(maxTokens)), "of": .number(Double(full)),
            "train_target_tokens": .number(Double(tokens.count)), "train_target_tokens_unknown": .number(Double(unknown)),
        ])])
        return out
    }
}
