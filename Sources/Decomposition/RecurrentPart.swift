import RNNKit

/// One recurrent sub-layer that decomposition observes and edits on its own: a recurrent layer,
/// or one direction of a Bidirectional wrapper (docs/METHOD.md "Directions"). Its steps are
/// counted in the order it processes them: step s of a `go_backwards` layer (and of a
/// Bidirectional's backward direction) reads input position T−1−s. Observations, removals and
/// unrolled weight copies are all indexed by that processing step.
public struct RecurrentPart: Sendable, Equatable {
    public enum Direction: String, Sendable {
        /// A recurrent layer by itself (which may run `go_backwards`).
        case only
        /// The directions of a Bidirectional wrapper.
        case forward, backward
    }

    /// Node index of the layer (the Bidirectional wrapper for its directions).
    public var node: Int
    public var direction: Direction
    /// Time steps the layer runs.
    public var steps: Int

    public init(node: Int, direction: Direction, steps: Int) {
        self.node = node; self.direction = direction; self.steps = steps
    }

    /// The parts of a recurrent node: itself, or a Bidirectional's forward then backward direction.
    static func parts(of node: Int, _ model: Model, steps: Int) -> [RecurrentPart] {
        model.nodes[node].layer is Bidirectional
            ? [RecurrentPart(node: node, direction: .forward, steps: steps), RecurrentPart(node: node, direction: .backward, steps: steps)]
            : [RecurrentPart(node: node, direction: .only, steps: steps)]
    }

    /// The recurrent layer this part is (a Bidirectional's direction as the wrapper runs it).
    public func layer(_ model: Model) -> Recurrent {
        let l = model.nodes[node].layer
        switch direction {
        case .only: return l as! Recurrent
        case .forward: return (l as! Bidirectional).forwardLayer
        case .backward: return (l as! Bidirectional).backwardLayer
        }
    }

    /// Replaces this part's layer in `model` (inside its wrapper for a direction).
    func set(_ r: Recurrent, in model: inout Model) {
        switch direction {
        case .only: model.nodes[node].layer = r
        case .forward: var b = model.nodes[node].layer as! Bidirectional; b.forwardLayer = r; model.nodes[node].layer = b
        case .backward: var b = model.nodes[node].layer as! Bidirectional; b.backwardLayer = r; model.nodes[node].layer = b
        }
    }

    /// How removals, observations and activations files name it: the layer's name, or the
    /// wrapper's and the direction's as Keras scopes its weights (`bidirectional/forward_lstm`).
    public func name(_ model: Model) -> String {
        direction == .only ? model.nodes[node].layer.name : model.nodes[node].layer.name + "/" + layer(model).name
    }

    /// The processing step whose state the node outputs at position p of its returned sequence.
    /// A lone `go_backwards` layer returns its sequence in processing order; a Bidirectional
    /// reverses its backward direction's sequence (whatever the wrapped layer's go_backwards),
    /// as tf_keras does.
    public func step(atOutput p: Int) -> Int { direction == .backward ? steps - 1 - p : p }

    /// The processing step whose state a layer returning its last output only outputs (each
    /// direction's final state).
    public var finalStep: Int { steps - 1 }

    /// Which step copy of a part with `copies` copies (1 rolled, T unrolled) made output
    /// position p (nil: the final output).
    func copy(atOutput p: Int?, copies: Int) -> Int { min(p.map(step(atOutput:)) ?? finalStep, copies - 1) }

    /// The input position the part reads at processing step s.
    func inputPosition(atStep s: Int, _ model: Model) -> Int { layer(model).goBackwards ? steps - 1 - s : s }
}
