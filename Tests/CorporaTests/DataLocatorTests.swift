import Foundation
import TestSupport
import Testing
@testable import Corpora

/// A tiny manifest over files the test writes, and the typed errors for missing, altered and
/// malformed files.
@Suite("Manifests, locator and errors")
struct DataLocatorTests {
    /// Writes `files` under `<dir>/data/<folder>/` and a manifest `name.json` listing them with
    /// their real sha256, plus the given recipe.
    func fixture(_ name: String, _ files: [String: String], recipe: JSONValue, task: Task = .oneToOne) throws -> (URL, DataLocator) {
        let dir = try temporaryDirectory()
        let data = dir.appendingPathComponent("data"), manifests = dir.appendingPathComponent("manifests")
        try FileManager.default.createDirectory(at: manifests, withIntermediateDirectories: true)
        var entries: [Manifest.File] = []
        for (path, text) in files.sorted(by: { $0.key < $1.key }) {
            let url = data.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
            entries.append(.init(path: path, bytes: text.utf8.count, sha256: SHA256.hex(Data(text.utf8)), role: "test"))
        }
        let m = Manifest(name: name, title: "t", task: task, sources: [], license: .init(name: "CC0", url: nil), citation: "",
                         files: entries, recipe: recipe, notes: [])
        try JSONEncoder().encode(m).write(to: manifests.appendingPathComponent(name + ".json"))
        return (dir, DataLocator(roots: [data], manifests: ManifestStore(directories: [manifests])))
    }

    static let mathRecipe: JSONValue = .object([
        "train_file": .string("math_qa/dev.json"), "test_file": .string("math_qa/test.json"),
        "text_field": .string("Problem"), "label_field": .string("category"),
        "labels": .array(["gain", "general"].map(JSONValue.string)),
        "tokenizer": .object(["num_words": .number(50), "oov_token": .string("<OOV>")]),
        "sequence": .object(["length": .number(4), "padding": .string("pre"), "truncating": .string("post")]),
    ])

    @Test func loadsAVerifiedFixture() throws {
        let (dir, locator) = try fixture("math_qa", [
            "math_qa/dev.json": #"[{"Problem": "a b c", "category": "gain"}, {"Problem": "b c d e f", "category": "general"}]"#,
            "math_qa/test.json": #"[{"Problem": "c z", "category": "general"}]"#,
        ], recipe: Self.mathRecipe)
        defer { try? FileManager.default.removeItem(at: dir) }
        let d = try Corpora.load(name: "math_qa", profile: .paper, locator: locator)
        // counts: b 2, c 3, … → index: <OOV> 1, c 2, b 3, a 4, d 5, e 6, f 7, z 8
        #expect(d.train.x.rowArrays == [[0, 4, 3, 2], [3, 2, 5, 6]])
        #expect(d.test.x.rowArrays == [[0, 0, 2, 8]])
        #expect(d.train.y.values == [0, 1])
        #expect(d.vocabSize == 50)
        #expect(d.source == "math_qa" && !d.synthetic)
    }

