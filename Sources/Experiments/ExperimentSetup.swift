import Corpora
import Foundation
import Notebook
import RNNKit
import Zoo

/// What every experiment chapter shares: the profile, where data is found, the model zoo,
/// and which data set stands for each I/O type (the paper's when its files are present,
/// else the embedded synthetic task — reports then say so in their first line).
public struct ExperimentSetup: Sendable {
    public var env: ChapterEnvironment
    public var profile: Profile
    public var locator: DataLocator
    public var zoo: Zoo

    public init(_ env: ChapterEnvironment) {
        self.env = env
        profile = Profile(rawValue: env.profile.rawValue)!
        var roots: [URL] = []
        if let d = env.shared("data") { roots.append(URL(fileURLWithPath: d)) }
        locator = DataLocator.standard(extraRoots: roots)
        zoo = Zoo(profile: profile, locator: locator)
    }

    /// Whether the paper's data set for `task` is present.
    public func hasRealData(_ task: Task) -> Bool {
        guard let name = Corpora.paperDataset[task], let m = try? locator.manifests.manifest(named: name) else { return false }
        return locator.isPresent(m)
    }

    /// The data set name used for `task`: the paper's, or `synthetic_<task>`.
    public func datasetName(_ task: Task) -> String {
        hasRealData(task) ? Corpora.paperDataset[task]! : "synthetic_\(task.rawValue)"
    }

    /// The zoo's model of `task` on the data set in use.
    public func model(_ task: Task, cell: CellKind, layers: Int, vocabulary: ZooModel.Vocabulary = .normal,
                      classes: [Int]? = nil, seed: UInt64 = 1) -> ZooModel {
        ZooModel(dataset: datasetName(task), task: task, cell: cell, layers: layers, vocabulary: vocabulary, classes: classes, seed: seed)
    }

    /// The report's first line: real or synthetic data, and which data sets.
    public func dataLine(_ tasks: [Task]) -> String {
        let real = tasks.filter(hasRealData), synthetic = tasks.filter { !hasRealData($0) }
        if synthetic.isEmpty { return "Data: real — " + real.map { Corpora.paperDataset[$0]! }.joined(separator: ", ") + " (profile \(profile.rawValue))." }
        if real.isEmpty { return "Data: synthetic — the paper's data sets were not found; every number below comes from the embedded synthetic tasks (profile \(profile.rawValue))." }
        return "Data: mixed — real for " + real.map { Corpora.paperDataset[$0]! }.joined(separator: ", ")
            + "; synthetic for " + synthetic.map(\.rawValue).joined(separator: ", ") + " (profile \(profile.rawValue))."
    }
}
