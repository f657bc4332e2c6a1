import Foundation
import HDF5Kit
import KitFiles

/// What each command may replace without `--force`: only the kind of file or folder it
/// writes itself, recognised by its content (an unreadable file is never replaceable).
enum OwnOutput {
    /// A `predict` output: an HDF5 file with `/prediction` and no model in it.
    static func isPredictionFile(_ path: String) -> Bool {
        guard let f = try? HDF5File(path: path) else { return false }
        return f.root.kind(of: "prediction") == .dataset && !f.root.hasAttribute("model_config") && !f.root.hasAttribute("kit_model_config")
    }

    /// A dataset file (`data export`): `task` attribute and `x_train`, no model.
    static func isDatasetFile(_ path: String) -> Bool {
        guard let f = try? HDF5File(path: path) else { return false }
        return f.root.hasAttribute("task") && f.root.kind(of: "x_train") == .dataset && !f.root.hasAttribute("model_config")
    }

    /// A model `train` wrote (its `kit_training` attribute).
    static func isTrainedModel(_ path: String) -> Bool {
        guard let f = try? HDF5File(path: path) else { return false }
        return f.root.hasAttribute("kit_training")
    }
}

/// The output of a command, checked and locked before the work starts (see `OutputTarget`).
func prepareOutput(_ path: String, _ kind: OutputTarget.Kind, inputs: [String], force: Bool,
                   replaceable: (String) -> Bool) throws -> OutputTarget {
    try OutputTarget(path: path, kind: kind, inputs: inputs, force: force, isReplaceable: replaceable)
}
