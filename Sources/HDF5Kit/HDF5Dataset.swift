import CHDF5

/// A dataset. Reads check the stored type and shape first and never reinterpret bytes.
public final class HDF5Dataset: HDF5Object {
    init(id: hid_t, path: String, file: FileHandleID) {
        super.init(id: id, path: path, file: file, close: H5Dclose)
    }

    private func withStored<T>(_ body: (StoredValue) throws -> T) throws -> T {
        try HDF5Lock.run {
            let type = try check(H5Dget_type(id), "H5Dget_type", location)
            defer { H5Tclose(type) }
            let space = try check(H5Dget_space(id), "H5Dget_space", location)
            defer { H5Sclose(space) }
            let did = id
            return try body(StoredValue(type: type, space: space, what: location) { mem, buf in
                H5Dread(did, mem, shim_H5S_ALL(), shim_H5S_ALL(), shim_H5P_DEFAULT(), buf)
            })
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
