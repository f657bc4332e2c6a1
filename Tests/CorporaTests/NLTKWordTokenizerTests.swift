import Foundation
import TestSupport
import Testing
@testable import Corpora

/// Expected tokens from nltk 3.8.1 `NLTKWordTokenizer().tokenize(s)` in a throw-away venv.
@Suite("NLTK word tokenizer")
struct NLTKWordTokenizerTests {
    @Test(arguments: [
        ("Good muffins cost $3.88 (roughly 3,36 euros)\nin New York.  Please buy me\ntwo of them.\nThanks.",
         ["Good", "muffins", "cost", "$", "3.88", "(", "roughly", "3,36", "euros", ")", "in", "New", "York.", "Please", "buy", "me",
          "two", "of", "them.", "Thanks", "."]),
        ("\"Hello,\" she said -- \"isn't it?\"", ["``", "Hello", ",", "''", "she", "said", "--", "``", "is", "n't", "it", "?", "''"]),
        ("They'll go... won't they? 'Tis true, I cannot.",
         ["They", "'ll", "go", "...", "wo", "n't", "they", "?", "'T", "is", "true", ",", "I", "can", "not", "."]),
        ("I'd've gone; @home #1 50% & more*", ["I'd", "'ve", "gone", ";", "@", "home", "#", "1", "50", "%", "&", "more", "*"]),
        ("«Bonjour» “quoted” ‘single’ it’s", ["«", "Bonjour", "»", "“", "quoted", "”", "‘", "single", "’", "it", "’", "s"]),
        ("gimme the 'stuff' d'ye know more'n that", ["gim", "me", "the", "'stuff", "'", "d", "'ye", "know", "more", "'n", "that"]),
        ("a,b 1,000 end:", ["a", ",", "b", "1,000", "end", ":"]),
        ("'twas good, wanna go ", ["'t", "was", "good", ",", "wan", "na", "go"]),
        ("O'Neil's car 'n' stuff' ok", ["O'Neil", "'s", "car", "'n", "'", "stuff", "'", "ok"]),
    ])
    func treebankRules(text: String, expected: [String]) {
        #expect(NLTKWordTokenizer().tokenize(text) == expected)
    }

    /// Without `.?!` Punkt returns the text as one sentence, so word_tokenize = tokenize.
    @Test func noSentencePunctuationIsOneSentence() {
        let t = NLTKWordTokenizer()
        #expect(t.sentences("i need help , it 's urgent") == ["i need help , it 's urgent"])
        #expect(t.wordTokenize("i can't , won't") == t.tokenize("i can't , won't"))
    }

    /// The simplified Punkt rule (documented approximation): break before a capital after a
    /// sentence end, not after an initial or a listed abbreviation.
    @Test func simplifiedSentenceSplit() {
        let t = NLTKWordTokenizer()
        #expect(t.sentences("Mr. Smith went home. He slept! J. Doe too.") == ["Mr. Smith went home.", "He slept!", "J. Doe too."])
        #expect(t.wordTokenize("It rained. We left.") == ["It", "rained", ".", "We", "left", "."])
    }

    /// Tricky real Clinc utterances (quote-like apostrophes, clitics, commas, MacIntyre
    /// contractions): the recipe's cleaning + our tokenizer equals cleaning + nltk 3.8.1, whose
    /// output is pinned here (one per distinct way NLTK splits differently from whitespace,
    /// collected over train/test/val by a throw-away script).
    @Test(.requiresShared(Shared.data))
    func realClincUtterances() throws {
        let locator = Shared.dataLocator
        let manifest = try locator.manifests.manifest(named: "clinc_oos")
        let recipe = try manifest.recipe.decode(ClincLoader.Recipe.self)
        let zip = try ZipEntries(data: try locator.read(try manifest.file(recipe.archive)), file: recipe.archive)
        var all = Set<String>()
        for entry in ["train.csv", "test.csv", "val.csv"] {
            for r in try CSVReader.parse(try zip.text(entry), file: entry).dropFirst() { all.insert(r.fields[0]) }
        }
        let cleaner = ClincLoader.Cleaner(drop: recipe.dropCharacters)
        for (raw, expected) in ClincTrickyCases.cases {
            #expect(all.contains(raw), "not a Clinc utterance: \(raw)")
            #expect(cleaner.tokens(raw) == expected, "\(raw)")
        }
    }
}