    @Test func missingFileNamesFileDigestAndRoots() throws {
        let (dir, locator) = try fixture("math_qa", ["math_qa/dev.json": "[]", "math_qa/test.json": "[]"], recipe: Self.mathRecipe)
        defer { try? FileManager.default.removeItem(at: dir) }
        let test = dir.appendingPathComponent("data/math_qa/test.json")
        try FileManager.default.removeItem(at: test)
        #expect(throws: CorporaError.fileMissing(file: "math_qa/test.json", expectedSHA256: SHA256.hex(Data("[]".utf8)),
                                                 searched: [dir.appendingPathComponent("data").path])) {
            try Corpora.load(name: "math_qa", profile: .paper, locator: locator)
        }
    }

    @Test func corruptedCopyIsAChecksumMismatch() throws {
        let text = #"[{"Problem": "a", "category": "gain"}]"#
        let (dir, locator) = try fixture("math_qa", ["math_qa/dev.json": text, "math_qa/test.json": text], recipe: Self.mathRecipe)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("data/math_qa/dev.json")
        var bytes = try Data(contentsOf: url)
        bytes[5] ^= 0x01                      // one byte changed
        try bytes.write(to: url)
        #expect(throws: CorporaError.checksumMismatch(file: "math_qa/dev.json", path: url.path, expected: SHA256.hex(Data(text.utf8)),
                                                      actual: SHA256.hex(bytes))) {
            try Corpora.load(name: "math_qa", profile: .paper, locator: locator)
        }
    }

    /// A corrupted copy of a *real* file (when ../shared/data exists): the locator points at a
    /// temporary root holding a copy of domains.json with one byte changed.
    @Test(.requiresShared(Shared.data))
    func corruptedRealFile() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var bytes = try Data(contentsOf: Shared.url("data/clinc_oos/domains.json"))
        bytes[10] = bytes[10] == 0x20 ? 0x21 : 0x20
        let copy = dir.appendingPathComponent("clinc_oos/domains.json")
        try FileManager.default.createDirectory(at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
        try bytes.write(to: copy)
        let locator = DataLocator(roots: [dir], manifests: Shared.dataLocator.manifests)
        let file = try locator.manifests.manifest(named: "clinc_oos").file("clinc_oos/domains.json")
        #expect(throws: CorporaError.checksumMismatch(file: file.path, path: copy.path, expected: file.sha256, actual: SHA256.hex(bytes))) {
            try locator.read(file)
        }
        // The archive is missing from this root: the error names it and the searched root.
        #expect(throws: CorporaError.fileMissing(file: "clinc_oos/clinc_oos.zip", expectedSHA256: "e4e11b767b435a840ee9216eacec93cb69f2d6707252b416ebd0d4843cd3d9ee",
                                                 searched: [dir.path])) {
            try Corpora.load(name: "clinc_oos", profile: .smoke, locator: locator)
        }
    }

    @Test func malformedJSONItemGivesFileAndLine() throws {
        let (dir, locator) = try fixture("math_qa", [
            "math_qa/dev.json": "[\n  {\"Problem\": \"a\", \"category\": \"gain\"},\n  {\"Problem\": \"b\", \"category\": \"poetry\"}\n]",
            "math_qa/test.json": "[]",
        ], recipe: Self.mathRecipe)
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: CorporaError.malformedJSON(file: "math_qa/dev.json", line: 3, detail: "item 1 has unknown category 'poetry'")) {
            try Corpora.load(name: "math_qa", profile: .paper, locator: locator)
        }
    }

    @Test func malformedCSVLineGivesFileAndLine() throws {
        let recipe: JSONValue = .object([
            "file": .string("wiki_toxicity/t.csv"), "text_column": .string("comment_text"),
            "label_columns": .array([.string("toxic"), .string("insult")]), "clean_label": .number(1), "first_label_id": .number(2),
            "output_length": .number(2), "tokenizer": .object(["num_words": .number(10), "oov_token": .string("<OOV>")]),
            "sequence": .object(["length": .number(3), "padding": .string("pre"), "truncating": .string("post")]),
            "test_fraction": .number(0.5), "split_seed": .number(1),
        ])
        let csv = "id,comment_text,toxic,insult\n1,\"two\nlines\",0,1\n2,ok,maybe,0\n"
        let (dir, locator) = try fixture("wiki_toxicity", ["wiki_toxicity/t.csv": csv], recipe: recipe, task: .oneToMany)
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: CorporaError.malformedCSV(file: "wiki_toxicity/t.csv", line: 4, detail: "toxic is 'maybe', expected 0 or 1")) {
            try Corpora.load(name: "wiki_toxicity", profile: .paper, locator: locator)
        }
    }

    @Test func unknownNameIsTyped() {
        #expect(throws: CorporaError.unknownDataset(name: "imagenet", known: Corpora.names)) {
            try Corpora.load(name: "imagenet", profile: .smoke, locator: DataLocator(roots: []))
        }
    }

    @Test func standardRootsOrder() {
        let cwd = URL(fileURLWithPath: "/work/proj")
        let a = DataLocator.standard(extraRoots: [URL(fileURLWithPath: "/x")], environment: [:], currentDirectory: cwd)
        #expect(a.roots.map(\.path) == ["/x", "/work/proj/data", "/work/shared/data"])
        let b = DataLocator.standard(environment: ["DATA_DIR": "/big/data"], currentDirectory: cwd)
        #expect(b.roots.map(\.path) == ["/big/data", "/work/shared/data"])
    }

    /// Every committed manifest decodes, and lists files whose size and sha256 match the data.
    @Test(.requiresShared(Shared.data), arguments: Corpora.realNames)
    func manifestsMatchSharedData(name: String) throws {
        let m = try Shared.dataLocator.manifests.manifest(named: name)
        #expect(m.name == name)
        #expect(!m.files.isEmpty && !m.sources.isEmpty && !m.license.name.isEmpty)
        for f in m.files {
            let url = try Shared.dataLocator.locate(f)
            let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int
            #expect(size == f.bytes, "\(f.path)")
        }
        try Shared.dataLocator.verify(m)
    }
}
