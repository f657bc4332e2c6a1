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
    /// list); the results come back as `results[group]`. `label` names an item in the record's
    /// "not yet run" list (default: the id of its first unit); `kind` its units' kind for
    /// `--estimate` (default: the chapter); `measured` what one seed's result of an item measured,
    /// in a few words: the list shows it under an item whose other seeds have not run yet (those
    /// values are in no table, summary or verdict: an interval needs every seed).
    public mutating func add<Item, R>(_ items: [Item], seeds: [UInt64], label: ((Item) -> String)? = nil, kind: ((Item) -> String)? = nil,
                                      measured: ((Item, R) -> String)? = nil,
                                      unit: (Item, UInt64) -> WorkUnit<R>) -> SeededGroup<Item, R> {
        let list = items.flatMap { item in seeds.map { s in var u = unit(item, s); u.seed = s; u.kind = u.kind ?? kind?(item); return u } }
        let n = max(1, seeds.count)
        let group = add(list, label: { i in label?(items[i / n]) ?? list[i - i % n].id },
                        measured: measured.map { m in { i, r in m(items[i / n], r) } })
        return SeededGroup(items: items, seeds: seeds.count, units: group)
    }
}

extension UnitResults {
    /// Each item of `group` with its runs, in the order the items were added. Read from a record
    /// with missing units, only the items whose every seed ran (an interval over fewer seeds
    /// than the plan's would be a different measurement); `coverage` names the others.
    public subscript<Item, R>(_ group: SeededGroup<Item, R>) -> [SeededRuns<Item, R>] {
        let all = values[group.units.range].map { $0.map { $0 as! R } }
        return group.items.enumerated().compactMap { i, item in
            let runs = all[(i * group.seeds)..<((i + 1) * group.seeds)]
            guard runs.allSatisfy({ $0 != nil }) else { return nil }
            return SeededRuns(item: item, runs: runs.map { $0! })
        }
    }
}
