import Foundation
import KitRandom
import Testing
import Metrics
import TestSupport

// Corpus BLEU against NLTK 3.8.1 `corpus_bleu` (no smoothing). Every expected value below is
// printed by Tests/Generators/gen_bleu.py (Python 3.11.7, nltk 3.8.1 in a throw-away venv; run
// as its docstring says; it reproduces every literal here) and pasted as a `repr` literal — the
// shortest decimal that round-trips, so the literal is NLTK's double exactly. The random corpus
// is regenerated here with the same SplitMix64 stream instead of being pasted.

/// How close we must be to NLTK, absolute and relative. Both sides compute the same operations
/// in the same order (integer counts, one correctly rounded division per order, glibc
/// `log`/`exp`, correctly rounded `fsum`), so the results are expected to be bit-identical; the
/// tolerance leaves room for a different libm on another platform.
let bleuTolerance = Tolerance.float64Arithmetic

@Suite struct CorpusBLEUTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let references: [[String]]      // per hypothesis: references separated by " | "
        let hypotheses: [String]
        let expected: [Double]          // uniform weights, maxN = 1, 2, 3, 4
        var testDescription: String { name }

        var tokenizedReferences: [[[String]]] {
            references.map { $0.map { whitespaceTokens($0) } }
        }
        var tokenizedHypotheses: [[String]] { hypotheses.map { whitespaceTokens($0) } }
    }

    static let a28 = String(repeating: "a ", count: 28)
    static let a13 = String(repeating: "a ", count: 13), a11 = String(repeating: "a ", count: 11)
    static let a12 = String(repeating: "a ", count: 12)

    static let cases: [Case] = [
        Case(name: "NLTK docstring corpus (3 + 1 references)",
             references: [["It is a guide to action that ensures that the military will forever heed Party commands",
                           "It is the guiding principle which guarantees the military forces always being under the command of the Party",
                           "It is the practical guide for the army always to heed the directions of the party"],
                          ["he was interested in world history because he read the book"]],
             hypotheses: ["It is a guide to action which ensures that the military always obeys the commands of the party",
                          "he read the book because he was interested in world history"],
             expected: [0.9655172413793104, 0.8242803277698696, 0.7069430098960677, 0.5920778868801042]),
        Case(name: "hypothesis shorter than references: BP = exp(1 - 28/12)",
             references: [[a28, a28]], hypotheses: [a12],
             expected: [0.2635971381157267, 0.2635971381157267, 0.2635971381157267, 0.2635971381157267]),
        Case(name: "hypothesis longer than reference: BP = 1",
             references: [["the cat sat on the mat"]], hypotheses: ["the cat sat on the mat today again"],
             expected: [0.75, 0.7319250547113999, 0.709491705985192, 0.6803749333171202]),
        Case(name: "closest-length tie 13 vs 11 goes to 11",
             references: [[a13, a11]], hypotheses: [a12],
             expected: [1.0, 1.0, 1.0, 1.0]),
        Case(name: "closest-length tie 6 vs 2 goes to 2",
             references: [["x y z w v u", "x y"]], hypotheses: ["x y z w"],
             expected: [1.0, 1.0, 1.0, 1.0]),
        Case(name: "clipping: the the the … against two references",
             references: [["the cat is on the mat", "there is a cat on the mat"]],
             hypotheses: ["the the the the the the the"],
             expected: [0.2857142857142857, 7.973301625706314e-155, 5.210430485352253e-206, 1.331960397810445e-231]),
        Case(name: "no unigram match: exactly 0 (NLTK returns int 0)",
             references: [["a b c d"]], hypotheses: ["e f g h"],
             expected: [0.0, 0.0, 0.0, 0.0]),
        Case(name: "no 4-gram match: tiny, not 0 (p4 = sys.float_info.min)",
             references: [["a b c d e"]], hypotheses: ["a b c x d e"],
             expected: [0.8333333333333334, 0.7071067811865476, 0.5, 7.262123179505913e-78]),
        Case(name: "hypothesis shorter than n adds 1 to the order's total",
             references: [["a b c d"], ["a b c d e"]], hypotheses: ["a b", "a b c d e"],
             expected: [0.7514772930752859, 0.7514772930752859, 0.6827624321464275, 0.6319145618915729]),
        Case(name: "references shorter than n",
             references: [["a b", "a b c"]], hypotheses: ["a b c"],
             expected: [1.0, 1.0, 1.0, 1.2213386697554703e-77]),
        Case(name: "empty hypothesis inside a corpus",
             references: [["a b c d"], ["a b c d"]], hypotheses: ["", "a b c d"],
             expected: [0.2943035529371539, 0.2849581898138175, 0.27105588979556333, 0.24601580968354606]),
        Case(name: "empty hypothesis alone: 0",
             references: [["a b c d"]], hypotheses: [""],
             expected: [0.0, 0.0, 0.0, 0.0]),
        Case(name: "clip by the max count over references",
             references: [["a a b", "a b b a a"]], hypotheses: ["a a a a b b b"],
             expected: [0.7142857142857143, 0.5976143046671969, 0.5227579585747103, 7.508645449069235e-78]),
    ]

    @Test(arguments: cases)
    func handBuiltCaseMatchesNLTK(_ c: Case) throws {
        let got = try (1...4).map { n in
            try corpusBLEU(references: c.tokenizedReferences, hypotheses: c.tokenizedHypotheses, maxN: n)
        }
        let d = Difference(got, c.expected)
        #expect(d.maxAbsDiff <= bleuTolerance, "\(d)")
        #expect(d.maxRelDiff <= bleuTolerance, "\(d)")
    }

    @Test func zeroUnigramMatchIsExactlyZeroAndTinyIsNot() throws {
        #expect(try corpusBLEU(referenceLines: ["a b c d"], hypothesisLines: ["e f g h"]) == 0)
        let tiny = try corpusBLEU(referenceLines: ["a b c d e"], hypothesisLines: ["a b c x d e"])
        #expect(tiny > 0 && tiny < 1e-77)
        let s = try BLEUStatistics(references: [[["a", "b", "c", "d", "e"]]], hypotheses: [["a", "b", "c", "x", "d", "e"]])
        #expect(s.matches == [5, 3, 1, 0])
        #expect(s.totals == [6, 5, 4, 3])
        #expect(s.zeroMatchOrders == [4])               // NLTK warns for 4-grams here
        #expect(s.hypothesisLength == 6 && s.referenceLength == 5)
        #expect(s.brevityPenalty == 1)
    }

    @Test func statisticsOfShortHypothesis() throws {
        // "a b" vs "a b c d" and "a b c d e" vs itself: order 3 gets 0 + 3 matches of 1 + 3 n-grams.
        let s = try BLEUStatistics(references: [[["a", "b", "c", "d"]], [["a", "b", "c", "d", "e"]]],
                                   hypotheses: [["a", "b"], ["a", "b", "c", "d", "e"]])
        #expect(s.matches == [7, 5, 3, 2])
        #expect(s.totals == [7, 5, 4, 3])
        #expect(s.hypothesisLength == 7 && s.referenceLength == 9)
        #expect(s.sentenceCount == 2)
    }

    // MARK: Random corpus

    static let vocabulary = ["the", "cat", "sat", "on", "a", "mat", "dog", "ran"]

    /// Same stream as `random_corpus` in Tests/Generators/gen_bleu.py.
    static func randomCorpus(seed: UInt64, count: Int) -> (references: [[[String]]], hypotheses: [[String]]) {
        var rng = SplitMix64(seed: seed)
        var refsAll: [[[String]]] = [], hyps: [[String]] = []
        for _ in 0..<count {
            let hypLength = rng.moduloBelow(13)
            let hyp = (0..<hypLength).map { _ in vocabulary[rng.moduloBelow(vocabulary.count)] }
            var refs: [[String]] = []
            for _ in 0..<(1 + rng.moduloBelow(3)) {
                var ref = hyp.map { t in rng.moduloBelow(10) >= 3 ? t : vocabulary[rng.moduloBelow(vocabulary.count)] }
                let k = rng.moduloBelow(7)
                if k < 3 {
                    ref = Array(ref.prefix(max(0, ref.count - k)))
                } else {
                    for _ in 0..<(k - 3) { ref.append(vocabulary[rng.moduloBelow(vocabulary.count)]) }
                }
                refs.append(ref)
            }
            refsAll.append(refs)
            hyps.append(hyp)
        }
        return (refsAll, hyps)
    }

    @Test func randomCorpusMatchesNLTK() throws {
        let (refs, hyps) = Self.randomCorpus(seed: 20230514, count: 300)
        #expect(hyps.reduce(0) { $0 + $1.count } == 1828)          // the script printed 1828 tokens
        #expect(hyps.filter(\.isEmpty).count == 22)                // and 22 empty hypotheses
        let randomCorpusUniform = [0.8651391400960229, 0.7830212790641431, 0.6995485397144823, 0.6123154673784965]
        let randomCorpusAuthors = [0.8651391400960229, 0.7830212790641431, 0.7241643698088608, 0.6123154673784965]
        let randomPrefix100Uniform4 = 0.6612883090213624

        let stats = try BLEUStatistics(references: refs, hypotheses: hyps, maxN: 4)
        let uniform = try (1...4).map { try stats.score(upTo: $0) }
        let viaFunction = try (1...4).map { try corpusBLEU(references: refs, hypotheses: hyps, maxN: $0) }
        let authors = try BLEUWeights.authors.map { try stats.score(weights: $0) }
        let prefix = try corpusBLEU(references: Array(refs.prefix(100)), hypotheses: Array(hyps.prefix(100)), maxN: 4)

        let d = Difference(uniform + viaFunction + authors + [prefix],
                           randomCorpusUniform + randomCorpusUniform + randomCorpusAuthors + [randomPrefix100Uniform4])
        #expect(d.maxAbsDiff <= bleuTolerance, "\(d)")
        #expect(d.maxRelDiff <= bleuTolerance, "\(d)")
        // The authors' '1-3-grams' weights (0.3 ×3) are not uniform(3):
        #expect(abs(authors[2] - uniform[2]) > 0.02)
    }

    /// Each of the first 60 random sentences as its own corpus — the zero-match paths.
    @Test func randomSentencesMatchNLTK() throws {
        let (refs, hyps) = Self.randomCorpus(seed: 20230514, count: 60)
        let randomSentenceUniform2: [Double] = [0.6236095644623236, 1.0, 0.9131007162822624, 0.8824969025845955, 8.612150057732663e-155, 1.0, 0.3630407264452067, 1.0, 0.9128709291752769, 0.41306928834111334, 0.3630407264452067, 0.816496580927726, 1.0547686614863434e-154, 0.6236095644623235, 1.0, 0.537190204027976, 1.0, 0.5976143046671968, 0.9428090415820634, 0.9128709291752768, 1.0, 1.0, 1.491668146240062e-154, 0.8170333703998377, 0.9045340337332909, 0.0, 0.9045340337332909, 0.5504818825631803, 0.36787944117144233, 0.8660254037844387, 0.7559289460184544, 0.0, 0.0, 0.8337529180751805, 1.0, 1.491668146240062e-154, 1.0547686614863434e-154, 1.0, 0.8660254037844387, 0.9258200997725514, 0.0, 1.0, 1.0, 5.808561601872144e-155, 1.0, 0.5976143046671969, 0.8944271909999159, 0.9045340337332909, 0.8944271909999159, 0.5477225575051662, 0.4239476213483084, 1.0, 0.8170333703998377, 1.0, 0.5163977794943222, 0.8528028654224418, 0.9534625892455924, 0.8944271909999159, 1.0, 0.0]
        let randomSentenceUniform4: [Double] = [5.929498746342409e-78, 1.491668146240062e-154, 0.8250796367302369, 0.7018239548531161, 1.384292958842266e-231, 1.0, 6.439988060393651e-155, 0.9306048591020996, 0.537284965911771, 0.2395821795409811, 6.439988060393651e-155, 0.5969491792019646, 1.5319719891192393e-231, 0.537284965911771, 1.2213386697554703e-77, 0.27143466477063505, 0.8091067115702212, 0.5169731539571706, 0.9036020036098448, 0.7545031759729782, 1.2213386697554703e-77, 1.0, 1.821831989445342e-231, 0.7140341668211279, 0.6076795808137692, 0.0, 0.6360188027707555, 0.317023313852343, 5.487540440520353e-155, 0.7730551756939454, 0.6434588841607617, 0.0, 0.0, 0.806379317468634, 1.0, 1.821831989445342e-231, 1.5319719891192393e-231, 1.0, 0.7071067811865476, 8.929334592065812e-78, 0.0, 1.0, 1.2213386697554703e-77, 1.0032743411283238e-231, 1.0, 0.4347208719449914, 0.6042750794713536, 0.7102992180127422, 0.5773502691896258, 6.86809206056511e-78, 4.947126313800877e-78, 0.7952707287670506, 0.5131108244419322, 0.9036020036098448, 6.206021746903507e-78, 0.5042387236869966, 0.8344522897223012, 0.7598356856515925, 1.2213386697554703e-77, 0.0]
        let got2 = try (0..<60).map { try corpusBLEU(references: [refs[$0]], hypotheses: [hyps[$0]], maxN: 2) }
        let got4 = try (0..<60).map { try corpusBLEU(references: [refs[$0]], hypotheses: [hyps[$0]], maxN: 4) }
        let d = Difference(got2 + got4, randomSentenceUniform2 + randomSentenceUniform4)
        #expect(d.maxAbsDiff <= bleuTolerance, "\(d)")
        #expect(d.maxRelDiff <= bleuTolerance, "\(d)")
        #expect(got4.filter { $0 == 0 }.count == 5)      // five sentences with no unigram match
    }

    // MARK: API edges

    @Test func lineConvenienceTokenizesLikePythonSplit() throws {
        let lines = try corpusBLEU(referenceLines: [["  the cat\tsat on\nthe mat "]],
                                   hypothesisLines: ["the cat sat on the mat today again"], maxN: 4)
        #expect(abs(lines - 0.6803749333171202) <= bleuTolerance)
        let single = try corpusBLEU(referenceLines: ["the cat sat on the mat"],
                                    hypothesisLines: ["the cat sat on the mat today again"], maxN: 2)
        #expect(abs(single - 0.7319250547113999) <= bleuTolerance)
    }

    @Test func whitespaceTokensIsPythonStrSplit() {
        #expect(whitespaceTokens("") == [])
        #expect(whitespaceTokens(" \t\n ") == [])
        #expect(whitespaceTokens("  a  b\tc\r\nd ") == ["a", "b", "c", "d"])
        // U+001C…U+001F, U+0085, U+00A0, U+2009, U+3000 split in Python; U+200B (zero width) does not.
        #expect(whitespaceTokens("a\u{1C}b\u{1F}c\u{85}d\u{A0}e\u{2009}f\u{3000}g\u{200B}h")
                == ["a", "b", "c", "d", "e", "f", "g\u{200B}h"])
        // A combining mark after a space starts the next token (Python works on code points).
        #expect(whitespaceTokens("a \u{301}b") == ["a", "\u{301}b"])
    }

    @Test func errors() throws {
        #expect(throws: MetricsError.empty(metric: "BLEU", detail: "the corpus has no hypothesis")) {
            try corpusBLEU(references: [], hypotheses: [], maxN: 4)    // NLTK: ZeroDivisionError
        }
        #expect(throws: MetricsError.empty(metric: "BLEU", detail: "hypothesis 0 has no reference")) {
            try corpusBLEU(references: [[]], hypotheses: [["a"]], maxN: 4)   // NLTK: KeyError
        }
        #expect(throws: MetricsError.countMismatch(metric: "BLEU", what: "references (one list per hypothesis)",
                                                   expected: 2, found: 1)) {
            try corpusBLEU(references: [[["a"]]], hypotheses: [["a"], ["b"]], maxN: 4)
        }
        #expect(throws: MetricsError.invalidArgument(metric: "BLEU", detail: "maxN must be at least 1, got 0")) {
            try corpusBLEU(references: [[["a"]]], hypotheses: [["a"]], maxN: 0)
        }
        let s = try BLEUStatistics(references: [[["a"]]], hypotheses: [["a"]], maxN: 2)
        #expect(throws: MetricsError.self) { try s.score(weights: [0.2, 0.2, 0.6]) }
        #expect(try s.score(weights: [1]) == 1)
    }

    @Test func incrementalStatisticsEqualBatch() throws {
        let (refs, hyps) = Self.randomCorpus(seed: 20230514, count: 50)
        var incremental = try BLEUStatistics(maxN: 4)
        for k in hyps.indices { try incremental.add(references: refs[k], hypothesis: hyps[k]) }
        let batch = try BLEUStatistics(references: refs, hypotheses: hyps, maxN: 4)
        #expect(incremental == batch)
        #expect(try incremental.score() == batch.score())
        #expect(batch.totals[3] >= 50)     // every hypothesis adds at least 1 to each order's total
    }
}

