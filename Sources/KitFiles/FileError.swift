import Foundation

/// Why an output could not be written safely. Each message is one line naming the path.
public enum FileError: Error, CustomStringConvertible, Equatable {
    /// The output would overwrite a file the command reads (also through another name).
    case outputIsInput(output: String, input: String)
    /// The output is a folder that holds a file the command reads.
    case outputHoldsInput(output: String, input: String)
    /// Something the kit did not write is at the output path; `--force` replaces it.
    case outputExists(path: String, found: String)
    /// The output's folder cannot be written (checked before any computation).
    case notWritable(path: String, cause: String)
    /// Another process holds the output's lock.
    case busy(path: String, holder: String)
    /// A file-system call failed.
    case system(call: String, path: String, cause: String)
    /// A file to read is missing or unreadable.
    case unreadable(path: String, cause: String)

    public var description: String {
        switch self {
        case let .outputIsInput(output, input):
            return output == input ? "refusing to write \(output): it is an input of this command"
                                   : "refusing to write \(output): it is \(input), an input of this command"
        case let .outputHoldsInput(output, input):
            return "refusing to write \(output): it contains \(input), an input of this command"
        case let .outputExists(path, found):
            return "refusing to replace \(path): it holds \(found) the kit did not write (use --force to replace it)"
        case let .notWritable(path, cause): return "cannot write \(path): \(cause)"
        case let .busy(path, holder): return "\(path) is being written by another process (\(holder)); try again when it has finished"
        case let .system(call, path, cause): return "\(call) failed on \(path): \(cause)"
        case let .unreadable(path, cause): return "cannot read \(path): \(cause)"
        }
    }

    /// `strerror(errno)` for the current errno.
    static func errnoText(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }
}
