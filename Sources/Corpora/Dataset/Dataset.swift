/// The five input/output shapes of the paper.
public enum Task: String, Codable, CaseIterable, Sendable {
    case oneToOne = "one_to_one"
    case manyToOne = "many_to_one"
    case oneToMany = "one_to_many"
    case manyToMany = "many_to_many"
    case encoderDecoder = "encoder_decoder"
}

/// How much data a run uses (ARCHITECTURE.md "Profiles").
public enum Profile: String, Codable, CaseIterable, Sendable {
    /// Seconds: a few hundred examples.
    case smoke
    /// Minutes: a few thousand examples.
    case quick
    /// The paper's full recipe.
    case paper

    /// Most train / test (and validation) examples kept; nil = all. Subsampling happens after
    /// the full recipe ran, so vocabulary and ids are the paper's.
    public var limits: (train: Int?, test: Int?) {
        switch self {
        case .smoke: return (256, 128)
        case .quick: return (4_000, 1_000)
        case .paper: return (nil, nil)
        }
    }
    /// The value for this profile (a report's profile note, a sample count, …).
    public func pick<T>(smoke: T, quick: T, paper: T) -> T {
        switch self { case .smoke: smoke; case .quick: quick; case .paper: paper }
    }
}

/// A row-major int32 array: `[N]` or `[N, T]`.
public struct Int32Tensor: Equatable, Sendable {
    public var shape: [Int]
    public var values: [Int32]

    public init(shape: [Int], values: [Int32]) {
        precondition(shape.reduce(1, *) == values.count, "shape \(shape) does not hold \(values.count) values")
        self.shape = shape
        self.values = values
    }

    /// A vector.
    public init(_ values: [Int32]) { self.init(shape: [values.count], values: values) }

    /// Rows of equal length.
    public init(rows: Int, columns: Int, values: [Int32]) { self.init(shape: [rows, columns], values: values) }

    public var count: Int { shape.first ?? 0 }
    /// Values per example (1 for a vector).
    public var rowLength: Int { shape.dropFirst().reduce(1, *) }

    public func row(_ i: Int) -> ArraySlice<Int32> { values[(i * rowLength)..<((i + 1) * rowLength)] }

    /// The examples at `indices`, in that order.
    public func rows(_ indices: [Int]) -> Int32Tensor {
        var v: [Int32] = []
        v.reserveCapacity(indices.count * rowLength)
        for i in indices { v.append(contentsOf: row(i)) }
        return Int32Tensor(shape: [indices.count] + shape.dropFirst(), values: v)
    }
}

/// One split of a data set. For translation `xTarget` holds the decoder inputs and
/// `language` the index (into `Translation.targetLanguages`) of each example's target language.
public struct Split: Equatable, Sendable {
    public var x: Int32Tensor
    public var y: Int32Tensor
    public var xTarget: Int32Tensor?
    public var language: Int32Tensor?

    public init(x: Int32Tensor, y: Int32Tensor, xTarget: Int32Tensor? = nil, language: Int32Tensor? = nil) {
        precondition(x.count == y.count, "x has \(x.count) examples, y has \(y.count)")
        self.x = x
        self.y = y
        self.xTarget = xTarget
        self.language = language
    }

    public var count: Int { x.count }

    public func subset(_ indices: [Int]) -> Split {
        Split(x: x.rows(indices), y: y.rows(indices), xTarget: xTarget?.rows(indices), language: language?.rows(indices))
    }
}

/// What an encoder-decoder data set adds.
public struct Translation: Equatable, Sendable {
    public var sourceLanguage: String
    public var targetLanguages: [String]
    public var sourceVocabulary: [String]
    public var targetVocabulary: [String]

    public init(sourceLanguage: String, targetLanguages: [String], sourceVocabulary: [String], targetVocabulary: [String]) {
        self.sourceLanguage = sourceLanguage
        self.targetLanguages = targetLanguages
        self.sourceVocabulary = sourceVocabulary
        self.targetVocabulary = targetVocabulary
    }

    public var sourceVocabSize: Int { sourceVocabulary.count }
    public var targetVocabSize: Int { targetVocabulary.count }
}

