import Corpora
import Notebook
import Zoo

/// The models of the paper's RQ1 (Table II): Vanilla (tanh), ReLU Vanilla, LSTM and GRU × the
/// five I/O types × 1–4 stacked layers, as each profile runs them.
public enum PaperModels {
    public static let classificationTasks: [Task] = [.oneToOne, .manyToOne, .oneToMany, .manyToMany]

    /// The pairs of I/O types inter-type reuse and replacement combine (RQ2, RQ3): 1:1 MathQA
    /// with 1:N toxicity, M:1 Clinc with M:N Brown.
    public static let interTypeFamilies: [(one: Task, many: Task)] = [(.oneToOne, .oneToMany), (.manyToOne, .manyToMany)]

    /// smoke: two cells, depth 1, every I/O type (synthetic in tests). quick: every cell, depths
    /// 1 and 2 (what chapters 3–6 use in quick; the whole run must fit 30 minutes on 2 cores),
    /// every I/O type — real Tatoeba as the quick profile cuts it (`ProfileCut`: a subsample
    /// with a capped target vocabulary, since the recipe's 30,000-token softmax makes one model
    /// take ~10 minutes on 2 cores). paper: everything, depths 1–4.
    public static func rq1(_ setup: ExperimentSetup) -> [ZooModel] {
        let cells: [CellKind], depths: [Int]
        switch setup.profile {
        case .smoke: (cells, depths) = ([.rnn, .lstm], [1])
        case .quick: (cells, depths) = (CellKind.allCases, [1, 2])
        case .paper: (cells, depths) = (CellKind.allCases, [1, 2, 3, 4])
        }
        return (classificationTasks + [.encoderDecoder]).flatMap { task in cells.flatMap { cell in depths.map { setup.model(task, cell: cell, layers: $0) } } }
    }

    /// What the profile leaves out of the paper's depths, for the reports (nil: nothing).
    public static func depthNote(_ setup: ExperimentSetup) -> String? {
        let depths = Set(rq1(setup).map(\.layers)).sorted()
        guard setup.profile != .paper, depths != [1, 2, 3, 4] else { return nil }
        return "The \(setup.profile.rawValue) profile runs depths " + depths.map { "RNN-\($0)" }.joined(separator: " and ")
            + " only (the paper's Table II has RNN-1…4; `make reports PROFILE=paper` runs all four)."
    }


    /// The name Table II uses for a cell.
    public static func paperCell(_ c: CellKind) -> String {
        switch c { case .rnn: "vanilla"; case .relu: "relu"; case .lstm: "lstm"; case .gru: "gru" }
    }

    /// "Vanilla", "LSTM", … as the paper's text and tables capitalise cells.
    public static func cellLabel(_ c: CellKind) -> String {
        switch c { case .rnn: "Vanilla"; case .relu: "ReLU"; case .lstm: "LSTM"; case .gru: "GRU" }
    }

    /// "LSTM-2", as the paper names models.
    public static func name(_ m: ZooModel) -> String { "\(cellLabel(m.cell))-\(m.layers)" }

    /// The removal cap the authors' decomposer script used for this model and mode (their
    /// `maxRemove`; the paper states 20 %), with the script that says so
    /// (sayemimtiaz/DecomposeRNNintoModules). 0.05 everywhere except three LSTM scripts.
    public static func authorsCap(_ m: ZooModel, mode: String) -> (cap: Double, source: String) {
        let d = m.layers
        switch (m.cell, m.task, mode) {
        case (.lstm, .oneToOne, _):
            return ([0.2, 0.1, 0.1, 0.07][min(d, 4) - 1], "lstm_models/one_to_one/decomposer_rolled.py:98-104")
        case (.lstm, .oneToMany, "unrolled"):
            return ([0.2, 0.1, 0.1, 0.2][min(d, 4) - 1], "lstm_models/one_to_many/decomposer_unrolled.py:105-111")
        case (.lstm, .manyToMany, "unrolled"):
            return (d == 1 ? 0.1 : 0.05, "lstm_models/many_to_many_same/decomposer_unrolled.py:98-106")
        default:
            return (0.05, "every other decomposer script (e.g. vanilla_rnn_models/many_to_one/decomposer_rolled.py:99)")
        }
    }

    /// "1:1", "M:1", … as the paper labels I/O types.
    public static func ioLabel(_ t: Task) -> String {
        switch t { case .oneToOne: "1:1"; case .manyToOne: "M:1"; case .oneToMany: "1:N"; case .manyToMany: "M:N"; case .encoderDecoder: "M:N enc-dec" }
    }
}
