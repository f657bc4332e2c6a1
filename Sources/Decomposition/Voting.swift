/// Composition by voting (ALGORITHMS.md §3), the one home of the rule every composition uses:
/// at each position the candidate with the highest score wins, the first candidate on ties.
/// Callers: `ComposedModel.predict` and `DecompositionEvaluation.evaluate` (modules of one
/// model, padding module included); `IntraReplacement.run` (intra-type replacement, re-voting
/// over scores computed once per module); `InterReplacement.run` and `MixedComposition.predict`
/// (inter-type replacement); `InterScoring.compose` (inter-type reuse, two modules);
/// `CollapseProbe.run` (the chapter-3 probe's two votes). Translation composes without a vote:
/// each pair goes to its target language's module.
public enum Voting {
    /// For each of `positions`, `labels[m]` of the candidate m with the highest `score(m, i)`.
    public static func winners<P: Sequence>(labels: [Int], positions: P, score: (Int, Int) -> Float) -> [Int] where P.Element == Int {
        positions.map { i in
            var best = 0
            for m in 1..<labels.count where score(m, i) > score(best, i) { best = m }
            return labels[best]
        }
    }

    /// The same on precomputed scores, one row per candidate over every position.
    public static func winners(_ scores: [[Float]], labels: [Int]) -> [Int] {
        winners(labels: labels, positions: 0..<(scores.first?.count ?? 0)) { m, i in scores[m][i] }
    }
}
