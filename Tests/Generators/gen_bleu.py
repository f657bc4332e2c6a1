"""Expected values of Tests/MetricsTests/CorpusBLEUTests.swift: NLTK 3.8.1 `corpus_bleu`, no
smoothing.

Run from the package root in a throw-away venv (Python 3.11, `pip install nltk==3.8.1`):
    /path/to/venv/bin/python Tests/Generators/gen_bleu.py
It prints the hand-built cases (`cases` in the test, maxN = 1...4) and then the random corpus
of `randomCorpus(seed:count:)`; every literal is a `repr`, pasted unchanged.
"""
import os
import sys
import warnings

import nltk
from nltk.translate.bleu_score import corpus_bleu

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from splitmix import SplitMix64  # noqa: E402

assert nltk.__version__ == "3.8.1", f"the expected values are NLTK 3.8.1's, this is {nltk.__version__}"


def uniform(n):
    return tuple([1.0 / n] * n)


# The authors' weights for BLEU-1..4 ('1-3-grams' is 0.3 x 3, not uniform).
AUTHORS = [(1.0, 0, 0, 0), (0.5, 0.5, 0, 0), (0.3, 0.3, 0.3, 0), (0.25, 0.25, 0.25, 0.25)]
S = str.split

# ---- hand-built cases, in the order of CorpusBLEUTests.cases ----
hyp1 = S("It is a guide to action which ensures that the military always obeys the commands of the party")
ref1a = S("It is a guide to action that ensures that the military will forever heed Party commands")
ref1b = S("It is the guiding principle which guarantees the military forces always being under the command of the Party")
ref1c = S("It is the practical guide for the army always to heed the directions of the party")
hyp2 = S("he read the book because he was interested in world history")
ref2a = S("he was interested in world history because he read the book")
cases = {
    "nltkDocstring": ([[ref1a, ref1b, ref1c], [ref2a]], [hyp1, hyp2]),
    "shortHypothesis": ([[["a"] * 28, ["a"] * 28]], [["a"] * 12]),
    "longHypothesis": ([[S("the cat sat on the mat")]], [S("the cat sat on the mat today again")]),
    "tieTakesShorter": ([[["a"] * 13, ["a"] * 11]], [["a"] * 12]),
    "tieTakesShorterBelow": ([[S("x y z w v u"), S("x y")]], [S("x y z w")]),
    "clipping": ([[S("the cat is on the mat"), S("there is a cat on the mat")]], [S("the the the the the the the")]),
    "noUnigramMatch": ([[S("a b c d")]], [S("e f g h")]),
    "noFourGramMatch": ([[S("a b c d e")]], [S("a b c x d e")]),
    "hypShorterThanN": ([[S("a b c d")], [S("a b c d e")]], [S("a b"), S("a b c d e")]),
    "refShorterThanN": ([[S("a b"), S("a b c")]], [S("a b c")]),
    "emptyHypothesisInCorpus": ([[S("a b c d")], [S("a b c d")]], [[], S("a b c d")]),
    "emptyHypothesisAlone": ([[S("a b c d")]], [[]]),
    # An empty corpus raises ZeroDivisionError (Fraction(0, 0)) in NLTK 3.8.1: the kit throws.
    "multiRefMaxClip": ([[S("a a b"), S("a b b a a")]], [S("a a a a b b b")]),
}

# ---- the random corpus: the same stream as CorpusBLEUTests.randomCorpus ----
VOCAB = ["the", "cat", "sat", "on", "a", "mat", "dog", "ran"]


def random_corpus(seed, count):
    rng = SplitMix64(seed)
    refs_all, hyps = [], []
    for _ in range(count):
        hyp = [VOCAB[rng.modulo_below(len(VOCAB))] for _ in range(rng.modulo_below(13))]
        refs = []
        for _ in range(1 + rng.modulo_below(3)):
            ref = [t if rng.modulo_below(10) >= 3 else VOCAB[rng.modulo_below(len(VOCAB))] for t in hyp]
            k = rng.modulo_below(7)  # 0, 1, 2: drop k tokens; 3...6: append k - 3 tokens
            if k < 3:
                ref = ref[:max(0, len(ref) - k)]
            else:
                ref = ref + [VOCAB[rng.modulo_below(len(VOCAB))] for _ in range(k - 3)]
            refs.append(ref)
        refs_all.append(refs)
        hyps.append(hyp)
    return refs_all, hyps


with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    print("// cases (name, expected for maxN = 1...4):")
    for name, (r, h) in cases.items():
        print(f"// {name}: [" + ", ".join(repr(float(corpus_bleu(r, h, weights=uniform(n)))) for n in range(1, 5)) + "]")

    refs, hyps = random_corpus(20230514, 300)
    print("// tokens:", sum(len(h) for h in hyps), "empty hypotheses:", sum(1 for h in hyps if not h))
    print("let randomCorpusUniform = [" + ", ".join(repr(corpus_bleu(refs, hyps, weights=uniform(n))) for n in range(1, 5)) + "]")
    print("let randomCorpusAuthors = [" + ", ".join(repr(corpus_bleu(refs, hyps, weights=w)) for w in AUTHORS) + "]")
    print("let randomPrefix100Uniform4 =", repr(corpus_bleu(refs[:100], hyps[:100], weights=uniform(4))))
    for n in (2, 4):
        vals = [corpus_bleu([refs[i]], [hyps[i]], weights=uniform(n)) for i in range(60)]
        print(f"let randomSentenceUniform{n}: [Double] = [" + ", ".join(repr(float(v)) for v in vals) + "]")
    print("// NLTK warnings:", len(caught))
