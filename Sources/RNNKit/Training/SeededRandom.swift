@_exported import KitRandom

/// Training's name for the kit's seeded generator (initial weights, shuffling, dropout).
public typealias SeededRandom = SplitMix64
