import Corpora
import RNNKit

/// One model of the paper, by name: data set (its I/O type follows), cell, depth, vocabulary
/// variant and, for "trained from scratch on two classes", a class subset.
public struct ZooModel: Hashable, Codable, Sendable, CustomStringConvertible {
    public enum Vocabulary: String, Codable, Sendable, CaseIterable {
        /// The data set's own recipe.
        case normal
        /// The shared tokenizer of the inter-type reuse experiments (MathQA + toxicity,
        /// Clinc + Brown), loaded as `<dataset>/combined`.
        case combined
    }

    public var dataset: String
    public var task: Task
    public var cell: CellKind
    public var layers: Int
    public var vocabulary: Vocabulary
    /// Train and test only on these classes (one-output tasks: labels renumbered 0..<k in this
    /// order; encoder-decoder: these target-language indices). nil = all classes.
    public var classes: [Int]?
    public var seed: UInt64
    /// Every recurrent layer wrapped in `Bidirectional(merge_mode="concat")`, the same units per
    /// direction (the kit's own extension, not one of the paper's models). nil for the paper's
    /// models, so their cache keys and descriptions are unchanged.
    public var bidirectional: Bool? = nil

    public init(dataset: String, task: Task, cell: CellKind, layers: Int, vocabulary: Vocabulary = .normal,
                classes: [Int]? = nil, seed: UInt64 = 1) {
        self.dataset = dataset; self.task = task; self.cell = cell; self.layers = layers
        self.vocabulary = vocabulary; self.classes = classes; self.seed = seed
    }

    /// The paper's model of `task` (on the paper's data set for it).
    public static func paper(_ task: Task, cell: CellKind, layers: Int, vocabulary: Vocabulary = .normal,
                             classes: [Int]? = nil, seed: UInt64 = 1) -> ZooModel {
        ZooModel(dataset: Corpora.paperDataset[task]!, task: task, cell: cell, layers: layers, vocabulary: vocabulary,
                 classes: classes, seed: seed)
    }

    /// The name Corpora loads.
    var corporaName: String { vocabulary == .combined ? dataset + "/combined" : dataset }

    public var description: String {
        let depth = (bidirectional == true ? "Bi" : "") + "\(cell.rawValue.uppercased())-\(layers)"
        let subset = classes.map { " classes " + $0.map(String.init).joined(separator: ",") } ?? ""
        return "\(dataset) \(task.rawValue) \(depth)\(vocabulary == .combined ? " combined" : "")\(subset) seed \(seed)"
    }
}
