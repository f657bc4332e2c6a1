import Foundation
import RNNKit

/// A module: the model specialised to one concern. Its recurrent layers lost the units that
/// do not serve the concern, and its output layer was channeled to the concern against the
/// rest (ALGORITHMS.md §2 "Concern Modularization").
///
/// `model` is runnable as is: its output is a softmax over `classIDs` slots — one-output:
/// `[non-dominant, concern]`; many-output: `[padding, non-dominant, concern]` at every step
/// (the vote reads `dominantProbability`, which leaves the padding slot out).
public struct Module: Sendable {
    public var concern: Int
    /// The source model's class each output slot stands for (the non-dominant slot is the
    /// class whose column holds the mean of all non-dominant columns).
    public var classIDs: [Int]
    public var model: Model
    public var mode: DecompositionConfig.Mode
    public var config: DecompositionConfig
    /// Per recurrent layer (by name), per step copy (one for rolled), the removed units.
    public var removed: [String: [[Int]]]

    /// How many units were removed, over every layer and step copy.
    public var removedUnitCount: Int { removed.values.reduce(0) { $0 + $1.reduce(0) { $0 + $1.count } } }
    public var sourceModelSHA256: String
    /// Jaccard index with the source model, the authors' definition: value sets of every
    /// recurrent W and the channeled output kernel (so channeling alone lowers it).
    public var jaccard: Double
    /// Ours: the fraction of the recurrent layers' nonzero connections (W and U) the module
    /// keeps — 1 when no unit is removed. Unrolled modules average both over their steps.
    public var structuralJaccard: Double

    /// The concern's name (the data set's `label_names` entry), when the decomposition knew it.
    public var labelName: String? = nil

    /// Whether the module's output is logits (a linear output Dense, the model trained with
    /// `from_logits`): its scores are then the softmax of its slots, computed here.
    public var outputsLogits: Bool {
        guard let last = model.nodes.last(where: { !($0.layer is Dropout) })?.layer as? Dense else { return false }
        return last.activation == .linear
    }

    /// Output slot holding the concern's probability.
    public var dominantSlot: Int { classIDs.count - 1 }

    /// The probability the module gives its concern against the rest — the score it votes with
    /// — per sample (one-output) or per sample and step (many-output), row-major.
    ///
    /// A module is a binary classifier, σ(z_c − z_ns) (ALGORITHMS.md §2): many-output modules
    /// keep the padding slot in their file (so a module run alone still predicts padding),
    /// but the vote leaves it out: p_c / (p_c + p_ns), which is σ(z_c − z_ns). Scoring with the
    /// padding slot kept (p_c of the 3-way softmax) let a module's padding logit decide votes
    /// between concerns and collapsed some rolled 1:N compositions (chapter 3's probe). The
    /// authors' channeling gives the same vote: their padding column takes the non-dominant
    /// mean, so their p_c is a monotone function of z_c − z_ns too. Where the padding slot takes
    /// all the probability mass (p_c + p_ns underflows to 0) the module has no preference: ½.
    public func dominantProbability(_ x: Tensor, precision: Precision = .auto) throws -> [Float] {
        let p = try model.predict([model.inputs[0].name: x], precision: precision).prediction
        let k = classIDs.count
        if outputsLogits {
            // softmax over (non-dominant, dominant) = σ(z_c − z_ns); the padding slot left out as below.
            return stride(from: 0, to: p.count, by: k).map { i in
                Float(1 / (1 + exp(Double(p.data[i + k - 2]) - Double(p.data[i + k - 1]))))
            }
        }
        guard k == 3 else { return stride(from: dominantSlot, to: p.count, by: k).map { p.data[$0] } }
        return stride(from: 0, to: p.count, by: 3).map { i in Module.binaryScore(nonDominant: p.data[i + 1], dominant: p.data[i + 2]) }
    }

    /// The vote score of a many-output module from its slot probabilities: p_c / (p_c + p_ns)
    /// = σ(z_c − z_ns), the padding slot left out; ½ when both underflow (no preference).
    public static func binaryScore(nonDominant ns: Float, dominant d: Float) -> Float {
        d + ns > 0 ? d / (d + ns) : 0.5
    }
}
