import CHDF5

/// A dataset. Reads check the stored type and shape first and never reinterpret bytes.
public final class HDF5Dataset: HDF5Object {
    init(id: hid_t, path: String, file: FileHandleID) {
        super.init(id: id, path: path, file: file, close: H5Dclose)
    }

    private func withStored<T>(_ body: (StoredValue) throws -> T) throws -> T {
        try HDF5Lock.run(filePath) {
            let type = try check(H5Dget_type(id), "H5Dget_type", location)
            defer { H5Tclose(type) }
            let space = try check(H5Dget_space(id), "H5Dget_space", location)
            defer { H5Sclose(space) }
            let did = id, what = location
            var stored = StoredValue(type: type, space: space, what: what, heaps: file.heaps) { mem, buf in
                H5Dread(did, mem, shim_H5S_ALL(), shim_H5S_ALL(), shim_H5P_DEFAULT(), buf)
            }
            stored.checkStorage = { try Self.checkStorage(did, declaredBytes: $0, what) }
            return try body(stored)
        }
    }

    /// Compares the declared size with the storage the dataset really has, and refuses raw
    /// data kept outside the file (external storage, virtual datasets). Unfiltered data must
    /// be stored in full (a header can declare 10^9 rows over a few bytes: HDF5 would return
    /// fill values after allocating them); filtered data within `HDF5Limits`. Lock held.
    static func checkStorage(_ did: hid_t, declaredBytes: Int, _ what: String) throws {
        guard declaredBytes > 0 else { return }
        let dcpl = try check(H5Dget_create_plist(did), "H5Dget_create_plist", what)
        defer { H5Pclose(dcpl) }
        let layout = H5Pget_layout(dcpl)
        if layout == H5D_VIRTUAL { throw HDF5Error.outsideFile(path: what, detail: "is a virtual dataset (its data lives in other files)") }
        if H5Pget_external_count(dcpl) > 0 { throw HDF5Error.outsideFile(path: what, detail: "keeps its data in an external file") }
        let stored = Int(clamping: H5Dget_storage_size(did))
        let filters = Int(H5Pget_nfilters(dcpl))
        if filters == 0 {
            guard stored >= declaredBytes else {
                throw HDF5Error.implausibleSize(path: what, detail: "declares \(declaredBytes) bytes but the file stores \(stored)")
            }
        } else {
            let (bound, overflow) = stored.multipliedReportingOverflow(by: HDF5Limits.maxCompressionRatio)
            guard overflow || declaredBytes <= bound + HDF5Limits.filterSlackBytes else {
                throw HDF5Error.implausibleSize(path: what, detail: "declares \(declaredBytes) bytes over \(stored) compressed bytes, beyond any real compression ratio")
            }
        }
    }

    /// The dataset's shape (`[]` for a scalar).
    public func shape() throws -> [Int] { try withStored { try $0.shape() } }

    /// The stored element type.
    public func elementType() throws -> HDF5ElementType { try withStored { $0.elementType } }

    /// All values, row-major, converted to `T` by HDF5 after the stored type was checked
    /// (see `StoredValue.numbers` for which conversions are allowed).
    public func read<T: HDF5Scalar>(_ type: T.Type) throws -> [T] { try withStored { try $0.numbers(T.self) } }

    /// Reads and checks the shape: `expected` entries of -1 match any length.
    public func read<T: HDF5Scalar>(_ type: T.Type, expecting expected: [Int]) throws -> [T] {
        try withStored { stored in
            let found = try stored.shape()
            let fits = found.count == expected.count && zip(found, expected).allSatisfy { $1 < 0 || $0 == $1 }
            guard fits else { throw HDF5Error.shapeMismatch(path: location, expected: expected, found: found) }
            return try stored.numbers(T.self)
        }
    }

    /// All values of a string dataset.
    public func readStrings() throws -> [String] { try withStored { try $0.strings() } }
}
