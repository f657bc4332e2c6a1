import Foundation
import Testing
@testable import HDF5Kit

/// Findings of `make fuzz` (fuzz-keras, two timeouts): a global heap collection whose
/// free-space object has size 0 made libhdf5 1.10 loop forever in H5Aread of a
/// variable-length string. The inputs here are the kit's own file with the same defect.
struct GlobalHeapTests {
    let dir: String
    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("gheap-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    /// A file with one variable-length string attribute, so one collection: its bytes, the
    /// collection's offset and the offsets of its objects by index.
    func stringFile(_ name: String) throws -> (path: String, bytes: [UInt8], collection: Int, objects: [Int: Int]) {
        let p = dir + "/" + name
        try HDF5File.writeAtomically(to: p) { f in try f.root.setAttribute("model_config", string: #"{"class_name": "Sequential"}"#) }
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: p)))
        let at = try #require(bytes.indices.first { Array(bytes[$0..<min($0 + 4, bytes.count)]) == Array("GCOL".utf8) })
        func u64(_ i: Int) -> Int { (0..<8).reduce(0) { $0 | Int(bytes[i + $1]) << (8 * $1) } }
        var objects: [Int: Int] = [:]
        var q = at + 16
        while q + 16 <= at + u64(at + 8) {
            let index = Int(bytes[q]) | Int(bytes[q + 1]) << 8, size = u64(q + 8)
            objects[index] = q
            q += index == 0 ? size : 16 + (size + 7) / 8 * 8
        }
        return (p, bytes, at, objects)
    }

    func write(_ bytes: [UInt8], size: UInt64, at offset: Int, to path: String) throws {
        var b = bytes
        for i in 0..<8 { b[offset + 8 + i] = UInt8(truncatingIfNeeded: size >> (8 * UInt64(i))) }
        try Data(b).write(to: URL(fileURLWithPath: path))
    }

    @Test func intactCollectionsPass() throws {
        let f = try stringFile("ok.h5")
        #expect(f.objects.keys.sorted() == [0, 1])
        #expect(try HDF5File(path: f.path).root.stringAttribute("model_config") == #"{"class_name": "Sequential"}"#)
    }

    @Test func freeSpaceOfSizeZeroIsRefused() throws {
        let f = try stringFile("zero.h5")
        let free = try #require(f.objects[0])
        try write(f.bytes, size: 0, at: free, to: f.path)
        let error = try #require(throws: HDF5Error.self) { try HDF5File(path: f.path) }
        #expect(error == .implausibleSize(path: f.path, detail: "has a corrupt global heap collection at byte \(f.collection): free space of 0 bytes at offset \(free - f.collection) (less than its own header)"))
    }

    @Test func objectBeyondItsCollectionIsRefused() throws {
        let f = try stringFile("big.h5")
        let object = try #require(f.objects[1])
        try write(f.bytes, size: 1 << 40, at: object, to: f.path)
        let error = try #require(throws: HDF5Error.self) { try HDF5File(path: f.path) }
        #expect(error == .implausibleSize(path: f.path, detail: "has a corrupt global heap collection at byte \(f.collection): object 1 of \(1 << 40) bytes at offset \(object - f.collection), beyond the collection's 4096"))
    }
}
