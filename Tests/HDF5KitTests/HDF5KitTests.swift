import Foundation
import TestSupport
import Testing
@testable import HDF5Kit

struct HDF5KitTests {
    let dir: String
    init() throws {
        dir = TestScratch.root.appendingPathComponent("hdf5kit-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    @Test("numeric datasets of every supported type round-trip with their shapes")
    func numericRoundTrip() throws {
        let p = dir + "/n.h5"
        try HDF5File.writeAtomically(to: p) { f in
            try f.root.createDataset("f32", shape: [2, 3], values: [Float](arrayLiteral: 1.5, -2, 3, 4, 5, 6.25))
            try f.root.createDataset("f64", shape: [2], values: [Double](arrayLiteral: 1e-300, -7))
            try f.root.createDataset("i32", shape: [3], values: [Int32](arrayLiteral: -1, 0, .max))
            try f.root.createDataset("deep/er/i64", shape: [1, 2], values: [Int64](arrayLiteral: .min, 1 << 40))
            try f.root.createDataset("empty", shape: [0, 4], values: [Float]())
        }
        let f = try HDF5File(path: p)
        #expect(try f.root.openDataset("f32").read(Float.self) == [1.5, -2, 3, 4, 5, 6.25])
        #expect(try f.root.openDataset("f32").shape() == [2, 3])
        #expect(try f.root.openDataset("f32").elementType() == .float(bits: 32))
        #expect(try f.root.openDataset("f64").read(Double.self) == [1e-300, -7])
        #expect(try f.root.openDataset("i32").read(Int32.self) == [-1, 0, .max])
        #expect(try f.root.openDataset("deep/er/i64").read(Int64.self) == [.min, 1 << 40])
        #expect(try f.root.openDataset("deep/er/i64").elementType() == .integer(bits: 64, signed: true))
        #expect(try f.root.openDataset("empty").read(Float.self) == [])
        #expect(try f.root.openDataset("i32").read(Double.self) == [-1, 0, 2147483647], "integers widen to Double exactly")
        #expect(try f.root.childNames() == ["deep", "empty", "f32", "f64", "i32"])
        #expect(f.root.kind(of: "deep/er") == .group && f.root.kind(of: "deep/er/i64") == .dataset && f.root.kind(of: "nope/x") == nil)
    }

    @Test("the same content written at two different times gives the same bytes (no object timestamps)")
    func noTimestamps() throws {
        func write(_ p: String) throws {
            try HDF5File.writeAtomically(to: p) { f in
                try f.root.createGroup("g/h")
                try f.root.createDataset("deep/er/x", shape: [2], values: [Float](arrayLiteral: 1, 2))
                try f.root.createStringDataset("names", strings: ["a", "bc"])
                try f.root.openGroup("g").setAttribute("note", string: "x")
            }
        }
        try write(dir + "/a.h5")
        Thread.sleep(forTimeInterval: 1.2)   // libhdf5 stamps objects in whole seconds
        try write(dir + "/b.h5")
        let (a, b) = (try Data(contentsOf: URL(fileURLWithPath: dir + "/a.h5")), try Data(contentsOf: URL(fileURLWithPath: dir + "/b.h5")))
        #expect(a.count > 0 && a == b, "\(a.count) and \(b.count) bytes, \(zip(a, b).filter { $0 != $1 }.count) differ")
    }

    @Test("the stored type and shape are checked before reading")
    func typeAndShapeChecks() throws {
        let p = dir + "/t.h5"
        try HDF5File.writeAtomically(to: p) { f in
            try f.root.createDataset("floats", shape: [2], values: [Float](arrayLiteral: 1, 2))
            try f.root.createDataset("big", shape: [1], values: [Int64](arrayLiteral: 1 << 40))
        }
        let f = try HDF5File(path: p)
        #expect(throws: HDF5Error.typeMismatch(path: "\(p):/floats", expected: "Int64", found: "float32")) {
            try f.root.openDataset("floats").read(Int64.self)
        }
        #expect(throws: HDF5Error.typeMismatch(path: "\(p):/big", expected: "int32", found: "int64 holding 1099511627776")) {
            try f.root.openDataset("big").read(Int32.self)
        }
        #expect(throws: HDF5Error.shapeMismatch(path: "\(p):/floats", expected: [3], found: [2])) {
            try f.root.openDataset("floats").read(Float.self, expecting: [3])
        }
        #expect(try f.root.openDataset("floats").read(Float.self, expecting: [-1]) == [1, 2])
        #expect(throws: HDF5Error.missing(kind: "dataset", path: "\(p):/absent")) { try f.root.openDataset("absent") }
        #expect(throws: HDF5Error.typeMismatch(path: "\(p):/floats", expected: "string", found: "float32")) {
            try f.root.openDataset("floats").readStrings()
        }
    }

    @Test("string attributes: fixed and variable length, ASCII and UTF-8, scalars and arrays",
          arguments: [(false, false), (false, true), (true, false), (true, true)])
    func stringAttributes(variable: Bool, utf8: Bool) throws {
        let p = dir + "/s-\(variable)-\(utf8).h5"
        let text = utf8 ? "Ukrainian: Привіт, café" : "plain ascii"
        let list = utf8 ? ["a", "", "ελληνικά", "longer string here"] : ["a", "", "bb", "longer string here"]
        try HDF5File.writeAtomically(to: p) { f in
            try f.root.setAttribute("one", string: text, variableLength: variable, utf8: utf8)
            try f.root.setAttribute("many", strings: list, variableLength: variable, utf8: utf8)
        }
        let f = try HDF5File(path: p)
        #expect(try f.root.stringAttribute("one") == text)
        #expect(try f.root.stringArrayAttribute("many") == list)
        #expect(try f.root.attributeType("one") == .string(variableLength: variable, utf8: utf8))
        #expect(try f.root.attributeShape("many") == [4])
        #expect(try f.root.attributeNames() == ["many", "one"])
    }

    @Test("numeric attributes, replacement, and an empty array reading as no strings")
    func numericAttributes() throws {
        let p = dir + "/a.h5"
        try HDF5File.writeAtomically(to: p) { f in
            let g = try f.root.createGroup("g")
            try g.setAttribute("n", values: [Int64(5)], shape: [])
            try g.setAttribute("v", values: [0.25, 0.5])
            try g.setAttribute("v", values: [Double](arrayLiteral: 1, 2, 3))   // replaces
            try g.setAttribute("none", values: [Double]())
            try g.setAttribute("s", string: "x")
        }
        let g = try HDF5File(path: p).root.openGroup("g")
        #expect(try g.numericAttribute("n", as: Int64.self) == [5])
        #expect(try g.attributeShape("n") == [])
        #expect(try g.numericAttribute("v", as: Double.self) == [1, 2, 3])
        #expect(try g.stringArrayAttribute("none") == [])
        #expect(throws: HDF5Error.typeMismatch(path: "\(p):/g@s", expected: "Double", found: "variable-length UTF-8 string")) {
            try g.numericAttribute("s", as: Double.self)
        }
        #expect(throws: HDF5Error.missing(kind: "attribute", path: "\(p):/g@absent")) { try g.stringAttribute("absent") }
    }

    @Test("non-ASCII text is refused for an ASCII attribute")
    func asciiOnly() throws {
        let p = dir + "/ascii.h5"
        #expect(throws: HDF5Error.invalidString(path: "\(p):/@t (not ASCII: é)")) {
            try HDF5File.writeAtomically(to: p) { f in try f.root.setAttribute("t", string: "é", utf8: false) }
        }
    }

    @Test("string datasets, soft and hard links")
    func stringsAndLinks() throws {
        let p = dir + "/l.h5"
        try HDF5File.writeAtomically(to: p) { f in
            try f.root.createStringDataset("names", strings: ["banking", "crédit", ""])
            try f.root.createDataset("data/x", shape: [1], values: [Float(3)])
            try f.root.createSoftLink("alias", to: "/data/x")
            try f.root.createHardLink("same", to: "data/x")
            try f.root.createSoftLink("dangling", to: "/nowhere")
        }
        let f = try HDF5File(path: p)
        #expect(try f.root.openDataset("names").readStrings() == ["banking", "crédit", ""])
        #expect(try f.root.openDataset("alias").read(Float.self) == [3])
        #expect(try f.root.openDataset("same").read(Float.self) == [3])
        #expect(!f.root.contains("dangling"), "a dangling soft link resolves to nothing")
    }

    @Test("errors carry HDF5's own message and the failing call")
    func libraryErrors() throws {
        let p = dir + "/e.h5"
        try HDF5File.writeAtomically(to: p) { f in try f.root.createGroup("g") }
        let f = try HDF5File(path: p, mode: .readWrite)
        let error = try #require(throws: HDF5Error.self) { try f.root.createGroup("g") }
        guard case let .library(call, object, stack) = error else { Issue.record("\(error)"); return }
        #expect(call == "H5Gcreate2" && object == "\(p):/g")
        #expect(stack.contains("H5Gcreate2"), "stack: \(stack)")
    }

    @Test("a failed atomic write leaves neither the target nor a temporary file")
    func atomicWrite() throws {
        let p = dir + "/atomic.h5"
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try HDF5File.writeAtomically(to: p) { f in
                try f.root.createDataset("x", shape: [1], values: [Float(1)])
                throw Boom()
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
        let e = try #require(throws: HDF5Error.self) {
            try HDF5File.writeAtomically(to: p) { f in try f.root.createDataset("x", shape: [2, 2], values: [Float](arrayLiteral: 1, 2, 3)) }
        }
        guard case let .shapeMismatch(_, expected, found) = e else { Issue.record("\(e)"); return }
        #expect(expected == [2, 2] && found == [3])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    @Test("objects keep their file open; concurrent readers are serialised by the lock")
    func lifetimeAndConcurrency() throws {
        let p = dir + "/c.h5"
        let values = (0..<10_000).map { Float($0) }
        try HDF5File.writeAtomically(to: p) { f in try f.root.createDataset("v", shape: [100, 100], values: values) }
        let ds = try HDF5File(path: p).root.openDataset("v")   // the file object is gone at once
        #expect(try ds.read(Float.self) == values)
        let sums = UnsafeMutableBufferPointer<Float>.allocate(capacity: 16)
        defer { sums.deallocate() }
        DispatchQueue.concurrentPerform(iterations: 16) { i in
            sums[i] = (try? HDF5File(path: p).root.openDataset("v").read(Float.self).reduce(0, +)) ?? -1
        }
        #expect(Set(sums) == [values.reduce(0, +)])
    }
}
