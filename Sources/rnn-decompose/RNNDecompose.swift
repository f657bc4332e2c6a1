import ArgumentParser

/// `rnn-decompose`: inspect, run and (in later chapters) decompose RNN models stored as
/// Keras HDF5. Errors print one line naming the problem and exit non-zero.
@main
struct RNNDecompose: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rnn-decompose",
        abstract: "Decompose recurrent neural networks (Keras HDF5) into reusable, replaceable modules.",
        subcommands: [Inspect.self, Predict.self, DataCommand.self, Train.self, Decompose.self, Evaluate.self, BLEU.self])
}
