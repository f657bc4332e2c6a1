import Foundation
import ArgumentParser
import Notebook
import RNNKit

/// `inspect MODEL.h5`: a Keras-like summary of a model file.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print a Keras-like summary of a model.")

    @Argument(help: "A Keras model: .h5 (tf.keras 2 or Keras 3), .keras, or weights with --config.") var model: String
    @Option(name: .customLong("config"), help: "The architecture as JSON (Keras `to_json()` or a .keras archive's config.json) when the model file holds weights only (a Keras 3 .weights.h5, a tf.keras save_weights .h5).") var modelConfig: String?

    func run() throws {
        let m = try Model.loadKeras(path: model, config: modelConfig)
        let rows = try m.summary()
        let showInputs = !m.isSequential
        var table: [[String]] = [["Layer (type)", "Output Shape", "Param #", "Options"] + (showInputs ? ["Inputs"] : [])]
        for r in rows {
            table.append(["\(r.name) (\(r.kind))", r.outputShape, Format.grouped(r.parameters), r.options]
                         + (showInputs ? [r.inputs.joined(separator: ", ")] : []))
        }
        print("Model: \"\(m.name)\" (\(m.isSequential ? "Sequential" : "Functional")), Keras \(m.kerasVersion ?? "unknown"), backend \(m.backend ?? "unknown")")
        print(formatTable(table))
        print("Total params: \(Format.grouped(m.parameterCount))")
    }
}

/// Left-aligned columns with a rule under the header and at the end.
func formatTable(_ rows: [[String]]) -> String {
    let widths = (0..<(rows.first?.count ?? 0)).map { c in rows.map { $0[c].count }.max() ?? 0 }
    func line(_ r: [String]) -> String {
        zip(r, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
            .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
    }
    let rule = String(repeating: "=", count: widths.reduce(0, +) + 2 * max(widths.count - 1, 0))
    return ([line(rows[0]), rule] + rows.dropFirst().map(line) + [rule]).joined(separator: "\n")
}