/// `bleu`'s reader (issue 11 item 8): CRLF and CR end lines like LF; invalid UTF-8 names the line.
struct SentenceFileTests {
    @Test func lineEndsAreNormalised() throws {
        let lf = try SentenceFile.lines(bytes: Array("a b\nc d\n".utf8), path: "x")
        #expect(lf == ["a b", "c d"])
        #expect(try SentenceFile.lines(bytes: Array("a b\r\nc d\r\n".utf8), path: "x") == lf)
        #expect(try SentenceFile.lines(bytes: Array("a b\rc d".utf8), path: "x") == lf)
        #expect(try SentenceFile.lines(bytes: Array("a b\r\n\r\nc".utf8), path: "x") == ["a b", "", "c"])
        // CRLF references against LF hypotheses: same score as LF against LF.
        let refs = try SentenceFile.lines(bytes: Array("the cat sat on the mat\r\nhello world there\r\n".utf8), path: "r")
        let hyps = try SentenceFile.lines(bytes: Array("the cat sat on a mat\nhello world there\n".utf8), path: "h")
        let lfRefs = ["the cat sat on the mat", "hello world there"]
        #expect(try corpusBLEU(referenceLines: refs, hypothesisLines: hyps) == corpusBLEU(referenceLines: lfRefs, hypothesisLines: hyps))
    }

