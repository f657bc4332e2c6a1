import ArgumentParser
import Corpora
import Foundation
import RNNKit
import Zoo

extension CellKind: ExpressibleByArgument {}

/// `train (--task NAME | --data FILE.h5) --cell … --layers k … --out MODEL.h5`.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train the paper's model for a data set in Swift and write it as Keras HDF5.",
        discussion: """
        The data set's I/O type picks the paper's architecture (1:1, M:1, 1:N, M:N tagging, \
        encoder-decoder); weights start from Keras's default initialisers (seeded); training is \
        Adam with Keras's defaults on categorical cross-entropy, in float32. Epochs default to the \
        data set's recipe. Prints the test accuracy; a progress line per epoch goes to stderr when \
        it is a terminal. The model file is written atomically: on any error nothing is left.
        """)

    @Option(help: "A data set by name: \(Corpora.names.joined(separator: ", ")).") var task: String?
    @Option(help: "A dataset .h5 file (docs/FORMATS.md); its task attribute picks the architecture.") var data: String?
    @Option(help: "Recurrent cell: rnn, relu, lstm or gru.") var cell: CellKind
    @Option(help: "Stacked recurrent layers (1...4).") var layers: Int
    @Option(help: "Units per recurrent layer (per direction with --bidirectional).") var units = 100
    @Flag(help: "Wrap every recurrent layer in Bidirectional (merge mode concat); classification and tagging tasks only.") var bidirectional = false
    @Option(help: "Embedding size (default: the recipe's, 50; 100 for Brown and Tatoeba).") var embed: Int?
    @Option(help: "Epochs (default: the recipe's).") var epochs: Int?
    @Option(help: "Mini-batch size.") var batchSize = 32
    @Option(help: "Seed of initial weights, shuffling and dropout.") var seed: UInt64 = 1
    @Option(help: "Data size for --task: smoke, quick or paper.") var profile: Profile = .paper
    @Option(help: "Model file to write (Keras legacy HDF5; an existing file is replaced only when `train` wrote it, or with --force; never the data).") var out: String
    @Flag(help: "Replace whatever file is at --out (the data file is still never replaced).") var force = false

    func validate() throws {
        guard (task == nil) != (data == nil) else { throw ValidationError("give exactly one of --task and --data") }
        guard (1...4).contains(layers) else { throw ValidationError("--layers must be 1...4") }
        guard units > 0, batchSize > 0, embed.map({ $0 > 0 }) ?? true, epochs.map({ $0 > 0 }) ?? true else {
            throw ValidationError("--units, --embed, --epochs and --batch-size must be positive")
        }
    }

    func run() throws {
        let target = try prepareOutput(out, .file, inputs: data.map { [$0] } ?? [], force: force, replaceable: OwnOutput.isTrainedModel)
        let dataset = try task.map { try Corpora.load(name: $0, profile: profile, locator: standardLocator()) } ?? DatasetFile.read(from: data ?? "")
        var recipe = Recipe.standard(dataset: dataset.name, task: dataset.task, profile: profile)
        recipe.units = units
        if let embed { recipe.embed = embed }
        if let epochs { recipe.epochs = epochs }
        recipe.batchSize = batchSize
        var arch = Architecture.paper(for: dataset, cell: cell, layers: layers, units: recipe.units, embed: recipe.embed)
        if bidirectional { arch.bidirectional = true }
        let model = try arch.build(name: URL(fileURLWithPath: out).deletingPathExtension().lastPathComponent).kerasInitialized(seed: seed)
        var config = TrainingConfiguration(epochs: recipe.epochs, batchSize: recipe.batchSize, seed: seed, ignoreLabel: recipe.trainingIgnoreLabel)
        config.adam = recipe.adam
        let showProgress = isatty(STDERR_FILENO) != 0
        let trained = try Trainer.train(model, on: dataset.train.trainingSet(task: dataset.task), configuration: config) { e in
            guard showProgress else { return }
            FileHandle.standardError.write(Data(String(format: "epoch %d/%d  loss %.4f  accuracy %.4f  %.0f samples/s\n",
                                                       e.epoch, recipe.epochs, e.loss, e.accuracy, e.samplesPerSecond).utf8))
        }
        let test = try trained.model.evaluate(dataset.test.trainingSet(task: dataset.task), ignoreLabel: recipe.evaluationIgnoreLabel)
        let summary: [String: Any] = [
            "dataset": dataset.name, "task": dataset.task.rawValue, "cell": cell.rawValue, "layers": layers, "units": recipe.units,
            "bidirectional": bidirectional,
            "embed": recipe.embed, "epochs": recipe.epochs, "batch_size": recipe.batchSize, "seed": seed,
            "train_examples": dataset.train.count, "test_examples": dataset.test.count,
            "final_loss": trained.epochs.last?.loss ?? 0, "test_accuracy": test.accuracy, "train_seconds": trained.seconds,
        ]
        let json = String(decoding: try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys]), as: UTF8.self)
        try trained.model.saveKeras(path: target.temporary, extraAttributes: ["kit_training": json])
        try target.commit()
        let scored = recipe.evaluationIgnoreLabel.map { " (ignoring label \($0))" } ?? ""
        print("\(out): \(dataset.name) \(dataset.task.rawValue) \(bidirectional ? "Bi" : "")\(cell.rawValue.uppercased())-\(layers), " +
              "\(dataset.train.count) training examples × \(recipe.epochs) epochs in \(String(format: "%.1f", trained.seconds)) s; " +
              "final loss \(String(format: "%.4f", trained.epochs.last?.loss ?? 0)); " +
              "test accuracy \(String(format: "%.4f", test.accuracy)) over \(test.counted) targets\(scored)")
    }
}
