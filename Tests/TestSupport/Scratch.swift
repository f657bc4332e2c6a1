import Foundation

/// The one folder of a test process's scratch files, removed when the process exits: every test
/// makes its files under it, so a run leaves nothing in the temporary directory (before, each
/// `make test` left some 140 folders, 1.1 GB of models and data, behind in /tmp). A crashed run leaves
/// its folder, named after its process, for inspection.
public enum TestScratch {
    public static let root: URL = {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("rnn-kit-tests-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: TestScratch.root) }
        return url
    }()
}
