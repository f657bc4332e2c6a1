import Testing
@testable import Corpora

/// Expected values from tf_keras 2.21 in a throw-away venv, e.g.
/// `t = Tokenizer(num_words=6, oov_token='<OOV>'); t.fit_on_texts(texts[:3]); t.fit_on_texts(texts[3:])`.
@Suite("Keras Tokenizer and pad_sequences")
struct KerasTokenizerTests {
    let texts = ["The cat sat on the mat.", "The dog ate my homework!", "Cat-dog: friends?", "a\tb\nc  d", "Émile's CAFÉ, naïve"]

    @Test func wordIndexCountsAndSequences() {
        var t = KerasTokenizer(numWords: 6, oovToken: "<OOV>")
        t.fit(texts: Array(texts[..<3]))
        t.fit(texts: Array(texts[3...]))
        let expected = ["<OOV>": 1, "the": 2, "cat": 3, "dog": 4, "sat": 5, "on": 6, "mat": 7, "ate": 8, "my": 9, "homework": 10,
                        "friends": 11, "a": 12, "b": 13, "c": 14, "d": 15, "émile's": 16, "café": 17, "naïve": 18]
        #expect(t.wordIndex == expected)
        #expect(t.wordCounts.map(\.word) == ["the", "cat", "sat", "on", "mat", "dog", "ate", "my", "homework", "friends",
                                             "a", "b", "c", "d", "émile's", "café", "naïve"])
        #expect(t.wordCounts.map(\.count) == [3, 2, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1])
        #expect(t.sequences(texts: texts + ["unknown words the the"])
                == [[2, 3, 5, 1, 2, 1], [2, 4, 1, 1, 1], [3, 4, 1], [1, 1, 1, 1], [1, 1, 1], [1, 1, 2, 2]])
        #expect(t.embeddingInputSize == 6)
    }

    /// Token lists: lower-cased only, no filters (`"b.c"` survives); unknown words dropped.
    @Test func tokenLists() {
        var t = KerasTokenizer()
        t.fit(tokenLists: [["Hello", "world", "hello"], ["World", "b.c", "it's"], ["zeta", "alpha"]])
        #expect(t.wordIndex == ["hello": 1, "world": 2, "b.c": 3, "it's": 4, "zeta": 5, "alpha": 6])
        #expect(t.sequences(tokenLists: [["hello", "b.c", "new", "ALPHA"]]) == [[1, 3, 6]])
        #expect(t.embeddingInputSize == 7)
    }

    /// An OOV token that also occurs as a word keeps its later index (Python dict semantics).
    @Test func oovTokenAlsoAWord() {
        var t = KerasTokenizer(oovToken: "x")
        t.fit(texts: ["x y y z"])
        #expect(t.wordIndex == ["x": 3, "y": 2, "z": 4])
        #expect(t.sequences(texts: ["x y q"]) == [[3, 2, 3]])
    }

    /// `pad_sequences([[1,2,3,4,5],[6],[],[7,8]], maxlen=3, padding=p, truncating=t, value=-1)`.
    @Test(arguments: [
        (PadSide.pre, PadSide.pre, [[3, 4, 5], [-1, -1, 6], [-1, -1, -1], [-1, 7, 8]]),
        (.pre, .post, [[1, 2, 3], [-1, -1, 6], [-1, -1, -1], [-1, 7, 8]]),
        (.post, .pre, [[3, 4, 5], [6, -1, -1], [-1, -1, -1], [7, 8, -1]]),
        (.post, .post, [[1, 2, 3], [6, -1, -1], [-1, -1, -1], [7, 8, -1]]),
    ] as [(PadSide, PadSide, [[Int32]])])
    func padding(padding: PadSide, truncating: PadSide, expected: [[Int32]]) {
        let out = padSequences([[1, 2, 3, 4, 5], [6], [], [7, 8]], maxLength: 3, padding: padding, truncating: truncating, value: -1)
        #expect(out == expected.flatMap { $0 })
    }

    /// `pad_sequences(seqs)`: no maxlen pads to the longest, pre, value 0.
    @Test func paddingToLongest() {
        #expect(padSequences([[1, 2, 3, 4, 5], [6], [], [7, 8]]) == [1, 2, 3, 4, 5, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 7, 8])
    }
}

/// Expected values from tf_keras 2.21 `TextVectorization` (see each test).
@Suite("TextVectorization")
struct TextVectorizerTests {
    /// `TextVectorization(max_tokens=12, output_sequence_length=6).adapt(src)`: ties by
    /// descending UTF-8 bytes, ASCII-only lower-casing, U+00A0 does not split, \v and \f do.
    @Test func defaultStandardization() {
        let src = ["Hello, World!", "It's a dog's life.", "Über ÉCOLE école", "b a c", "a\u{00A0}b\tc\u{0B}d\u{0C}e", "¿Qué? [UNK] x-y"]
        var v = TextVectorizer(maxTokens: 12, outputLength: 6)
        v.adapt(src)
        #expect(v.vocabulary == ["", "[UNK]", "c", "a", "école", "Über", "École", "¿qué", "xy", "world", "unk", "life"])
        #expect(v(src + ["never seen hello"]) == [[1, 9, 0, 0, 0, 0], [1, 3, 1, 11, 0, 0], [5, 6, 4, 0, 0, 0], [1, 3, 2, 0, 0, 0],
                                                  [1, 2, 1, 1, 0, 0], [7, 10, 8, 0, 0, 0], [1, 1, 1, 0, 0, 0]].flatMap { $0 })
    }

    /// The translation tutorial's `custom_standardization` (keeps `[` `]`, strips "¿"),
    /// `max_tokens=30000, output_sequence_length=8`.
    @Test func bracketKeepingStandardization() {
        let tg = ["[startfr] Je suis là. [endfr]", "[startfr] Où es-tu ? [endfr]", "[startde] Ich bin hier. [endde]", "¿Qué tal? [START]"]
        var v = TextVectorizer(maxTokens: 30000, outputLength: 8, standardization: .keepBrackets)
        v.adapt(tg)
        #expect(v.vocabulary == ["", "[UNK]", "[startfr]", "[endfr]", "tal", "suis", "qué", "où", "là", "je", "ich", "hier", "estu",
                                 "bin", "[startde]", "[start]", "[endde]"])
        #expect(v(tg) == [[2, 9, 5, 8, 3, 0, 0, 0], [2, 7, 12, 3, 0, 0, 0, 0], [14, 10, 13, 11, 16, 0, 0, 0], [6, 4, 15, 0, 0, 0, 0, 0]].flatMap { $0 })
    }
}
