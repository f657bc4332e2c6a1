import Foundation
@testable import RNNKit
import Testing

/// The loss's accuracy counts a row as right when its first greatest value is the label's: in
/// float32 a vectorised scan in C (kit_scan.c), which must pick the index of the left-to-right
/// scan (`argmaxInSwift`) for ties, ±0, infinities and NaN anywhere, at every SIMD tail length.
struct ArgmaxTests {
    @Test("kit_argmax_f32 = argmaxInSwift", arguments: [1, 2, 15, 16, 17, 33, 100, 30_000])
    func sameIndex(_ width: Int) {
        var rng = SeededRandom(seed: UInt64(width))
        let specials: [Float] = [.nan, .infinity, -.infinity, 0, -0.0, 1, 1]
        var checked = 0
        for trial in 0..<60 {
            // Coarse values make ties common; a few rows get specials at random places (or at 0).
            var row = (0..<width).map { _ in Float(Int(rng.below(7)) - 3) }
            for _ in 0..<(trial % 4) { row[Int(rng.below(width))] = specials[Int(rng.below(specials.count))] }
            if trial % 10 == 9 { row[0] = trial % 20 == 9 ? .nan : -0.0 }
            let (fast, swift) = row.withUnsafeBufferPointer { p in
                (Float.argmax(p.baseAddress!, count: width), Float.argmaxInSwift(p.baseAddress!, count: width))
            }
            #expect(fast == swift, "width \(width) trial \(trial): C \(fast), Swift \(swift)")
            checked += 1
        }
        #expect(checked == 60)
    }

    @Test("the first of equal greatest values, and 0 when the first value is NaN")
    func definedCases() {
        let rows: [([Float], Int)] = [([1, 3, 3, 2], 1), ([.nan, 5, 9], 0), ([-0.0, 0, -1], 0), ([0, .nan, 2, .infinity, 7], 3),
                                      (Array(repeating: -1, count: 40) + [4] + Array(repeating: 4, count: 20), 40)]
        for (row, expected) in rows {
            #expect(row.withUnsafeBufferPointer { Float.argmax($0.baseAddress!, count: row.count) } == expected, "\(row.prefix(6))…")
        }
    }
}
