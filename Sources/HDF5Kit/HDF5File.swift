import CHDF5
import Foundation
import KitFiles

/// An HDF5 file. Open existing files read-only or read-write; new files are best written
/// with `HDF5File.writeAtomically`, which never leaves a half-written file at the target.
public final class HDF5File {
    public enum Mode { case readOnly, readWrite, truncate }

    public let path: String
    public let root: HDF5Group
    private let handle: FileHandleID

    public convenience init(path: String, mode: Mode = .readOnly) throws {
        try self.init(path: path, mode: mode, displayPath: path)
    }

    /// `displayPath` names the file in errors (the target of an atomic write, not its temporary).
    init(path: String, mode: Mode, displayPath: String) throws {
        self.path = path
        var heaps: GlobalHeaps?
        let fileID = try HDF5Lock.run(path) {
            if mode != .truncate {
                var isFolder: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw HDF5Error.fileNotFound(path: path) }
                if isFolder.boolValue { throw HDF5Error.notHDF5(path: path) }
                // H5Fis_hdf5 only looks for the signature; a truncated file passes it and
                // fails in H5Fopen below with HDF5's own explanation.
                if H5Fis_hdf5(path) == 0 { throw HDF5Error.notHDF5(path: path) }
                // What would make libhdf5 1.10 hang or read out of bounds is refused first.
                heaps = try GlobalHeapCheck.check(path: path)
            }
            // Strong close: closing the file closes every object still open in it, so a
            // written file is complete on disk when `close()` returns.
            let fapl = try check(H5Pcreate(shim_H5P_FILE_ACCESS()), "H5Pcreate", path)
            defer { H5Pclose(fapl) }
            _ = try check(H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG), "H5Pset_fclose_degree", path)
            // No flock(): libhdf5 opens files without close-on-exec, so a subprocess started by
            // another thread while a file is open inherits the descriptor and its lock, and
            // the next open of that file fails with EAGAIN. The kit never writes a file in
            // place (new files go through a temporary and a rename), so locks protect nothing.
            _ = try check(H5Pset_file_locking(fapl, false, true), "H5Pset_file_locking", path)
            switch mode {
            case .readOnly: return try check(H5Fopen(path, shim_H5F_ACC_RDONLY(), fapl), "H5Fopen", path)
            case .readWrite: return try check(H5Fopen(path, shim_H5F_ACC_RDWR(), fapl), "H5Fopen", path)
            case .truncate:
                let fcpl = try untimedCreationList(shim_H5P_FILE_CREATE(), path)
                defer { H5Pclose(fcpl) }
                return try check(H5Fcreate(path, shim_H5F_ACC_TRUNC(), fcpl, fapl), "H5Fcreate", path)
            }
        }
        handle = FileHandleID(id: fileID, path: displayPath, heaps: heaps)
        let gid = try HDF5Lock.run(path) { try check(H5Gopen2(fileID, "/", shim_H5P_DEFAULT()), "H5Gopen2", path) }
        root = HDF5Group(id: gid, path: "/", file: handle)
    }

    /// Flushes and closes the file and every object still open in it (they become unusable).
    /// Idempotent; without it the file closes when the last object of it is released.
    public func close() throws { try handle.close() }

    /// Writes a new file at `path` through a temporary sibling that is renamed into place
    /// only when `body` succeeded; on any error (or SIGINT/SIGTERM, through `TemporaryFiles`)
    /// the temporary file is removed.
    public static func writeAtomically<T>(to path: String, _ body: (HDF5File) throws -> T) throws -> T {
        try KitFiles.writeAtomically(to: path) { tmp in
            let file = try HDF5File(path: tmp, mode: .truncate, displayPath: path)
            let result = try body(file)
            try file.close()
            return result
        }
    }
}
