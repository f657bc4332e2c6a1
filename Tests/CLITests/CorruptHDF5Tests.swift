import Foundation
import HDF5Kit
import Testing

/// Issue 11: files on which libhdf5 1.10 crashed or allocated without bound (`make fuzz`
/// findings, kept in CorruptHDF5/ under the name of what is wrong with them) end in exit 1
/// with one line naming the file, in every command that reads them, and leave nothing behind;
/// a crash inside libhdf5 that no check foresaw is reported the same way by the crash guard.
struct CorruptHDF5Tests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("CorruptHDF5").path
    let s: Scratch
    init() throws { s = try Scratch() }

    /// Entries the kit names as temporaries or locks, and outputs, anywhere in the scratch folder.
    func leftovers() -> [String] {
        (FileManager.default.enumerator(atPath: s.dir)?.allObjects as? [String] ?? [])
            .filter { $0.contains(".tmp-") || $0.contains(".old-") || $0.hasSuffix(".lock") || $0.hasPrefix("out") }
    }

    func expectOneLineError(_ r: CLIRunner.Output, _ mentions: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!r.signaled && r.status == 1, "exit \(r.status) (signal: \(r.signaled)): \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains(mentions), "stderr: \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.split(separator: "\n").count == 1, "one line: \(r.stderr)", sourceLocation: sourceLocation)
        #expect(leftovers().isEmpty, "\(leftovers())", sourceLocation: sourceLocation)
    }

    /// A kit-written file holding one variable-length string, "hello, heap", whose 16-byte
    /// reference (length, collection address, object index) is then forged by `edit`.
    func forgedReference(_ name: String, _ edit: (inout UInt32, inout UInt32) -> Void) throws -> String {
        let path = s.path(name)
        try HDF5File.writeAtomically(to: path) { f in try f.root.setAttribute("note", string: "hello, heap") }
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let gcol = try #require((0..<(bytes.count - 4)).first { Array(bytes[$0..<($0 + 4)]) == Array("GCOL".utf8) })
        let reference = withUnsafeBytes(of: UInt32(11).littleEndian, Array.init) + withUnsafeBytes(of: UInt64(gcol).littleEndian, Array.init)
        let at = try #require((0..<(bytes.count - 16)).first { Array(bytes[$0..<($0 + 12)]) == reference })
        func u32(_ i: Int) -> UInt32 { bytes[i..<(i + 4)].reversed().reduce(0) { $0 << 8 | UInt32($1) } }
        var length = u32(at), index = u32(at + 12)
        edit(&length, &index)
        bytes.replaceSubrange(at..<(at + 4), with: withUnsafeBytes(of: length.littleEndian, Array.init))
        bytes.replaceSubrange((at + 12)..<(at + 16), with: withUnsafeBytes(of: index.littleEndian, Array.init))
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The two ways `make fuzz` made libhdf5 1.10 fail on a variable-length value, forged in a
    /// file of the kit's: a length beyond its heap object (1.10 allocates and zeroes it: 8 GB
    /// and 48 s for a 71 KB fuzz-keras finding) and an index beyond the object table (SIGSEGV
    /// in H5HG_read). The unforged file reads fine (the forging is what the check sees).
    /// The length is refused by the check before libhdf5 opens the file; the index is not
    /// judged by the check (structures that are no reference hold such bytes in valid files):
    /// `inspect` then never reads the value and fails on what it does read, in one line.
    @Test(arguments: [("length", "declaring 4294967040 elements for its object 1 of 11 bytes"),
                      ("index", "is not a Keras HDF5 model")])
    func forgedVariableLengthValueIsRefused(field: String, mentions: String) throws {
        let good = try forgedReference("good.h5") { _, _ in }
        #expect(try HDF5File(path: good).root.stringAttribute("note") == "hello, heap")
        let bad = try forgedReference("forged-\(field).h5") { length, index in
            if field == "length" { length = 0xFFFF_FF00 } else { index = 4_000_000_000 }
        }
        if field == "length" { expectOneLineError(try CLIRunner.run(["inspect", bad]), "'\(bad)' has a corrupt global heap collection at byte") }
        expectOneLineError(try CLIRunner.run(["inspect", bad]), mentions)
    }

    /// fuzz-dataset `crash-1fc5b637…` (10 KB, SIGSEGV in H5HG_read): a value naming heap object
    /// 2^19 + 37 of a collection holding 46. Every command that reads a dataset file ends in one
    /// line and exit 1: those that read the value on the reference check (before libhdf5 follows
    /// it), the others on what they read first.
    @Test(arguments: [("vlen-index-beyond-file.h5", "string 4 refers to object 524325 of the global heap collection at byte 6144, which holds 46 object(s)")])
    func fuzzFindingIsRefusedByEveryReader(file: String, mentions: String) throws {
        let (model, _) = try s.syntheticClassifier()
        let bad = s.path(file)
        try FileManager.default.copyItem(atPath: Self.folder + "/" + file, toPath: bad)
        expectOneLineError(try CLIRunner.run(["inspect", bad]), "is not a Keras HDF5 model")
        expectOneLineError(try CLIRunner.run(["predict", model, "--inputs", bad, "--output", s.path("out.h5")]), "expects input")
        expectOneLineError(try CLIRunner.run(["decompose", model, "--data", bad, "--out", s.path("out-modules")]), mentions)
        expectOneLineError(try CLIRunner.run(["train", "--data", bad, "--cell", "rnn", "--layers", "1", "--epochs", "1",
                                              "--out", s.path("out-model.h5")]), mentions)
    }

    /// The worker dies of SIGSEGV inside a libhdf5 call (the guard's test hook, at the third
    /// temporary `predict` registers: after reading its inputs, with the output's temporary and
    /// lock on disk): one line naming the file libhdf5 was reading, exit 1, nothing left.
    @Test func crashInsideLibhdf5IsABadInputError() throws {
        let (model, data) = try s.syntheticClassifier()
        let r = try CLIRunner.run(["predict", model, "--inputs", data, "--output", s.path("out.h5")],
                                  environment: ["RNN_DECOMPOSE_GUARD_TEST": "3:SIGSEGV"])
        expectOneLineError(r, "error: \(data): corrupt HDF5 file (libhdf5 crashed reading it: SIGSEGV)")
    }

    /// A trap in the kit's own code (SIGILL) is not bad input: the CLI dies of the same signal,
    /// after removing the worker's temporaries.
    @Test func kitTrapIsPassedOnAfterCleanUp() throws {
        let (model, data) = try s.syntheticClassifier()
        let r = try CLIRunner.run(["predict", model, "--inputs", data, "--output", s.path("out.h5")],
                                  environment: ["RNN_DECOMPOSE_GUARD_TEST": "3:SIGILL"])
        #expect(r.signaled && r.status == SIGILL, "exit \(r.status): \(r.stderr)")
        #expect(leftovers().isEmpty, "\(leftovers())")
    }
}
