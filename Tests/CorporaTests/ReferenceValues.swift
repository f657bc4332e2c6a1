/// Values produced by the authors' Python recipes (tf_keras 2.21, nltk 3.8.1, numpy 2) on the
/// shared data, by throw-away scripts: Clinc per DATA.md (TFDS md5 order, text_processing,
/// Tokenizer fit on train then test token lists); Brown via `brown.tagged_sents(tagset=
/// 'universal')` with Tokenizers and `RandomState(4).permutation` (= sklearn's split);
/// Tatoeba via the authors' `load_tatoeba` (seed 19) with tf_keras TextVectorization.
/// `firstTestRow` is also printed by Tests/Generators/gen_authors_clinc_keras.py.
enum ClincReference {
    static let firstTestRow: [Int32] = [0, 0, 0, 0, 0, 12, 6, 25, 11, 1, 13, 46, 2, 122, 402]
    static let firstTestLabels: [Int32] = [7, 8, 4, 1, 5, 9, 1, 3, 6, 0]
}

enum BrownReference {
    static let wordIndexSize = 49_815
    static let firstTestX: [Int32] = [23, 7, 443, 35, 505, 1681, 38, 3360, 38, 232, 93, 225, 25, 1015, 199]
    static let firstTestY: [Int32] = [4, 5, 1, 5, 6, 1, 3, 6, 3, 2, 8, 7, 8, 2, 7]
}

enum TatoebaReference {
    static let sourceVocabSize = 11_553
    static let targetVocabSize = 30_000
    /// "If not, how do you explain the acceleration?" → "[startde] Wenn nicht, … [endde]".
    static let firstTestSource: [Int32] = [95, 23, 49, 20, 7, 798, 2, 10503, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    static let firstTestDecoderInput: [Int32] = [2, 208, 25, 75, 1, 23, 31, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
}
