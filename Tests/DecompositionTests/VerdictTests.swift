import DecompositionInputs
import Experiments
import Metrics
import Testing

/// The verdict rule (Experiments/Verdict.swift) on intervals built by hand.
struct VerdictTests {
    // [2, 3, 4]: mean 3, half-width t(2)·1/√3 = 2.484 → [0.516, 5.484].
    let positive = try! SeedInterval([2, 3, 4])
    // [-1, 0, 1]: mean 0 → [-2.484, 2.484].
    let aroundZero = try! SeedInterval([-1, 0, 1])

    @Test func changes() {
        #expect(Verdict.change(positive, paper: 5) == .reproduced)
        #expect(Verdict.change(positive, paper: 9) == .sameDirection)
        #expect(Verdict.change(positive, paper: -2) == .contradicted)
        #expect(Verdict.change(aroundZero, paper: -7) == .inconclusive)
        #expect(Verdict.change(aroundZero, paper: 1) == .reproduced)
        #expect(Verdict.change(try! SeedInterval([1]), paper: 1) == .oneSeed)
    }

    @Test func levels() {
        #expect(Verdict.level(positive, paper: 1) == .reproduced)
        #expect(Verdict.level(positive, paper: 0.1) == .higher)
        #expect(Verdict.level(positive, paper: 6) == .lower)
    }
}
