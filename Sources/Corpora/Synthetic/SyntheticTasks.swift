/// The embedded default: small seeded tasks, one per I/O shape, used when no real data is
/// found. Each is learnable by a small RNN in seconds, and its classes differ in difficulty
/// (how many cue tokens an example carries, and how much cues overlap between classes), so
/// per-class results are not all alike. Marked `synthetic` = 1, source "synthetic".
///
/// Token ids: 0 = padding; cue and filler tokens above it. Names are invented words.
public enum SyntheticTasks {
    public static let names = Task.allCases.map { "synthetic_" + $0.rawValue }

    /// Examples per split for a profile.
    static func sizes(_ profile: Profile) -> (train: Int, test: Int) {
        switch profile {
        case .smoke: return (600, 200)
        case .quick: return (3_000, 1_000)
        case .paper: return (10_000, 2_500)
        }
    }

    public static func make(_ task: Task, profile: Profile, seed: UInt64 = 7) -> Dataset {
        let (nTrain, nTest) = sizes(profile)
        var g = SplitMix64(seed: seed ^ UInt64(Task.allCases.firstIndex(of: task)! + 1) &* 0x9E37_79B9)
        let d: Dataset
        switch task {
        case .oneToOne: d = classification(task, length: 8, nTrain, nTest, &g)
        case .manyToOne: d = classification(task, length: 15, nTrain, nTest, &g)
        case .oneToMany: d = multiLabel(nTrain, nTest, &g)
        case .manyToMany: d = tagging(nTrain, nTest, &g)
        case .encoderDecoder: d = translation(nTrain, nTest, &g)
        }
        var out = d
        out.recipe = d.recipe.merging(["profile": .string(profile.rawValue), "seed": .number(Double(seed))])
        return out
    }

    static func words(_ n: Int, _ g: inout SplitMix64) -> [String] {
        let c = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z"], v = ["a", "e", "i", "o", "u"]
        var seen = Set<String>(), out: [String] = []
        while out.count < n {
            let w = (0..<2).map { _ in c[g.below(c.count)] + v[g.below(v.count)] }.joined()
            if seen.insert(w).inserted { out.append(w) }
        }
        return out
    }

    // MARK: 1:1 and M:1 — the class is signalled by cue tokens among fillers

    /// Five classes; class k plants `cues[k]` tokens from its cue set, and classes 3 and 4 share
    /// half their cues (the hard pair). Vocabulary: 5 × 4 cue tokens, 20 fillers.
    static func classification(_ task: Task, length: Int, _ nTrain: Int, _ nTest: Int, _ g: inout SplitMix64) -> Dataset {
        let classes = 5, cuesPer = 4, fillers = 20
        let cueCount = [3, 3, 2, 2, 1]
        func cueSet(_ k: Int) -> [Int32] {
            var s = (0..<cuesPer).map { Int32(1 + k * cuesPer + $0) }
            if k == 4 { s[0] = Int32(1 + 3 * cuesPer); s[1] = Int32(2 + 3 * cuesPer) }   // overlaps class 3
            return s
        }
        let fillerBase = Int32(1 + classes * cuesPer)
        func example(_ g: inout SplitMix64) -> ([Int32], Int32) {
            let k = g.below(classes)
            var x = (0..<length).map { _ in fillerBase + Int32(g.below(fillers)) }
            let cues = cueSet(k)
            for _ in 0..<cueCount[k] { x[g.below(length)] = cues[g.below(cues.count)] }
            return (x, Int32(k))
        }
        func split(_ n: Int, _ g: inout SplitMix64) -> Split {
            var xs: [Int32] = [], ys: [Int32] = []
            for _ in 0..<n { let (x, y) = example(&g); xs += x; ys.append(y) }
            return Split(x: Int32Tensor(rows: n, columns: length, values: xs), y: Int32Tensor(ys))
        }
        let train = split(nTrain, &g), test = split(nTest, &g)
        let vocab = [""] + words(classes * cuesPer + fillers, &g)
        return Dataset(name: "synthetic_" + task.rawValue, task: task, train: train, test: test, numClasses: classes,
                       vocabSize: vocab.count, paddingLabel: -1, labelNames: ["alpha", "beta", "gamma", "delta", "epsilon"],
                       vocabulary: vocab,
                       recipe: .object(["kind": .string("cue classification"), "length": .number(Double(length)),
                                        "cues_per_example": .array(cueCount.map { .number(Double($0)) }),
                                        "note": .string("classes delta and epsilon share half their cue tokens")]),
                       synthetic: true, source: "synthetic")
    }

