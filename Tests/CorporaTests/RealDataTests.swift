import Foundation
import TestSupport
import Testing
@testable import Corpora

/// The paper's recipes on the real data (../shared/data). Expected numbers come from DATA.md
/// and from running the authors' Python recipe (tf_keras 2.21, nltk 3.8.1) in a throw-away venv.
@Suite("Real data sets", .requiresShared(Shared.data))
struct RealDataTests {
    let locator = Shared.dataLocator

    @Test func mathQA() throws {
        let d = try Corpora.load(name: "math_qa", profile: .paper, locator: locator)
        #expect(d.train.count == 4_475 && d.test.count == 2_985)
        #expect(d.labelNames == ["gain", "general", "geometry", "other", "physics", "probability"])
        #expect(d.numClasses == 6 && d.vocabSize == 5_000)
        #expect(d.train.x.shape == [4_475, 20])
        #expect(d.train.x.values.allSatisfy { $0 < 5_000 })
        #expect(Set(d.train.y.values) == Set(0...5))
    }

    @Test func clinc() throws {
        let d = try Corpora.load(name: "clinc_oos", profile: .paper, locator: locator)
        #expect(d.train.count == 15_000 && d.test.count == 4_500 && d.validation?.count == 3_000)
        #expect(d.numClasses == 10)
        #expect(d.labelNames.first == "banking" && d.labelNames.last == "meta")
        #expect(d.recipe["word_index_size"] == .number(5_530))
        #expect(d.vocabSize == 5_531)
        #expect(d.train.x.shape == [15_000, 15])
        // First test row in TFDS order, from the Python recipe.
        #expect(Array(d.test.x.row(0)) == ClincReference.firstTestRow)
        #expect(d.test.y.values.prefix(10) == ClincReference.firstTestLabels[...])
        #expect(d.summary.classCounts.map(\.test) == Array(repeating: 450, count: 10))
    }

    @Test func brown() throws {
        let d = try Corpora.load(name: "brown", profile: .paper, locator: locator)
        #expect(d.train.count + d.test.count == 57_340)
        #expect(d.test.count == 14_335)          // ceil(0.25 × 57,340)
        #expect(d.numClasses == 13)              // 12 universal tags + padding
        #expect(Set(d.labelNames.dropFirst()) == ["noun", "verb", ".", "adp", "det", "adj", "adv", "pron", "conj", "prt", "num", "x"])
        #expect(d.train.x.shape == [43_005, 15] && d.train.y.shape == [43_005, 15])
        #expect(d.vocabSize == BrownReference.wordIndexSize + 1)
        #expect(Array(d.test.x.row(0)) == BrownReference.firstTestX)
        #expect(Array(d.test.y.row(0)) == BrownReference.firstTestY)
    }

    @Test func wikiToxicity() throws {
        let d = try Corpora.load(name: "wiki_toxicity", profile: .paper, locator: locator)
        #expect(d.train.count + d.test.count == 4_980)
        #expect(d.train.y.shape[1] == 6 && d.numClasses == 8 && d.vocabSize == 2_000)
        let counts = Dictionary(uniqueKeysWithValues: d.summary.classCounts.map { ($0.name, $0.train + $0.test) })
        #expect(counts == ["clean": 4_481, "toxic": 475, "severe_toxic": 53, "obscene": 259, "threat": 21, "insult": 253, "identity_hate": 51])
        // Stratified: the any-label share of the test split is within one row of 10 %.
        let testToxic = (0..<d.test.count).filter { !d.test.y.row($0).contains(1) }.count
        #expect(abs(testToxic - 100) <= 1)
    }

    @Test func tatoeba() throws {
        let d = try Corpora.load(name: "tatoeba", profile: .paper, locator: locator)
        #expect(d.recipe["aligned_lines"] == .number(50_745))       // 50,744 lines + the empty one after the final newline
        let pairs = 50_745 * 3
        #expect(d.train.count + d.test.count + (d.validation?.count ?? 0) == pairs)
        #expect(d.test.count == Int(0.15 * Double(pairs)) && d.validation?.count == Int(0.15 * Double(pairs)))
        #expect(d.translation?.targetLanguages == ["fr", "de", "it"])
        #expect(d.train.x.shape[1] == 20 && d.train.y.shape[1] == 20 && d.train.xTarget?.shape[1] == 20)
        #expect(d.vocabSize == TatoebaReference.sourceVocabSize && d.translation?.targetVocabSize == TatoebaReference.targetVocabSize)
        #expect(Array(d.test.x.row(0)) == TatoebaReference.firstTestSource)
        #expect(Array(d.test.xTarget!.row(0)) == TatoebaReference.firstTestDecoderInput)
    }

