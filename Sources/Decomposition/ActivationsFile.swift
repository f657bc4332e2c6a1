import Foundation
import HDF5Kit
import RNNKit

/// The monitored values of a decomposition (docs/FORMATS.md "Activations"), so that
/// identification can be re-run with other settings from the file alone:
///
///     /@config, /@source_model_sha256
///     /concern_<c>/group_<g>@step                     output step (-1: one-output model)
///     /concern_<c>/group_<g>/positive_indices, negative_indices   (int64, training rows)
///     /concern_<c>/group_<g>/<layer>@steps, @units
///     /concern_<c>/group_<g>/<layer>/positive/<k>, negative/<k>   float32 [N_k, units] for
///         the k-th observed step (N_k varies for translation, where padding is left out)
public enum ActivationsFile {
    public static func write(_ result: DecompositionResult, sourceSHA256: String, to path: String) throws {
        try HDF5File.writeAtomically(to: path) { f in
            try f.root.setAttribute("config", string: try result.config.json())
            try f.root.setAttribute("source_model_sha256", string: sourceSHA256)
            for groups in result.observations {
                for (g, obs) in groups.enumerated() {
                    let grp = try f.root.createGroup("concern_\(obs.samples.concern)/group_\(g)")
                    try grp.setAttribute("step", values: [Int64(obs.samples.step ?? -1)], shape: [])
                    try grp.createDataset("positive_indices", shape: [obs.samples.positives.count], values: obs.samples.positives.map(Int64.init))
                    try grp.createDataset("negative_indices", shape: [obs.samples.negatives.count], values: obs.samples.negatives.map(Int64.init))
                    for l in obs.layers {
                        let lg = try grp.createGroup(l.layer)
                        try lg.setAttribute("steps", values: l.steps.map(Int64.init))
                        try lg.setAttribute("units", values: [Int64(l.units)], shape: [])
                        for (name, groups) in [("positive", l.positive), ("negative", l.negative)] {
                            for (k, values) in groups.enumerated() {
                                try lg.createDataset("\(name)/\(k)", shape: [values.count / l.units, l.units], values: values)
                            }
                        }
                    }
                }
            }
        }
    }

    /// The observations, per concern (ascending), per group; and the config they were made with.
    public static func read(from path: String, layers: [String]) throws -> (observations: [[ConcernObservations]], config: DecompositionConfig, sourceSHA256: String) {
        let f = try HDF5File(path: path)
        let config = try JSONDecoder().decode(DecompositionConfig.self, from: Data(try f.root.stringAttribute("config").utf8))
        let concerns = try f.root.childNames().compactMap { $0.hasPrefix("concern_") ? Int($0.dropFirst(8)) : nil }.sorted()
        let observations = try concerns.map { c -> [ConcernObservations] in
            let cg = try f.root.openGroup("concern_\(c)")
            let groups = try cg.childNames().compactMap { $0.hasPrefix("group_") ? Int($0.dropFirst(6)) : nil }.sorted()
            return try groups.map { g in
                let grp = try cg.openGroup("group_\(g)")
                let step = Int(try grp.numericAttribute("step", as: Int64.self)[0])
                let samples = ConcernSamples(concern: c, step: step < 0 ? nil : step,
                                             positives: try grp.openDataset("positive_indices").read(Int64.self).map { Int($0) },
                                             negatives: try grp.openDataset("negative_indices").read(Int64.self).map { Int($0) })
                let obs = try layers.map { name -> LayerObservations in
                    guard grp.kind(of: name) == .group else {
                        throw DecompositionError.dataMismatch("\(path) has no observations of layer '\(name)' (from another model?)")
                    }
                    let lg = try grp.openGroup(name)
                    let steps = try lg.numericAttribute("steps", as: Int64.self).map { Int($0) }
                    let units = Int(try lg.numericAttribute("units", as: Int64.self)[0])
                    func split(_ d: String) throws -> [[Float]] {
                        try steps.indices.map { try lg.openDataset("\(d)/\($0)").read(Float.self) }
                    }
                    return LayerObservations(layer: name, units: units, steps: steps, positive: try split("positive"), negative: try split("negative"))
                }
                return ConcernObservations(samples: samples, layers: obs)
            }
        }
        return (observations, config, try f.root.stringAttribute("source_model_sha256"))
    }
}
