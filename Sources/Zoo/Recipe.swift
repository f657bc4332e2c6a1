import Corpora
import RNNKit

/// How a zoo model is trained: the paper's recipe for its data set (DATA.md), adjusted by the
/// profile. Every field takes part in the cache key.
public struct Recipe: Codable, Hashable, Sendable {
    public var epochs: Int
    public var batchSize: Int
    public var units: Int
    public var embed: Int
    /// Targets with this label take no part in the training loss (nil: every target counts,
    /// as in Keras without a mask; the encoder-decoder's decoder mask still applies).
    public var trainingIgnoreLabel: Int?
    /// Targets with this label are not scored (0 = padding in sequence outputs: accuracy
    /// "ignoring padding", as the authors score many-output models).
    public var evaluationIgnoreLabel: Int?
    public var adam: AdamConfiguration

    public init(epochs: Int, batchSize: Int = 32, units: Int = 100, embed: Int = 50, trainingIgnoreLabel: Int? = nil,
                evaluationIgnoreLabel: Int? = nil, adam: AdamConfiguration = AdamConfiguration()) {
        self.epochs = epochs; self.batchSize = batchSize; self.units = units; self.embed = embed
        self.trainingIgnoreLabel = trainingIgnoreLabel; self.evaluationIgnoreLabel = evaluationIgnoreLabel; self.adam = adam
    }

    /// The recipe for a data set of `task` named `dataset` (`clinc_oos`, `math_qa/combined`,
    /// `synthetic_many_to_one`, …). Epochs and batch size are the authors' `fit` arguments in
    /// their package (sayemimtiaz/DecomposeRNNintoModules; one `model.py` per cell and I/O type
    /// serves all four depths, and all cells of an I/O type agree):
    ///   MathQA 1:1      5 epochs, batch 32   (`vanilla_rnn_models/one_to_one/model.py:34,39`)
    ///   Clinc M:1      15 epochs, batch 128  (`vanilla_rnn_models/many_to_one/model.py:40,45`)
    ///   toxicity 1:N    5 epochs, batch 32   (`vanilla_rnn_models/one_to_many/model.py:35,40`)
    ///   Brown M:N      10 epochs, batch 128  (`vanilla_rnn_models/many_to_many_same/model.py:46,51`), embedding 100 (`:16`)
    /// The Tatoeba encoder-decoders have no training script in their package (their models are
    /// published elsewhere): those epochs are ours. `smoke` trains 2 epochs; `quick` and
    /// `paper` the full count (`quick` on subsampled data), except the Estonian encoder-decoders:
    /// their corpora are below the quick limits, so quick trains them 10 of the 40 epochs
    /// (chapter 6 trains twelve of them: four models, three seeds).
    public static func standard(dataset: String, task: Task, profile: Profile) -> Recipe {
        let base = dataset.split(separator: "/").first.map(String.init) ?? dataset
        let padding: Int? = (task == .oneToMany || task == .manyToMany || task == .encoderDecoder) ? 0 : nil
        var r: Recipe
        switch base {
        case "math_qa": r = Recipe(epochs: 5, batchSize: 32)
        case "clinc_oos": r = Recipe(epochs: 15, batchSize: 128)
        case "wiki_toxicity": r = Recipe(epochs: 5, batchSize: 32)
        case "brown": r = Recipe(epochs: 10, batchSize: 128, embed: 100)
        case "tatoeba", "tatoeba_ukrainian": r = Recipe(epochs: 10, embed: 100)
        case "tatoeba_estonian": r = Recipe(epochs: profile == .quick ? 10 : 40, embed: 100)
        default: r = Recipe(epochs: 10, units: 64, embed: 32)     // synthetic tasks
        }
        r.evaluationIgnoreLabel = padding
        if task == .encoderDecoder { r.trainingIgnoreLabel = 0 }
        if profile == .smoke { r.epochs = min(r.epochs, 2) }
        return r
    }

    var training: TrainingConfiguration {
        var c = TrainingConfiguration(epochs: epochs, batchSize: batchSize, ignoreLabel: trainingIgnoreLabel)
        c.adam = adam
        return c
    }
}