/// A data set in memory, exactly what a dataset .h5 file holds (see `DatasetFile`).
public struct Dataset: Equatable, Sendable {
    public var name: String
    public var task: Task
    public var train: Split
    public var test: Split
    public var validation: Split?
    /// Output classes including a padding class when there is one.
    public var numClasses: Int
    /// The embedding input size a model needs (ids are below it).
    public var vocabSize: Int
    /// The label that marks padding in `y` (0 for sequence outputs), -1 when none.
    public var paddingLabel: Int
    /// Name of each label id, `labelNames[k]` for class k.
    public var labelNames: [String]
    /// Input vocabulary, index → token (index 0 = padding), when the recipe has one.
    public var vocabulary: [String]
    public var translation: Translation?
    /// The parameters actually used (manifest recipe plus profile and subsampling).
    public var recipe: JSONValue
    public var synthetic: Bool
    /// Manifest name, or "synthetic".
    public var source: String
    /// Multi-label: `y` is `[N, numClasses]` of 0/1, each label decided on its own (a sigmoid head).
    public var multiLabel: Bool

    public init(name: String, task: Task, train: Split, test: Split, validation: Split? = nil, numClasses: Int, vocabSize: Int,
                paddingLabel: Int, labelNames: [String], vocabulary: [String] = [], translation: Translation? = nil,
                recipe: JSONValue, synthetic: Bool, source: String, multiLabel: Bool = false) {
        self.multiLabel = multiLabel
        self.name = name
        self.task = task
        self.train = train
        self.test = test
        self.validation = validation
        self.numClasses = numClasses
        self.vocabSize = vocabSize
        self.paddingLabel = paddingLabel
        self.labelNames = labelNames
        self.vocabulary = vocabulary
        self.translation = translation
        self.recipe = recipe
        self.synthetic = synthetic
        self.source = source
    }
}

extension Dataset {
    /// Keeps at most `limits` examples of each split, chosen by a seeded shuffle and kept in
    /// their original order; records what was done in `recipe`. A subsample never loses a
    /// class the split has: for each class the shuffled prefix misses, the next example of the
    /// shuffle that holds it is added (so a profile runs on any data set; a split that kept
    /// every class is exactly the plain prefix, and its recipe is unchanged).
    public func subsampled(for profile: Profile, seed: UInt64 = 20230514) -> Dataset {
        subsampled(limits: profile.limits, profile: profile, seed: seed)
    }

    /// The same with explicit limits (a profile's own for one data set, `ProfileCut`).
    public func subsampled(limits: (train: Int?, test: Int?), profile: Profile, seed: UInt64 = 20230514) -> Dataset {
        let (trainLimit, testLimit) = limits
        var out = self
        var added = 0
        func pick(_ s: Split, _ limit: Int?, _ salt: UInt64) -> Split {
            guard let limit, s.count > limit else { return s }
            var g = SplitMix64(seed: seed ^ salt)
            var idx = Array(0..<s.count)
            g.shuffle(&idx)
            let kept = idx.prefix(limit) + classKeepers(of: s, shuffled: idx, limit: limit)
            added += kept.count - limit
            return s.subset(kept.sorted())
        }
        out.train = pick(train, trainLimit, 1)
        out.test = pick(test, testLimit, 2)
        out.validation = validation.map { pick($0, testLimit, 3) }
        var subsample: [String: JSONValue] = [
            "seed": .number(Double(seed)),
            "train": .number(Double(out.train.count)), "test": .number(Double(out.test.count)),
            "validation": .number(Double(out.validation?.count ?? 0)),
            "of_train": .number(Double(train.count)), "of_test": .number(Double(test.count)),
        ]
        if added > 0 { subsample["added_to_keep_every_class"] = .number(Double(added)) }
        out.recipe = recipe.merging(["profile": .string(profile.rawValue), "subsample": .object(subsample)])
        return out
    }

    /// The classes an example holds: its target language for translation, otherwise every
    /// label of its `y` row except padding.
    private func classes(of s: Split, row i: Int) -> Set<Int32> {
        if translation != nil { return s.language.map { Set($0.row(i)) } ?? [] }
        return Set(s.y.row(i)).subtracting([Int32(paddingLabel)])
    }

    /// Examples beyond the first `limit` of the shuffle that bring back the classes the prefix lost.
    private func classKeepers(of s: Split, shuffled idx: [Int], limit: Int) -> [Int] {
        var seen = Set<Int32>()
        for i in idx.prefix(limit) { seen.formUnion(classes(of: s, row: i)) }
        var keepers: [Int] = []
        for i in idx.dropFirst(limit) {
            let c = classes(of: s, row: i)
            if !c.isSubset(of: seen) { keepers.append(i); seen.formUnion(c) }
        }
        return keepers
    }
}
