import Foundation
import ArgumentParser
import Decomposition
import HDF5Kit
import Notebook
import RNNKit

/// `inspect MODEL.h5`: a Keras-like summary of a model file.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print a Keras-like summary of a model.")

    @Argument(help: "A Keras model: .h5 (tf.keras 2 or Keras 3), .keras, or weights with --config.") var model: String
    @Option(name: .customLong("config"), help: "The architecture as JSON (Keras `to_json()` or a .keras archive's config.json) when the model file holds weights only (a Keras 3 .weights.h5, a tf.keras save_weights .h5).") var modelConfig: String?

    func run() throws {
        // A module file (`decompose` output): its class, label and slots first, then its model.
        if modelConfig == nil, (try? HDF5File(path: model).root.hasAttribute("kit_module")) == true {
            let module = try Module.load(from: model)
            print("Module of class \(module.concern)\(module.labelName.map { " (\($0))" } ?? "") — \(module.mode.rawValue), "
                  + "slots \(module.classIDs) (last = the module's class), \(module.removedUnitCount) unit(s) removed, "
                  + String(format: "JI %.6f (structural %.6f)", module.jaccard, module.structuralJaccard)
                  + (module.outputsLogits ? "; outputs logits (scored by their softmax)" : ""))
            return try summarise(module.model)
        }
        try summarise(try Model.loadKeras(path: model, config: modelConfig))
    }

    func summarise(_ m: Model) throws {
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
