import Metrics
import Notebook
import Zoo

// The collapse probe as chapter 3 reports it: a row per model and probed cap, and what the
// rows show, said in words (which models collapsed with the former vote, and the kit's).

extension CollapseProbe {
    /// The probe table of `models` (`probes[i]`: model i's probe at every seed; empty: not yet
    /// run, left out) and the findings over them.
    public static func report(models: [ZooModel], probes: [[ProbeResult]]) -> (table: MarkdownTable, findings: [String]) {
        var pt = MarkdownTable(["model", "MMA", "model predicts padding", "MMA, padding class left out", "cap", "CMA, padding slot in the score", "CMA",
                                "top module (wins / is true)", "own score", "units removed"],
                               alignments: [.left, .right, .right, .right, .right, .right, .right, .left, .right, .right])
        func iv(_ xs: [Double], _ digits: Int = 4) -> String { (try? SeedInterval(xs))?.fixed(digits) ?? "–" }
        var collapsedBefore: [String] = [], collapsed: [String] = [], recovered: [String] = [], aboveModel: [String] = [], collapsedAt005: [String] = []
        for (m, ps) in zip(models, probes) where !ps.isEmpty {
            let name = "\(PaperModels.ioLabel(m.task)) \(PaperModels.name(m))"
            for (ci, cap) in caps.enumerated() {
                let cs = ps.map { $0.caps[ci] }
                let top = cs.map { "\($0.topConcern) (\(Format.fixed($0.topShare, 2)) / \(Format.fixed($0.topTrueShare, 2)))" }.joined(separator: ", ")
                pt.add([ci == 0 ? name : "", ci == 0 ? iv(ps.map(\.mma)) : "", ci == 0 ? iv(ps.map(\.paddingPredicted)) : "",
                        ci == 0 ? iv(ps.map(\.mmaWithoutPadding)) : "", Format.fixed(cap, 2), iv(cs.map(\.cmaWithPaddingSlot)), iv(cs.map(\.cma)),
                        top, iv(cs.map(\.ownScore), 3), iv(cs.map { Double($0.removedUnits) }, 1)])
            }
            func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(xs.count) }
            let at0 = ps.map { $0.caps[0] }, at02 = ps.map { $0.caps[2] }
            let mma = mean(ps.map(\.mma))
            let before0 = mean(at0.map(\.cmaWithPaddingSlot)), before02 = mean(at02.map(\.cmaWithPaddingSlot))
            let cma0 = mean(at0.map(\.cma)), cma02 = mean(at02.map(\.cma))
            // A collapse: more than 20 points lost between cap 0 and a higher cap.
            if before02 < before0 - 0.2 { collapsedBefore.append(name) }
            if cma02 < cma0 - 0.2 { collapsed.append(name) }
            if before02 < before0 - 0.2 && cma02 > before02 + 0.2 { recovered.append(name) }
            if at0.indices.contains(where: { ps[$0].caps[1].cma < at0[$0].cma - 0.2 }) { collapsedAt005.append(name) }
            if cma0 > mma { aboveModel.append(name) }
        }
        return (pt, [
            "Collapse with the former vote (CMA at cap 0.2 more than 20 points below cap 0): " + (collapsedBefore.isEmpty ? "none of these models." : collapsedBefore.joined(separator: ", ") + "."),
            "Of those, the kit's vote (σ(z_c − z_ns)) recovers by more than 20 points: " + (recovered.isEmpty ? "none." : recovered.joined(separator: ", ") + "."
                + " That part of the collapse was the implementation, not the method: the padding slot kept in each module's score let one module's padding logit decide between concerns; the kit now votes as ALGORITHMS.md specifies."),
            "Collapse with the kit's vote: " + (collapsed.isEmpty ? "none of these models." : collapsed.joined(separator: ", ") + " — what remains is removal at the 20 % cap (compare cap 0.05), a property of the method on these models."),
            "At the authors' cap 0.05, a seed whose CMA falls more than 20 points below cap 0: " + (collapsedAt005.isEmpty ? "none." : collapsedAt005.joined(separator: ", ") + "."),
            "At cap 0 (nothing removed) the composition beats the model on: " + (aboveModel.isEmpty ? "none." : aboveModel.joined(separator: ", ")
                + " — compare \"MMA, padding class left out\": the vote has no padding module, so it never predicts padding at a position whose true label is not padding, while the model sometimes does."),
        ])
    }
}
