/// Work repeated at every seed: one unit per (item, seed), read back per item with its results
/// in seed order — the one grouping of seeds into the runs an interval is built from.
public struct SeededGroup<Item, R: Codable & Sendable> {
    fileprivate let items: [Item]
    fileprivate let seeds: Int
    fileprivate let units: UnitGroup<R>
}

/// An item of a plan with its result at each seed (`runs[s]`: seed `s` of the plan's seeds).
public struct SeededRuns<Item, R> {
    public var item: Item
    public var runs: [R]
}

extension UnitPlan {
    /// Adds `unit(item, seed)` for every item and seed, item by item (the unit order of the job
    /// list); the results come back as `results[group]`.
    public mutating func add<Item, R>(_ items: [Item], seeds: [UInt64], unit: (Item, UInt64) -> WorkUnit<R>) -> SeededGroup<Item, R> {
        let group = add(items.flatMap { item in seeds.map { unit(item, $0) } })
        return SeededGroup(items: items, seeds: seeds.count, units: group)
    }
}

extension UnitResults {
    /// Each item of `group` with its runs, in the order the items were added.
    public subscript<Item, R>(_ group: SeededGroup<Item, R>) -> [SeededRuns<Item, R>] {
        let all = self[group.units]
        return group.items.enumerated().map { i, item in
            SeededRuns(item: item, runs: Array(all[(i * group.seeds)..<((i + 1) * group.seeds)]))
        }
    }
}
