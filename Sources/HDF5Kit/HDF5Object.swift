import CHDF5

/// An open HDF5 object (file, group or dataset). The handle is owned: it is closed in
/// `deinit`, under the HDF5 lock. `path` is the object's name inside its file, for errors.
public class HDF5Object {
    let id: hid_t
    /// The object's path inside its file.
    public let path: String
    /// Keeps the file open while any of its objects is alive.
    let file: FileHandleID
    /// The file the object is in (as opened, for messages).
    public var filePath: String { file.path }
    private let close: (hid_t) -> herr_t

    init(id: hid_t, path: String, file: FileHandleID, close: @escaping (hid_t) -> herr_t) {
        self.id = id
        self.path = path
        self.file = file
        self.close = close
    }

    deinit {
        let (id, close) = (self.id, self.close)
        // A file closed with H5F_CLOSE_STRONG has already closed this id: ignore that failure.
        HDF5Lock.run(file.path) { _ = close(id); H5Eclear2(shim_H5E_DEFAULT()) }
    }

    /// `path` qualified by the file, as shown to users.
    var location: String { "\(filePath):\(path)" }

    func childPath(_ name: String) -> String {
        path == "/" ? "/" + name : path + "/" + name
    }

    /// `childPath` qualified by the file, for errors.
    func childLocation(_ name: String) -> String { "\(filePath):\(childPath(name))" }
}

/// The owned file id. Every object of the file holds it, so the file stays open as long as
/// anything in it is used; it closes when the last holder goes (or on explicit close).
final class FileHandleID {
    let id: hid_t
    let path: String
    /// The file's global heap collections, for judging references before a read follows them
    /// (nil for files the kit is writing: their heaps are its own, and partly in memory).
    let heaps: GlobalHeaps?
    private(set) var isOpen = true

    init(id: hid_t, path: String, heaps: GlobalHeaps?) { self.id = id; self.path = path; self.heaps = heaps }

    func close() throws {
        guard isOpen else { return }
        isOpen = false
        let (fid, path) = (id, self.path)
        _ = try HDF5Lock.run(path) {
            _ = try check(H5Fflush(fid, H5F_SCOPE_GLOBAL), "H5Fflush", path)
            return try check(H5Fclose(fid), "H5Fclose", path)
        }
    }

    deinit { try? close() }
}

/// Shape of a dataspace (lock held by the caller). A scalar dataspace has shape `[]`.
func dataspaceShape(_ space: hid_t, _ what: String) throws -> [Int] {
    let rank = Int(try check(H5Sget_simple_extent_ndims(space), "H5Sget_simple_extent_ndims", what))
    var dims = [hsize_t](repeating: 0, count: rank)
    if rank > 0 { _ = try check(H5Sget_simple_extent_dims(space, &dims, nil), "H5Sget_simple_extent_dims", what) }
    return try dims.map { d in
        guard let v = Int(exactly: d) else { throw HDF5Error.implausibleSize(path: what, detail: "declares a dimension of \(d)") }
        return v
    }
}

/// Bounds on what the kit reads from a file, so a forged header cannot make it allocate
/// without limit. Generous for the kit's data (the largest real dataset has 10^8 elements).
public enum HDF5Limits {
    /// Elements of one dataset or attribute read into memory: 2^31 (8 GiB of float32).
    public static let maxElements = 1 << 31
    /// A filtered (compressed) dataset may declare at most this many times the bytes it
    /// stores, plus `filterSlackBytes`: deflate cannot exceed ~1032:1.
    public static let maxCompressionRatio = 1100
    public static let filterSlackBytes = 1 << 20
}

/// The product of `shape`, overflow-checked and within `HDF5Limits.maxElements`.
func checkedCount(_ shape: [Int], _ what: String) throws -> Int {
    var n = 1
    for d in shape {
        let (p, overflow) = n.multipliedReportingOverflow(by: d)
        guard !overflow, p <= HDF5Limits.maxElements else {
            throw HDF5Error.implausibleSize(path: what, detail: "declares shape \(shape), more than the kit's bound of \(HDF5Limits.maxElements) elements")
        }
        n = p
    }
    return n
}

/// A simple dataspace for `shape` (`[]` = scalar). Caller closes it.
func makeDataspace(_ shape: [Int], _ what: String) throws -> hid_t {
    if shape.isEmpty { return try check(H5Screate(H5S_SCALAR), "H5Screate", what) }
    let dims = shape.map { hsize_t($0) }
    return try check(H5Screate_simple(Int32(dims.count), dims, nil), "H5Screate_simple", what)
}
