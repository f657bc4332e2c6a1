import Corpora
import Foundation
import Notebook
import RNNKit
import Zoo

/// What every experiment chapter shares: the profile, where data is found, the model zoo,
/// and which data set stands for each I/O type (the paper's when its files are present,
/// else the embedded synthetic task — reports then say so in their first line).
public struct ExperimentSetup: Sendable {
    public var profile: Profile
    public var locator: DataLocator
    public var zoo: Zoo

    /// `zooRoot`: the model cache's root (nil: `.zoo`), as the executable read it.
    public init(profile: Profile, locator: DataLocator, zooRoot: URL? = nil) {
        self.profile = profile
        self.locator = locator
        zoo = Zoo(profile: profile, root: zooRoot, locator: locator)
    }

    /// The seeds every measured quantity is repeated over (a seed sets training initialisation
    /// and shuffling, and the decomposition's sampling): 3 in quick and paper, 2 in smoke
    /// (enough for an interval, fast enough for the tests).
    public var seeds: [UInt64] { profile.pick(smoke: [1, 2], quick: [1, 2, 3], paper: [1, 2, 3]) }

    /// The files (with sha256) of the real data sets behind `tasks`, for provenance blocks.
    public func inputFiles(_ tasks: [Task]) -> [(name: String, sha256: String)] {
        let names = Set(tasks.filter(hasRealData).compactMap { Corpora.paperDataset[$0] }).sorted()
        return names.flatMap { name in (try? Corpora.manifest(named: name, locator: locator))?.files.map { ($0.path, $0.sha256) } ?? [] }
    }

    /// "3 seeds", for table captions.
    public var seedsCaption: String { "\(seeds.count) seeds" }

    /// Whether the paper's data set for `task` is present.
    public func hasRealData(_ task: Task) -> Bool { Corpora.paperDataset[task].map(hasRealData(named:)) ?? false }

    /// Whether the files of the real data set `name` (a manifest name) are present.
    public func hasRealData(named name: String) -> Bool {
        guard let m = try? locator.manifests.manifest(named: name) else { return false }
        return locator.isPresent(m)
    }

    /// The authors' evaluator-split overlap of a real translation data set (ALGORITHMS.md §2b),
    /// as chapters 3, 5 and 6 state it: "N of its M evaluation pairs (P %)", the pairs of the
    /// seed-89 evaluator split that are training pairs of the seed-19 split. Nil without the data.
    public func evaluatorSplitOverlap(_ name: String) throws -> String? {
        guard hasRealData(named: name.split(separator: "/").first.map(String.init) ?? name) else { return nil }
        let o = try Corpora.evaluatorSplitOverlap(name: name, locator: locator)
        let share = Double(o.inTraining) / Double(max(o.testPairs, 1)) * 100
        return "\(Format.grouped(o.inTraining)) of its \(Format.grouped(o.testPairs)) evaluation pairs (\(Format.fixed(share, 1)) %)"
    }

    /// The data set name used for `task`: the paper's, or `synthetic_<task>`.
    public func datasetName(_ task: Task) -> String {
        hasRealData(task) ? Corpora.paperDataset[task]! : "synthetic_\(task.rawValue)"
    }

    /// The Tatoeba recipe's target vocabulary cap (`max_tokens`): the width of the decoder's
    /// softmax, which is what makes translation slow (reports quote it, nothing is typed).
    public var translationVocabularyCap: String {
        guard let m = try? locator.manifests.manifest(named: "tatoeba"), case let .number(n)? = m.recipe["max_tokens"] else { return "the full" }
        return Format.grouped(Int(n))
    }

    /// Why a task's numbers are not judged against the paper's, or nil when they are: synthetic
    /// data, or a profile's cut of the real data (quick's Tatoeba subsample with a capped target
    /// vocabulary measures another model than the paper's).
    public func notJudged(_ task: Task) -> String? {
        hasRealData(task) ? cutNotJudged(task) : "synthetic data: not judged"
    }

    /// The profile's cut alone (see `notJudged`): nil on synthetic data and on uncut real data.
    public func cutNotJudged(_ task: Task) -> String? {
        guard hasRealData(task), task == .encoderDecoder, ProfileCut.of(datasetName(task), profile: profile) != nil else { return nil }
        return "\(profile.rawValue) cut of the data (subsample, capped vocabulary): not judged"
    }

    /// What the profile cut from the real translation data set (`ProfileCut`), read from the
    /// data set as the zoo loads it, for the reports of chapters 2–5; nil when nothing was cut.
    public func translationCutNote() throws -> String? {
        guard hasRealData(.encoderDecoder), ProfileCut.of(datasetName(.encoderDecoder), profile: profile) != nil else { return nil }
        let d = try zoo.dataset(for: model(.encoderDecoder, cell: .rnn, layers: 1))
        func n(_ v: JSONValue?) -> Int { if case let .number(x)? = v { return Int(x) }; return 0 }
        let sub = d.recipe["subsample"], cap = d.recipe["target_vocabulary_cap"]
        let unknown = Double(n(cap?["train_target_tokens_unknown"])) / Double(max(n(cap?["train_target_tokens"]), 1)) * 100
        return "Tatoeba in the \(profile.rawValue) profile: every translation model here trains on a subsample of "
            + "\(Format.grouped(d.train.count)) of the \(Format.grouped(n(sub?["of_train"]))) training pairs (every target language kept: "
            + "\(d.translation?.targetLanguages.joined(separator: ", ") ?? "–"); \(Format.grouped(d.test.count)) test pairs), with the target "
            + "vocabulary capped at \(Format.grouped(d.numClasses)) of its \(Format.grouped(n(cap?["of"]))) tokens — what Keras' "
            + "`TextVectorization(max_tokens: \(d.numClasses))` adapted on the same training pairs gives; every other target token is [UNK] "
            + "(\(Format.fixed(unknown, 1)) % of the subsample's target tokens). BLEU is therefore not comparable with the paper's; "
            + "`make reports PROFILE=paper` trains on the full data with the recipe's \(translationVocabularyCap)-token cap."
    }

    /// The zoo's model of `task` on the data set in use.
    public func model(_ task: Task, cell: CellKind, layers: Int, vocabulary: ZooModel.Vocabulary = .normal,
                      classes: [Int]? = nil, seed: UInt64 = 1) -> ZooModel {
        ZooModel(dataset: datasetName(task), task: task, cell: cell, layers: layers, vocabulary: vocabulary, classes: classes, seed: seed)
    }

    /// The report's first line: real or synthetic data, and which data sets.
    public func dataLine(_ tasks: [Task]) -> String {
        dataLine(tasks.map { (Corpora.paperDataset[$0]!, $0.rawValue) })
    }

    /// The same for named data sets: (manifest name, what the synthetic stand-in is called).
    public func dataLine(_ sets: [(name: String, fallback: String)]) -> String {
        let real = sets.filter { hasRealData(named: $0.name) }, synthetic = sets.filter { !hasRealData(named: $0.name) }
        if synthetic.isEmpty { return "Data: real — " + real.map(\.name).joined(separator: ", ") + " (profile \(profile.rawValue))." }
        if real.isEmpty { return "Data: synthetic — the paper's data sets were not found; every number below comes from the embedded synthetic tasks (profile \(profile.rawValue))." }
        return "Data: mixed — real for " + real.map(\.name).joined(separator: ", ")
            + "; synthetic for " + synthetic.map(\.fallback).joined(separator: ", ") + " (profile \(profile.rawValue))."
    }
}
