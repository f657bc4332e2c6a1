import Foundation
import TestSupport
import Testing
import KitFiles

/// The zoo's cross-process lock (issue 13: parallel jobs wanting one model train it once).
/// util-linux `flock -n` in a child process stands for a second kit process: it cannot take
/// the lock while `withFileLock` holds it, and takes it once the body has returned.
struct FileLockTests {
    func otherProcessCanLock(_ path: String) throws -> Bool {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        p.arguments = ["-n", path, "true"]
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus == 0
    }

    @Test("withFileLock excludes other processes while its body runs, and only then")
    func excludesOtherProcesses() throws {
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/flock"), "util-linux flock is missing")
        let dir = TestScratch.root.appendingPathComponent("lock-\(UUID().uuidString)").path
        let path = dir + "/locks/model.h5.lock"
        let heldInside = try withFileLock(path) { try otherProcessCanLock(path) }
        #expect(heldInside == false, "a second process got the lock while the body ran")
        #expect(try otherProcessCanLock(path), "the lock is released after the body")
        // A throwing body releases it too.
        struct Boom: Error {}
        #expect(throws: Boom.self) { try withFileLock(path) { throw Boom() } }
        #expect(try otherProcessCanLock(path))
        try? FileManager.default.removeItem(atPath: dir)
    }
}
