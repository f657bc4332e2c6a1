import Foundation
import TestSupport
import Testing
@testable import Corpora

/// The quick profile's Tatoeba (ProfileCut): a target vocabulary capped to n tokens is exactly
/// Keras' `TextVectorization(max_tokens: n)` adapted on the same training pairs, and the
/// subsample keeps every target language.
@Suite("Target vocabulary cap and the quick Tatoeba cut")
struct TargetVocabularyCapTests {
    let locator = Shared.dataLocator

    @Test("capping to n = re-adapting TextVectorization(max_tokens: n) on the same training pairs",
          .requiresShared(Shared.data), arguments: [2_000, 1_000])
    func capEqualsReadapting(n: Int) throws {
        let full = try Corpora.load(name: "tatoeba", profile: .paper, locator: locator)
        try #require(full.translation!.targetVocabSize > n)
        let capped = full.cappingTargetVocabulary(to: n)
        // The loader's pairs (train | validation | test), then Keras with max_tokens n adapted
        // on the training targets.
        let ctx = LoadContext(manifest: try locator.manifests.manifest(named: "tatoeba"), locator: locator)
        let r = try ctx.recipe(TranslationLoader.Recipe.self)
        let (pairs, _) = try TranslationLoader.shuffledPairs(ctx, r.variants[r.defaultVariant]!, firstLanguage: 0, seed: r.shuffleSeed)
        let nTrain = full.train.count, nVal = full.validation!.count
        var keras = TextVectorizer(maxTokens: n, outputLength: r.targetLength, standardization: .keepBrackets)
        keras.adapt(pairs[..<nTrain].map(\.target))
        #expect(keras.vocabularySize == n)
        #expect(capped.translation?.targetVocabulary == keras.vocabulary)
        #expect(capped.numClasses == n)
        let splits = [(capped.train, pairs[..<nTrain]), (capped.validation!, pairs[nTrain..<(nTrain + nVal)]), (capped.test, pairs[(nTrain + nVal)...])]
        for (split, texts) in splits {
            let ids = keras(texts.map(\.target)), steps = r.targetLength - 1
            var decoderIn: [Int32] = [], decoderOut: [Int32] = []
            for row in 0..<texts.count {
                decoderIn += ids[(row * r.targetLength)..<(row * r.targetLength + steps)]
                decoderOut += ids[(row * r.targetLength + 1)..<((row + 1) * r.targetLength)]
            }
            #expect(split.xTarget?.values == decoderIn)
            #expect(split.y.values == decoderOut)
        }
        #expect(capped.train.y.values.contains(1))                                // some tokens became [UNK]
        // Sources untouched.
        #expect(capped.vocabSize == full.vocabSize && capped.train.x == full.train.x && capped.test.x == full.test.x)
    }

    @Test("the quick profile's Tatoeba: the cut's pair counts, every target language in every split, the cap in the recipe",
          .requiresShared(Shared.data))
    func quickSubsample() throws {
        let cut = try #require(ProfileCut.of("tatoeba", profile: .quick))
        let d = try Corpora.load(name: "tatoeba", profile: .quick, locator: locator)
        #expect(d.train.count == cut.train && d.test.count == cut.test && d.validation?.count == cut.test)
        for s in [d.train, d.test, d.validation!] { #expect(Set(s.language!.values) == [0, 1, 2]) }
        #expect(d.translation?.targetLanguages == ["fr", "de", "it"])
        #expect(d.numClasses == cut.targetTokens && d.translation?.targetVocabSize == cut.targetTokens)
        #expect(d.train.y.values.allSatisfy { $0 < Int32(cut.targetTokens) } && d.test.xTarget!.values.allSatisfy { $0 < Int32(cut.targetTokens) })
        #expect(d.recipe["target_vocabulary_cap"]?["max_tokens"] == .number(Double(cut.targetTokens)))
        #expect(d.recipe["target_vocabulary_cap"]?["of"] == .number(Double(TatoebaReference.targetVocabSize)))
        #expect(d.recipe["subsample"]?["train"] == .number(Double(cut.train)))
        #expect(d.recipe["profile"] == .string("quick"))
    }

    @Test("only quick Tatoeba (en→fr/de/it) is cut: not paper or smoke, not chapter 6's corpora")
    func cutScope() {
        #expect(ProfileCut.of("tatoeba", profile: .quick) != nil)
        #expect(ProfileCut.of("tatoeba", profile: .paper) == nil && ProfileCut.of("tatoeba", profile: .smoke) == nil)
        for name in ["tatoeba_ukrainian", "tatoeba_estonian", "tatoeba_estonian/s2", "math_qa", "synthetic_encoder_decoder"] {
            #expect(ProfileCut.of(name, profile: .quick) == nil, "\(name)")
        }
    }

    @Test("on synthetic translation: ids at or above the cap become [UNK], padding stays, the recipe records it")
    func syntheticCap() throws {
        let d = SyntheticTasks.make(.encoderDecoder, profile: .smoke)
        let size = d.translation!.targetVocabSize
        // Above the start/end tags, so TranslationData still finds them.
        let n = size - 3
        let c = d.cappingTargetVocabulary(to: n)
        #expect(c.translation?.targetVocabulary == Array(d.translation!.targetVocabulary.prefix(n)) && c.numClasses == n)
        #expect(zip(d.train.y.values, c.train.y.values).allSatisfy { old, new in new == (old < Int32(n) ? old : 1) })
        #expect(zip(d.test.xTarget!.values, c.test.xTarget!.values).allSatisfy { old, new in new == (old < Int32(n) ? old : 1) })
        let replaced = d.train.y.values.filter { $0 >= Int32(n) }.count
        try #require(replaced > 0)
        #expect(c.recipe["target_vocabulary_cap"]?["train_target_tokens_unknown"]
                == .number(Double(d.train.y.values.filter { $0 == 1 }.count + replaced)))
        #expect(d.cappingTargetVocabulary(to: size) == d)                         // at the size: unchanged
    }
}