    // MARK: 1:N — the set of attributes present, as in wiki-toxicity's label sequences

    /// Four attributes with different base rates; output = sorted ids of present attributes
    /// (2…5), `[1]` when none, pre-padded with 0 to 4 steps.
    static func multiLabel(_ nTrain: Int, _ nTest: Int, _ g: inout SplitMix64) -> Dataset {
        let length = 12, attributes = 4, cuesPer = 3, fillers = 24, steps = 4
        let rates = [0.35, 0.25, 0.15, 0.08]
        let fillerBase = Int32(1 + attributes * cuesPer)
        func split(_ n: Int, _ g: inout SplitMix64) -> Split {
            var xs: [Int32] = [], ys: [[Int]] = []
            for _ in 0..<n {
                var x = (0..<length).map { _ in fillerBase + Int32(g.below(fillers)) }
                var present: [Int] = []
                var free = Array(0..<length)
                g.shuffle(&free)
                for a in 0..<attributes where g.unit() < rates[a] {
                    present.append(a + 2)
                    x[free.removeLast()] = Int32(1 + a * cuesPer + g.below(cuesPer))
                }
                xs += x
                ys.append(present.isEmpty ? [1] : present)
            }
            return Split(x: Int32Tensor(rows: n, columns: length, values: xs),
                         y: Int32Tensor(padding: ys, PadRecipe(length: steps, padding: .pre, truncating: .post)))
        }
        let train = split(nTrain, &g), test = split(nTest, &g)
        let vocab = [""] + words(attributes * cuesPer + fillers, &g)
        return Dataset(name: "synthetic_one_to_many", task: .oneToMany, train: train, test: test, numClasses: attributes + 2,
                       vocabSize: vocab.count, paddingLabel: 0, labelNames: ["<pad>", "none", "red", "green", "blue", "amber"],
                       vocabulary: vocab,
                       recipe: .object(["kind": .string("attribute sets"), "length": .number(Double(length)),
                                        "output_steps": .number(Double(steps)), "rates": .array(rates.map { .number($0) })]),
                       synthetic: true, source: "synthetic")
    }

    // MARK: M:N — part-of-speech tagging of a tiny grammar

    /// Sentences "DET (ADJ) NOUN VERB (ADP DET NOUN)" or "PRON VERB (ADP DET NOUN)"; a few words
    /// are both NOUN and VERB, so their tag depends on context. Pre-padded to 15 with tag 0.
    static func tagging(_ nTrain: Int, _ nTest: Int, _ g: inout SplitMix64) -> Dataset {
        let tagNames = ["<pad>", "det", "adj", "noun", "verb", "adp", "pron"]
        let lexicon = words(40, &g)
        // word ids (1-based into lexicon) per tag; ids 31…34 are ambiguous noun/verb.
        let wordsFor: [Int: [Int]] = [1: [1, 2, 3], 2: Array(4...10), 3: Array(11...22) + [31, 32, 33, 34],
                                      4: Array(23...28) + [31, 32, 33, 34], 5: [29, 30, 35, 36], 6: [37, 38, 39, 40]]
        let length = 15
        func sentence(_ g: inout SplitMix64) -> [(Int, Int)] {
            func w(_ tag: Int, _ g: inout SplitMix64) -> (Int, Int) { let c = wordsFor[tag]!; return (c[g.below(c.count)], tag) }
            var s: [(Int, Int)] = []
            if g.below(4) == 0 { s.append(w(6, &g)) } else {
                s.append(w(1, &g))
                for _ in 0..<g.below(3) { s.append(w(2, &g)) }
                s.append(w(3, &g))
            }
            s.append(w(4, &g))
            if g.below(2) == 0 { s += [w(5, &g), w(1, &g), w(3, &g)] }
            return s
        }
        func split(_ n: Int, _ g: inout SplitMix64) -> Split {
            var xs: [[Int]] = [], ys: [[Int]] = []
            for _ in 0..<n { let s = sentence(&g); xs.append(s.map(\.0)); ys.append(s.map(\.1)) }
            let p = PadRecipe(length: length, padding: .pre, truncating: .post)
            return Split(x: Int32Tensor(padding: xs, p), y: Int32Tensor(padding: ys, p))
        }
        let train = split(nTrain, &g), test = split(nTest, &g)
        return Dataset(name: "synthetic_many_to_many", task: .manyToMany, train: train, test: test, numClasses: tagNames.count,
                       vocabSize: lexicon.count + 1, paddingLabel: 0, labelNames: tagNames, vocabulary: [""] + lexicon,
                       recipe: .object(["kind": .string("tagging"), "length": .number(Double(length)),
                                        "note": .string("4 words are both noun and verb")]),
                       synthetic: true, source: "synthetic")
    }

