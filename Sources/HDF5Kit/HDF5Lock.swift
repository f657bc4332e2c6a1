import CHDF5
import Foundation

/// The serial build of libhdf5 is not thread-safe: every call into it goes through this
/// one recursive lock (recursive because a locked section may close a handle in `deinit`).
enum HDF5Lock {
    private static let lock: NSRecursiveLock = {
        let l = NSRecursiveLock()
        l.lock(); H5open(); shim_silence_errors(); l.unlock()
        return l
    }()

    static func run<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock(); defer { lock.unlock() }
        return try body()
    }
}
