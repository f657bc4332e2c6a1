import Foundation
import TestSupport
import Testing
@testable import HDF5Kit

/// Findings of `make fuzz` (fuzz-keras, two timeouts): a global heap collection whose
/// free-space object has size 0 made libhdf5 1.10 loop forever in H5Aread of a
/// variable-length string. The inputs here are the kit's own file with the same defect.
struct GlobalHeapTests {
    let dir: String
    init() throws {
        dir = TestScratch.root.appendingPathComponent("gheap-\(UUID().uuidString)").path
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

    /// The value's stored reference (length, collection address, object index), found by its
    /// length and the collection's address, rewritten by `edit`.
    func forged(_ f: (path: String, bytes: [UInt8], collection: Int, objects: [Int: Int]), _ name: String,
                _ edit: (inout UInt32, inout UInt64, inout UInt32) -> Void) throws -> String {
        let length = UInt32(#"{"class_name": "Sequential"}"#.utf8.count)
        let pattern = withUnsafeBytes(of: length.littleEndian, Array.init) + withUnsafeBytes(of: UInt64(f.collection).littleEndian, Array.init)
        let at = try #require((0..<(f.bytes.count - 16)).first { Array(f.bytes[$0..<($0 + 12)]) == pattern })
        var b = f.bytes
        var (l, a) = (length, UInt64(f.collection))
        var i = b[(at + 12)..<(at + 16)].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        edit(&l, &a, &i)
        b.replaceSubrange(at..<(at + 16), with: withUnsafeBytes(of: l.littleEndian, Array.init)
            + withUnsafeBytes(of: a.littleEndian, Array.init) + withUnsafeBytes(of: i.littleEndian, Array.init))
        let path = dir + "/" + name
        try Data(b).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// fuzz-keras `crash-30029300…` named object 0 (the free space: 1.10 copies all of it into
    /// the buffer of the declared length, and the process died later in Swift's deallocation);
    /// fuzz-dataset `crash-1fc5b637…` an index beyond the table (SIGSEGV in H5HG_read). The
    /// stored references are read and judged before the value is, so each forged file is
    /// refused in one line naming the attribute; the open-time search accepts all four (the
    /// half length passes its 2× rule for wider elements; strings have 1-byte elements).
    @Test(arguments: [
        ("free space", "refers to object 0 of the global heap collection at byte {c}, its free space, which holds no value"),
        ("index", "refers to object 7 of the global heap collection at byte {c}, which holds 1 object(s) with indexes up to 1"),
        ("half length", "declares 14 bytes for object 1 of the global heap collection at byte {c}, which holds 28"),
        ("address", "refers to a global heap collection at byte {c+8}, where the file has none"),
    ])
    func referenceDefectsAreRefusedBeforeTheRead(defect: String, detail: String) throws {
        let f = try stringFile("ref.h5")
        let path = try forged(f, "forged.h5") { length, address, index in
            switch defect {
            case "free space": index = 0
            case "index": index = 7
            case "half length": length /= 2
            default: address += 8
            }
        }
        let error = try #require(throws: HDF5Error.self) { try HDF5File(path: path).root.stringAttribute("model_config") }
        let expected = detail.replacingOccurrences(of: "{c+8}", with: "\(f.collection + 8)").replacingOccurrences(of: "{c}", with: "\(f.collection)")
        #expect(error == .implausibleSize(path: "\(path):/@model_config", detail: expected))
        // The unforged reference reads back (the forging is what the check sees).
        let good = try forged(f, "unforged.h5") { _, _, _ in }
        #expect(try HDF5File(path: good).root.stringAttribute("model_config") == #"{"class_name": "Sequential"}"#)
    }
}
