import Foundation

/// What every loader gets: its manifest (files and recipe) and where to find the files.
struct LoadContext {
    let manifest: Manifest
    let locator: DataLocator

    /// Verified bytes of a manifest file.
    func data(_ path: String) throws -> Data { try locator.read(try manifest.file(path)) }

    /// Verified UTF-8 text of a manifest file.
    func text(_ path: String) throws -> String {
        let d = try data(path)
        guard let s = String(data: d, encoding: .utf8) else {
            throw CorporaError.malformedText(file: path, line: 0, detail: "not UTF-8 text")
        }
        return s
    }

    func recipe<T: Decodable>(_ type: T.Type) throws -> T {
        do { return try manifest.recipe.decode(T.self) } catch {
            throw CorporaError.manifest(name: manifest.name, detail: "recipe does not fit the \(manifest.name) loader: \(error)")
        }
    }
}

/// The `pad_sequences` options of a recipe.
struct PadRecipe: Codable {
    var length: Int
    var padding: PadSide
    var truncating: PadSide
}

/// Keras `Tokenizer` options of a recipe (`filters` absent = Keras' default).
struct TokenizerRecipe: Codable {
    var numWords: Int?
    var oovToken: String?
    var lower: Bool?
    var filters: String?

    func make() -> KerasTokenizer {
        KerasTokenizer(numWords: numWords, filters: filters ?? KerasTokenizer.defaultFilters, lower: lower ?? true, oovToken: oovToken)
    }
}

extension Int32Tensor {
    /// Padded rows of `sequences`.
    init(padding sequences: [[Int]], _ p: PadRecipe) {
        self.init(rows: sequences.count, columns: p.length,
                  values: padSequences(sequences, maxLength: p.length, padding: p.padding, truncating: p.truncating))
    }
}

/// Seeded split that keeps each stratum's share: within each label group (in first-seen
/// order), a SplitMix64 shuffle picks `round(fraction × size)` test members. Both parts keep
/// the original order.
func stratifiedSplit(strata: [Int], testFraction: Double, seed: UInt64) -> (train: [Int], test: [Int]) {
    var groups: [Int: [Int]] = [:]
    var order: [Int] = []
    for (i, s) in strata.enumerated() {
        if groups[s] == nil { order.append(s) }
        groups[s, default: []].append(i)
    }
    var g = SplitMix64(seed: seed)
    var test = Set<Int>()
    for s in order {
        var members = groups[s]!
        g.shuffle(&members)
        test.formUnion(members.prefix(Int((Double(members.count) * testFraction).rounded())))
    }
    let all = Array(0..<strata.count)
    return (all.filter { !test.contains($0) }, all.filter { test.contains($0) })
}
