/// What `data list` shows for one data set.
public struct DatasetSummary: Equatable, Sendable {
    public struct ClassCount: Equatable, Sendable {
        public var label: Int
        public var name: String
        public var train: Int
        public var test: Int
    }

    public var name: String
    public var task: Task
    public var source: String
    public var synthetic: Bool
    public var trainCount: Int
    public var testCount: Int
    public var validationCount: Int
    public var inputShape: [Int]
    public var outputShape: [Int]
    public var numClasses: Int
    public var vocabSize: Int
    /// Per class: examples (1:1, M:1) or label occurrences excluding padding (1:N, M:N). For
    /// translation: pairs per target language.
    public var classCounts: [ClassCount]
}

extension Dataset {
    public var summary: DatasetSummary {
        func counts(_ s: Split) -> [Int: Int] {
            var c: [Int: Int] = [:]
            if task == .encoderDecoder {
                for v in s.language?.values ?? [] { c[Int(v), default: 0] += 1 }
            } else {
                for v in s.y.values where Int(v) != paddingLabel { c[Int(v), default: 0] += 1 }
            }
            return c
        }
        let tr = counts(train), te = counts(test)
        let labels = Set(tr.keys).union(te.keys).sorted()
        return DatasetSummary(
            name: name, task: task, source: source, synthetic: synthetic, trainCount: train.count, testCount: test.count,
            validationCount: validation?.count ?? 0, inputShape: Array(train.x.shape.dropFirst()), outputShape: Array(train.y.shape.dropFirst()),
            numClasses: numClasses, vocabSize: vocabSize,
            classCounts: labels.map { k in
                DatasetSummary.ClassCount(label: k, name: k >= 0 && k < labelNames.count ? labelNames[k] : "\(k)", train: tr[k] ?? 0, test: te[k] ?? 0)
            })
    }
}