    @Test(arguments: ["tatoeba_ukrainian", "tatoeba_estonian", "tatoeba_estonian/s2", "tatoeba_estonian/solution1"])
    func motivatingCorpora(name: String) throws {
        let d = try Corpora.load(name: name, profile: .paper, locator: locator)
        let lines: Double, languages: Int
        switch name {
        case "tatoeba_ukrainian": (lines, languages) = (24_247, 4)
        case "tatoeba_estonian": (lines, languages) = (1_154, 3)
        case "tatoeba_estonian/s2": (lines, languages) = (3_124, 1)
        default: (lines, languages) = (1_154, 2)
        }
        #expect(d.recipe["aligned_lines"] == .number(lines))
        #expect(d.translation?.targetLanguages.count == languages)
        #expect(d.train.count + d.test.count + (d.validation?.count ?? 0) == Int(lines) * languages)
    }

    /// Motivating example 2's shared vocabulary: the original split unchanged, the s2 pairs
    /// added to training as a fourth target, none of them a held-out pair.
    @Test func estonianCombined() throws {
        let original = try Corpora.load(name: "tatoeba_estonian", profile: .paper, locator: locator)
        let c = try Corpora.load(name: "tatoeba_estonian/combined", profile: .paper, locator: locator)
        #expect(c.labelNames == ["en", "de", "it", "en/s2"])
        #expect(c.translation?.targetLanguages == ["en", "de", "it", "en"])
        #expect(c.test.count == original.test.count && c.validation?.count == original.validation?.count)
        #expect(c.test.language == original.test.language)
        let extraRows = (0..<c.train.count).filter { c.train.language!.values[$0] == 3 }
        #expect(c.train.count == original.train.count + extraRows.count)
        guard case let .object(extra)? = c.recipe["extra_training_s2"], case let .number(total)? = extra["pairs"],
              case let .number(dropped)? = extra["held_out_dropped"] else { Issue.record("no s2 counts in the recipe"); return }
        #expect(total == 3_124 && Int(total - dropped) == extraRows.count && dropped > 0)
        // No training pair equals a held-out English pair (source and decoder row).
        func key(_ s: Split, _ i: Int) -> [Int32] { Array(s.x.row(i)) + Array(s.y.row(i)) }
        let heldOut = Set((0..<c.test.count).filter { c.test.language!.values[$0] == 0 }.map { key(c.test, $0) }
                          + (0..<c.validation!.count).filter { c.validation!.language!.values[$0] == 0 }.map { key(c.validation!, $0) })
        #expect(extraRows.filter { heldOut.contains(key(c.train, $0)) }.count == 0)
        // The shared vocabularies contain the original ones.
        #expect(Set(original.vocabulary).isSubset(of: Set(c.vocabulary)))
        #expect(Set(original.translation!.targetVocabulary).isSubset(of: Set(c.translation!.targetVocabulary)))
    }

    @Test func quickProfileSubsamples() throws {
        let d = try Corpora.load(name: "clinc_oos", profile: .quick, locator: locator)
        #expect(d.train.count == 4_000 && d.test.count == 1_000)
        #expect(d.vocabSize == 5_531)      // the paper's vocabulary, rows subsampled afterwards
    }

    @Test func catalogListsEveryDataSet() throws {
        let c = try Corpora.catalog(locator: locator)
        #expect(c.map(\.name) == Corpora.realNames)
        #expect(c.allSatisfy { $0.isPresent })
        #expect(c.first { $0.name == "clinc_oos" }?.bytes == 262_154 + 3_818 + 2_495_390 + 19_467)
        let none = try Corpora.catalog(locator: DataLocator(roots: [], manifests: locator.manifests))
        #expect(none.first { $0.name == "brown" }?.missingFiles == ["brown/brown.zip", "brown/universal_tagset.zip"])
    }

    @Test func variantOfANonTranslationSetIsUnknown() {
        #expect(throws: CorporaError.unknownDataset(name: "brown/x", known: Corpora.names)) {
            try Corpora.load(name: "brown/x", profile: .smoke, locator: locator)
        }
        #expect(throws: CorporaError.self) { try Corpora.load(name: "tatoeba_estonian/nope", profile: .smoke, locator: locator) }
    }

    @Test func defaultDatasetPrefersRealData() throws {
        let d = try Corpora.defaultDataset(for: .oneToOne, profile: .smoke, locator: locator)
        #expect(d.source == "math_qa")
        let s = try Corpora.defaultDataset(for: .oneToOne, profile: .smoke, locator: DataLocator(roots: [], manifests: locator.manifests))
        #expect(s.synthetic)
    }
}
