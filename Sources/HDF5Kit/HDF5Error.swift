import CHDF5

/// Everything that can go wrong while reading or writing HDF5. Each case names the file or
/// object involved; `.library` carries the failing HDF5 call and HDF5's own error stack.
public enum HDF5Error: Error, CustomStringConvertible, Equatable {
    /// An HDF5 call returned a negative value.
    case library(call: String, object: String, stack: String)
    /// The path exists but is not an HDF5 file (wrong signature).
    case notHDF5(path: String)
    /// The path does not exist.
    case fileNotFound(path: String)
    /// A group, dataset or attribute is absent.
    case missing(kind: String, path: String)
    /// The stored element type is not the one asked for.
    case typeMismatch(path: String, expected: String, found: String)
    /// The stored shape does not fit what was asked for or supplied.
    case shapeMismatch(path: String, expected: [Int], found: [Int])
    /// Stored bytes are not valid text in the declared encoding.
    case invalidString(path: String)
    /// A declared size that cannot be real: overflow, beyond the kit's bound, or more data
    /// than the file stores (checked before anything is allocated).
    case implausibleSize(path: String, detail: String)
    /// Reading would leave the file: an external link, external raw storage, a virtual dataset.
    case outsideFile(path: String, detail: String)

    public var description: String {
        switch self {
        case let .library(call, object, stack):
            // The innermost entry of HDF5's stack is the cause; the outer ones repeat the call chain.
            let cause = stack.components(separatedBy: "; ").last(where: { !$0.isEmpty }) ?? ""
            return "HDF5 call \(call) failed on \(object): \(cause.isEmpty ? "no message from libhdf5" : cause)"
        case let .notHDF5(path): return "\(path) is not an HDF5 file"
        case let .fileNotFound(path): return "\(path) does not exist"
        case let .missing(kind, path): return "no \(kind) '\(path)'"
        case let .typeMismatch(path, expected, found):
            return "'\(path)' holds \(found), expected \(expected)"
        case let .shapeMismatch(path, expected, found):
            return "'\(path)' has shape \(found), expected \(expected)"
        case let .invalidString(path): return "'\(path)' holds bytes that are not valid text"
        case let .implausibleSize(path, detail): return "'\(path)' \(detail)"
        case let .outsideFile(path, detail): return "'\(path)' \(detail); the kit reads only the given file"
        }
    }
}

/// Turns a negative HDF5 return value into `HDF5Error.library` with the error stack.
/// Must be called with the HDF5 lock held (it reads the thread's HDF5 error stack).
@inline(__always)
func check<T: BinaryInteger>(_ value: T, _ call: String, _ object: String) throws -> T {
    if value < 0 { throw HDF5Error.library(call: call, object: object, stack: currentErrorStack()) }
    return value
}

func currentErrorStack() -> String {
    var buffer = [CChar](repeating: 0, count: 1024)
    shim_error_stack(&buffer)
    return String(cString: buffer)
}