    // MARK: encoder-decoder — one source language, three invented target languages

    /// Source sentences of 2–6 words. Target "ka": word-for-word, same order (easy); "lu":
    /// word-for-word, reversed order; "mo": word-for-word plus a particle after every verb-like
    /// word (length changes). Same vectorization as Tatoeba (source length 10, target 11).
    static func translation(_ nTrain: Int, _ nTest: Int, _ g: inout SplitMix64) -> Dataset {
        let sourceWords = words(30, &g)
        let langs = ["ka", "lu", "mo"]
        let lexicons = langs.map { _ in words(30, &g) }
        let particle = "ne"
        func target(_ s: [Int], _ k: Int) -> String {
            let mapped = s.map { lexicons[k][$0] }
            switch k {
            case 0: return mapped.joined(separator: " ")
            case 1: return mapped.reversed().joined(separator: " ")
            default: return zip(s, mapped).map { $0.0 % 5 == 0 ? $0.1 + " " + particle : $0.1 }.joined(separator: " ")
            }
        }
        func pairs(_ n: Int, _ g: inout SplitMix64) -> [(String, String, Int)] {
            (0..<n).map { _ in
                let s = (0..<(2 + g.below(5))).map { _ in g.below(sourceWords.count) }
                let k = g.below(langs.count)
                return (s.map { sourceWords[$0] }.joined(separator: " "), "[start\(langs[k])] " + target(s, k) + " [end\(langs[k])]", k)
            }
        }
        let trainPairs = pairs(nTrain, &g), testPairs = pairs(nTest, &g)
        let srcLen = 10, tgtLen = 11
        var src = TextVectorizer(outputLength: srcLen), tgt = TextVectorizer(outputLength: tgtLen, standardization: .keepBrackets)
        src.adapt(trainPairs.map(\.0))
        tgt.adapt(trainPairs.map(\.1))
        func split(_ p: [(String, String, Int)]) -> Split {
            let full = tgt(p.map(\.1))
            var dIn: [Int32] = [], dOut: [Int32] = []
            for r in 0..<p.count {
                dIn += full[(r * tgtLen)..<(r * tgtLen + tgtLen - 1)]
                dOut += full[(r * tgtLen + 1)..<((r + 1) * tgtLen)]
            }
            return Split(x: Int32Tensor(rows: p.count, columns: srcLen, values: src(p.map(\.0))),
                         y: Int32Tensor(rows: p.count, columns: tgtLen - 1, values: dOut),
                         xTarget: Int32Tensor(rows: p.count, columns: tgtLen - 1, values: dIn),
                         language: Int32Tensor(p.map { Int32($0.2) }))
        }
        return Dataset(name: "synthetic_encoder_decoder", task: .encoderDecoder, train: split(trainPairs), test: split(testPairs),
                       numClasses: tgt.vocabularySize, vocabSize: src.vocabularySize, paddingLabel: 0, labelNames: langs,
                       vocabulary: src.vocabulary,
                       translation: Translation(sourceLanguage: "zo", targetLanguages: langs, sourceVocabulary: src.vocabulary,
                                                targetVocabulary: tgt.vocabulary),
                       recipe: .object(["kind": .string("translation"), "source_length": .number(Double(srcLen)),
                                        "target_length": .number(Double(tgtLen)),
                                        "languages": .string("ka: same order; lu: reversed; mo: particle after every 5th source word id")]),
                       synthetic: true, source: "synthetic")
    }
}
