import Foundation
import Testing
import HDF5Kit
import KitFiles
import RNNKit

/// Outputs never destroy (issue 11): a user's files at --out, an output naming an input,
/// a second writer, interrupts and the temporaries of killed processes.
struct OutputSafetyTests {
    let s: Scratch
    init() throws { s = try Scratch() }

    func sha(_ p: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: p)) }

    /// Entries the kit names as temporaries or locks, anywhere under `dir`.
    func leftovers(_ dir: String) -> [String] {
        (FileManager.default.enumerator(atPath: dir)?.allObjects as? [String] ?? [])
            .filter { $0.contains(".tmp-") || $0.contains(".old-") || $0.hasSuffix(".lock") }
    }

    func expectRefused(_ r: CLIRunner.Output, _ mentions: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status == 1, "exit \(r.status): \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains(mentions), "stderr: \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.split(separator: "\n").count == 1, "one line: \(r.stderr)", sourceLocation: sourceLocation)
    }

    @Test func nothingOfTheUsersIsLost() throws {
        let (model, data) = try s.syntheticClassifier()
        let modelBytes = try sha(model), dataBytes = try sha(data)
        // A user's folder at --out: refused, untouched.
        let user = s.path("thesis")
        try FileManager.default.createDirectory(atPath: user, withIntermediateDirectories: true)
        try "chapter 1\n".write(toFile: user + "/notes.txt", atomically: false, encoding: .utf8)
        expectRefused(try CLIRunner.run(["decompose", model, "--data", data, "--out", user]), "refusing to replace \(user): it holds a folder of 1 entry")
        #expect(try String(contentsOfFile: user + "/notes.txt", encoding: .utf8) == "chapter 1\n")
        // A plain file at --out: refused.
        let plain = s.path("plain")
        try "keep me".write(toFile: plain, atomically: false, encoding: .utf8)
        expectRefused(try CLIRunner.run(["decompose", model, "--data", data, "--out", plain]), "it holds a file of 7 bytes")
        #expect(try String(contentsOfFile: plain, encoding: .utf8) == "keep me")
        // --output equal to the model, or to the inputs: refused, even with --force.
        for output in [model, data] {
            expectRefused(try CLIRunner.run(["predict", model, "--inputs", data, "--output", output, "--force"]), "it is an input of this command")
        }
        // The same file through another name (a symbolic link) is still the model.
        let alias = s.path("alias.h5")
        try FileManager.default.createSymbolicLink(atPath: alias, withDestinationPath: model)
        expectRefused(try CLIRunner.run(["predict", model, "--inputs", data, "--output", alias]), "it is \(model), an input of this command")
        // A folder that holds an input is never replaced, even with --force.
        let holder = s.path("holder")
        try FileManager.default.createDirectory(atPath: holder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: model, toPath: holder + "/model.h5")
        expectRefused(try CLIRunner.run(["decompose", holder + "/model.h5", "--data", data, "--out", holder, "--force"]), "it contains \(holder)/model.h5")
        // `data export` does not overwrite a model; `train` does not overwrite a foreign model.
        expectRefused(try CLIRunner.run(["data", "export", "synthetic_many_to_one", "--profile", "smoke", "--out", model]), "refusing to replace \(model)")
        expectRefused(try CLIRunner.run(["train", "--data", data, "--cell", "rnn", "--layers", "1", "--units", "4", "--epochs", "1", "--out", model]), "refusing to replace \(model)")
        #expect(try sha(model) == modelBytes && sha(data) == dataBytes)
        #expect(try FileManager.default.contentsOfDirectory(atPath: holder) == ["model.h5"])
        #expect(leftovers(s.dir).isEmpty, "\(leftovers(s.dir))")
        // --force replaces what is not an input.
        let r = try CLIRunner.run(["decompose", model, "--data", data, "--samples", "20", "--out", user, "--force"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: user + "/notes.txt") && FileManager.default.fileExists(atPath: user + "/manifest.json"))
    }

    @Test func ownOutputsAreReplacedAtomically() throws {
        let (model, data) = try s.syntheticClassifier()
        let out = s.path("modules")
        #expect(try CLIRunner.run(["decompose", model, "--data", data, "--samples", "20", "--out", out]).status == 0)
        let first = try String(contentsOfFile: out + "/manifest.json", encoding: .utf8)
        let again = try CLIRunner.run(["decompose", model, "--data", data, "--samples", "30", "--out", out])
        #expect(again.status == 0, "\(again.stderr)")
        let second = try String(contentsOfFile: out + "/manifest.json", encoding: .utf8)
        #expect(first != second && second.contains("\"samplesPerClass\" : 30"))
        let p = s.path("p.h5")
        for _ in 0..<2 { #expect(try CLIRunner.run(["predict", model, "--inputs", data, "--output", p]).status == 0) }
        #expect(try CLIRunner.run(["data", "export", "synthetic_many_to_one", "--profile", "smoke", "--out", data]).status == 0)
        #expect(leftovers(s.dir).isEmpty, "\(leftovers(s.dir))")
    }

    @Test func aSecondWriterFailsClearly() throws {
        let (model, data) = try s.syntheticClassifier()
        let out = s.path("modules")
        // Hold the output's lock as a running `decompose` does.
        let fd = open(s.path(".modules.lock"), O_CREAT | O_RDWR | O_CLOEXEC, 0o666)   // no child of a parallel test may inherit it
        #expect(fd >= 0 && flock(fd, LOCK_EX) == 0)
        _ = "4242\n".withCString { write(fd, $0, 5) }
        expectRefused(try CLIRunner.run(["decompose", model, "--data", data, "--out", out]), "is being written by another process (pid 4242)")
        #expect(!FileManager.default.fileExists(atPath: out))
        close(fd)
        #expect(try CLIRunner.run(["decompose", model, "--data", data, "--samples", "20", "--out", out]).status == 0)
        #expect(leftovers(s.dir).isEmpty, "\(leftovers(s.dir))")
    }

    @Test func unwritableOutputIsRefusedBeforeComputing() throws {
        let (model, data) = try s.syntheticClassifier()
        let r = try CLIRunner.run(["decompose", model, "--data", data, "--out", s.path("no/such/dir")])
        expectRefused(r, "folder \(s.path("no/such")) does not exist")
        #expect(!r.stdout.contains("config:"), "refused before any work: \(r.stdout)")
    }

    @Test func staleTemporariesOfDeadProcessesAreRemoved() throws {
        let (model, data) = try s.syntheticClassifier()
        // pid 2^22 + 1 is above Linux's pid_max default: no such process.
        let dead = 4_194_305
        let out = s.path("modules"), p = s.path("p.h5")
        let stale = [out + ".tmp-\(dead)", s.path(".p.h5.tmp-\(dead)-3"), s.path(".modules.tmp-\(dead)-1")]
        try FileManager.default.createDirectory(atPath: stale[0] + "/inner", withIntermediateDirectories: true)
        for f in stale.dropFirst() { try "x".write(toFile: f, atomically: false, encoding: .utf8) }
        // A temporary of a live process (this one) is left alone.
        let live = s.path(".p.h5.tmp-\(getpid())-1")
        try "x".write(toFile: live, atomically: false, encoding: .utf8)
        #expect(try CLIRunner.run(["decompose", model, "--data", data, "--samples", "20", "--out", out]).status == 0)
        #expect(try CLIRunner.run(["predict", model, "--inputs", data, "--output", p]).status == 0)
        for f in stale { #expect(!FileManager.default.fileExists(atPath: f), "\(f) removed") }
        #expect(FileManager.default.fileExists(atPath: live))
    }

    /// SIGINT and SIGTERM during a long `train` leave nothing; SIGKILL leaves the temporary,
    /// which the next run removes.
    @Test(arguments: [SIGINT, SIGTERM, SIGKILL])
    func interruptsLeaveNothingBehind(signal sig: Int32) throws {
        let (_, data) = try s.syntheticClassifier()
        let dir = s.path("run")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let out = dir + "/m.h5"
        let p = Process()
        p.executableURL = CLIRunner.executable
        p.arguments = ["train", "--data", data, "--cell", "lstm", "--layers", "1", "--units", "8", "--epochs", "100000", "--out", out]
        p.standardOutput = FileHandle.nullDevice; p.standardError = FileHandle.nullDevice
        try p.run()
        // The temporary exists from the start (it proves the folder writable).
        var waited = 0
        while leftovers(dir).isEmpty, waited < 400 { usleep(25_000); waited += 1 }
        #expect(!leftovers(dir).isEmpty, "temporary and lock created before training")
        usleep(200_000)
        kill(p.processIdentifier, sig)
        p.waitUntilExit()
        #expect(p.terminationReason == .uncaughtSignal && p.terminationStatus == sig)
        #expect(!FileManager.default.fileExists(atPath: out))
        if sig == SIGKILL {
            #expect(!leftovers(dir).isEmpty, "SIGKILL cannot clean up")
            let r = try CLIRunner.run(["train", "--data", data, "--cell", "lstm", "--layers", "1", "--units", "8", "--epochs", "1", "--out", out])
            #expect(r.status == 0, "\(r.stderr)")
        }
        #expect(leftovers(dir).isEmpty, "\(leftovers(dir))")
    }
}
