import CFileOps
import CHDF5
import Foundation

/// The serial build of libhdf5 is not thread-safe: every call into it goes through this
/// one recursive lock (recursive because a locked section may close a handle in `deinit`).
/// HDF5's automatic error printing is switched off on every entry: in a thread-safe build of
/// the library that setting is per thread, and the kit reports errors itself.
enum HDF5Lock {
    private static let lock: NSRecursiveLock = {
        let l = NSRecursiveLock()
        l.lock(); H5open(); l.unlock()
        return l
    }()

    static func run<T>(_ file: String, _ body: () throws -> T) rethrows -> T {
        lock.lock(); defer { lock.unlock() }
        file.withCString { kit_guard_hdf5_enter($0) }
        defer { kit_guard_hdf5_leave() }
        shim_silence_errors()
        return try body()
    }
}
