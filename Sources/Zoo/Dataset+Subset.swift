import Corpora

extension Dataset {
    /// Only the examples of `classes`: one-output tasks keep examples whose label is listed,
    /// renumbered 0..<k in the listed order; encoder-decoder keeps the listed target languages
    /// (labels are tokens and stay as they are).
    public func restricted(to classes: [Int]) throws -> Dataset {
        guard !classes.isEmpty, Set(classes).count == classes.count else {
            throw ZooError.invalidClassSubset(dataset: name, classes: classes, detail: "must be distinct and non-empty")
        }
        var out = self
        switch task {
        case .oneToOne, .manyToOne:
            guard classes.allSatisfy({ (0..<numClasses).contains($0) }) else {
                throw ZooError.invalidClassSubset(dataset: name, classes: classes, detail: "classes are 0..<\(numClasses)")
            }
            func keep(_ s: Split) -> Split {
                let rows = (0..<s.count).filter { classes.contains(Int(s.y.values[$0])) }
                var sub = s.subset(rows)
                sub.y = Int32Tensor(sub.y.values.map { Int32(classes.firstIndex(of: Int($0))!) })
                return sub
            }
            out.train = keep(train); out.test = keep(test); out.validation = validation.map(keep)
            out.numClasses = classes.count
            out.labelNames = classes.map { $0 < labelNames.count ? labelNames[$0] : "\($0)" }
        case .encoderDecoder:
            guard classes.allSatisfy({ (0..<labelNames.count).contains($0) }) else {
                throw ZooError.invalidClassSubset(dataset: name, classes: classes, detail: "languages are 0..<\(labelNames.count)")
            }
            func keep(_ s: Split) -> Split {
                s.subset((0..<s.count).filter { i in s.language.map { classes.contains(Int($0.values[i])) } ?? false })
            }
            out.train = keep(train); out.test = keep(test); out.validation = validation.map(keep)
        case .oneToMany, .manyToMany:
            throw ZooError.unsupported("class subsets of \(task.rawValue) data (\(name)): examples carry several classes")
        }
        if case .object(var fields) = recipe {
            fields["class_subset"] = .array(classes.map { .number(Double($0)) })
            out.recipe = .object(fields)
        }
        return out
    }
}
