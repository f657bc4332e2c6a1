import ArgumentParser
import Corpora
import Foundation
import KitFiles
import RNNKit

/// `rnn-decompose`: inspect, run and decompose RNN models stored as Keras HDF5. Errors print
/// one line naming the problem and exit 1; SIGINT and SIGTERM remove the temporaries first.
/// Each command runs in a worker copy of the process (`CrashGuard`), so a crash of libhdf5 on
/// a corrupt file is reported like any other bad input.
@main
struct RNNDecompose: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rnn-decompose",
        abstract: "Decompose recurrent neural networks (Keras HDF5) into reusable, replaceable modules.",
        version: KitVersion.description,
        subcommands: [Inspect.self, Predict.self, DataCommand.self, Train.self, Decompose.self, Evaluate.self, BLEU.self])

    static func main() {
        CrashGuard.start()
        SignalCleanup.install()
        Allocator.keepLargeBuffers()
        Foundation.exit(runCommand())
    }

    /// Parses and runs the command; prints what went wrong and returns the exit status. The
    /// process exits only after this returns: Swift never releases what is alive on a path that
    /// ends in a call that does not return (`exit`), so an error caught and reported there was
    /// still allocated at exit, and LeakSanitizer printed it after the one-line error
    /// (`make sanitize`: every failing CLI run of the malformed-input corpus).
    static func runCommand() -> Int32 {
        do {
            var command = try parseAsRoot()
            try command.run()
            return 0
        } catch let e where isArgumentParserError(e) {
            let code = exitCode(for: e), text = fullMessage(for: e)
            if !text.isEmpty {
                if code.isSuccess { print(text) } else { FileHandle.standardError.write(Data((text + "\n").utf8)) }
            }
            return code.rawValue
        } catch {
            FileHandle.standardError.write(Data(("error: " + oneLineMessage(error) + "\n").utf8))
            return 1
        }
    }
}

/// What `--version` prints: a constant in the source, raised with each change of the CLI's
/// files or options (SwiftPM gives a build no git commit without a plugin; the constant also
/// holds in a source archive without .git).
enum KitVersion {
    static let number = "0.12.0"
    static var description: String { "rnn-decompose \(number) (ICSE 2023 RNN decomposition kit; module files format 1, manifest version 1)" }
}

/// Errors that ArgumentParser renders itself: its public ones, and the internal ones that a
/// parsed `--help` or `help` subcommand throws from `run()` (a help request is not an error).
func isArgumentParserError(_ error: Error) -> Bool {
    error is ValidationError || error is ExitCode || error is CleanExit
        || String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
}

/// One line for any error: Foundation's file errors become "cannot read PATH: reason",
/// anything multi-line is joined with "; ".
func oneLineMessage(_ error: Error) -> String {
    var text: String
    if let e = error as? CocoaError {
        let path = (e.userInfo[NSFilePathErrorKey] as? String) ?? (e.userInfo[NSURLErrorKey] as? URL)?.path ?? "a file"
        let reason = (e.userInfo[NSUnderlyingErrorKey] as? NSError).map { String(cString: strerror(Int32($0.code))) }
        switch e.code {
        case .fileReadNoSuchFile, .fileNoSuchFile: text = "cannot read \(path): no such file"
        case .fileReadNoPermission: text = "cannot read \(path): permission denied"
        case .fileWriteNoPermission: text = "cannot write \(path): permission denied"
        case .fileReadInapplicableStringEncoding, .fileReadCorruptFile: text = "cannot read \(path): not valid UTF-8 text"
        case .fileWriteOutOfSpace: text = "cannot write \(path): no space left on the device"
        default: text = "cannot access \(path): \(reason ?? "file system error \(e.code.rawValue)")"
        }
    } else {
        text = String(describing: error)
    }
    let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    return lines.joined(separator: "; ")
}

/// The data locator for this process: the standard roots under its environment (`DATA_DIR`,
/// `SHARED_DIR`, `RNN_MANIFEST_DIR`), read here in the executable and passed down.
func standardLocator() -> DataLocator { DataLocator.standard(environment: ProcessInfo.processInfo.environment) }
