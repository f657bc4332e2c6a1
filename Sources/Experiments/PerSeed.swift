import Metrics

/// Per-seed samples: the one way results repeated over seeds are grouped before an interval
/// is taken. `values[s]` holds every item's value at seed s (e.g. every pair's δ), so that
/// headlines are "per seed the mean (median) over items, then the interval over seeds".
public enum PerSeed {
    /// `runs[i][s]`: item i at seed s → per seed, every item's `value`.
    public static func values<R>(_ runs: [[R]], seeds: Int, _ value: (R) -> Double) -> [[Double]] {
        (0..<seeds).map { s in runs.map { value($0[s]) } }
    }

    /// The same when an item's run holds several values (e.g. one per replaced class).
    public static func values<R>(_ runs: [[R]], seeds: Int, _ values: (R) -> [Double]) -> [[Double]] {
        (0..<seeds).map { s in runs.flatMap { values($0[s]) } }
    }

    /// Several groups' per-seed samples pooled seed by seed.
    public static func pooled(_ groups: [[[Double]]], seeds: Int) -> [[Double]] {
        (0..<seeds).map { s in groups.flatMap { $0[s] } }
    }
}

extension SeedInterval {
    /// The interval of the per-seed medians of several quantities (as `ofMeans` for means).
    public static func ofMedians(_ perSeed: [[Double]]) throws -> SeedInterval {
        try SeedInterval(perSeed.map { try Statistics.median($0) })
    }
}