    @Test func invalidUTF8NamesFileAndLine() {
        #expect(throws: SentenceFile.ReadError.invalidUTF8(path: "r.txt", line: 3)) {
            try SentenceFile.lines(bytes: Array("ok\r\nok\n".utf8) + [0xC3, 0x28] + Array("\n".utf8), path: "r.txt")
        }
    }
}

/// Findings of `make fuzz` (fuzz-bleu) on the sentence-file reader.
struct SentenceFileFuzzFindings {
    /// The empty file: no lines. Reading it through FileManager.contents(atPath:) leaked 4 KiB
    /// (LeakSanitizer's report in fuzz-bleu); `make sanitize` runs this test under LeakSanitizer.
    @Test func emptyFileHasNoLines() throws {
        let path = TestScratch.root.appendingPathComponent("empty-\(UUID().uuidString).txt").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try SentenceFile.lines(path: path) == [])
        let one = path + ".1"
        #expect(FileManager.default.createFile(atPath: one, contents: Data("a b\r\nc".utf8)))
        defer { try? FileManager.default.removeItem(atPath: one) }
        #expect(try SentenceFile.lines(path: one) == ["a b", "c"])
    }

    @Test func folderAndMissingFileAreUnreadable() throws {
        let dir = FileManager.default.temporaryDirectory.path
        #expect(throws: SentenceFile.ReadError.unreadable(path: dir)) { try SentenceFile.lines(path: dir) }
        let missing = dir + "/absent-\(UUID().uuidString).txt"
        #expect(throws: SentenceFile.ReadError.unreadable(path: missing)) { try SentenceFile.lines(path: missing) }
    }
}
