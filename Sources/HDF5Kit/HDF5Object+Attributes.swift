import CHDF5

/// Attributes on any object (file root, group, dataset): numbers, strings of both length
/// kinds and encodings, and string arrays. Writing an existing name replaces it.
extension HDF5Object {
    public func hasAttribute(_ name: String) -> Bool {
        HDF5Lock.run(filePath) {
            let r = H5Aexists(id, name)
            if r < 0 { H5Eclear2(shim_H5E_DEFAULT()) }
            return r > 0
        }
    }

    /// Attribute names in creation-independent name order.
    public func attributeNames() throws -> [String] {
        final class Box { var names: [String] = [] }
        let box = Box()
        try HDF5Lock.run(filePath) {
            var idx: hsize_t = 0
            let ctx = Unmanaged.passUnretained(box).toOpaque()
            _ = try check(H5Aiterate2(id, H5_INDEX_NAME, H5_ITER_INC, &idx, { _, name, _, data in
                Unmanaged<Box>.fromOpaque(data!).takeUnretainedValue().names.append(String(cString: name!))
                return 0
            }, ctx), "H5Aiterate2", location)
        }
        return box.names
    }

    private func withAttribute<T>(_ name: String, _ body: (StoredValue) throws -> T) throws -> T {
        guard hasAttribute(name) else { throw HDF5Error.missing(kind: "attribute", path: "\(location)@\(name)") }
        return try HDF5Lock.run(filePath) {
            let what = "\(location)@\(name)"
            let aid = try check(H5Aopen(id, name, shim_H5P_DEFAULT()), "H5Aopen", what)
            defer { H5Aclose(aid) }
            let type = try check(H5Aget_type(aid), "H5Aget_type", what)
            defer { H5Tclose(type) }
            let space = try check(H5Aget_space(aid), "H5Aget_space", what)
            defer { H5Sclose(space) }
            var stored = StoredValue(type: type, space: space, what: what, heaps: file.heaps) { mem, buf in H5Aread(aid, mem, buf) }
            // An attribute's data sits in the object header, in full: a declared size beyond
            // what is stored is a forged header.
            stored.checkStorage = { declared in
                let real = Int(clamping: H5Aget_storage_size(aid))
                guard declared <= real else {
                    throw HDF5Error.implausibleSize(path: what, detail: "declares \(declared) bytes but the file stores \(real)")
                }
            }
            return try body(stored)
        }
    }

    public func attributeType(_ name: String) throws -> HDF5ElementType { try withAttribute(name) { $0.elementType } }
    public func attributeShape(_ name: String) throws -> [Int] { try withAttribute(name) { try $0.shape() } }

    /// A string attribute: scalar, or an array of exactly one string.
    public func stringAttribute(_ name: String) throws -> String {
        let all = try withAttribute(name) { try $0.strings() }
        guard all.count == 1 else {
            throw HDF5Error.shapeMismatch(path: "\(location)@\(name)", expected: [1], found: [all.count])
        }
        return all[0]
    }

    /// A string-array attribute (an empty array of any type reads as `[]`).
    public func stringArrayAttribute(_ name: String) throws -> [String] { try withAttribute(name) { try $0.strings() } }

    /// A numeric attribute, all values (checked conversions as for datasets).
    public func numericAttribute<T: HDF5Scalar>(_ name: String, as type: T.Type) throws -> [T] {
        try withAttribute(name) { try $0.numbers(T.self) }
    }

    // MARK: writing

    private func replacingAttribute(_ name: String, type: hid_t, shape: [Int],
                                    _ write: (hid_t) throws -> Void) throws {
        try HDF5Lock.run(filePath) {
            let what = "\(location)@\(name)"
            if H5Aexists(id, name) > 0 { _ = try check(H5Adelete(id, name), "H5Adelete", what) }
            let space = try makeDataspace(shape, what)
            defer { H5Sclose(space) }
            let aid = try check(H5Acreate2(id, name, type, space, shim_H5P_DEFAULT(), shim_H5P_DEFAULT()), "H5Acreate2", what)
            defer { H5Aclose(aid) }
            try write(aid)
        }
    }

    /// Numbers; `shape` defaults to a 1-D array (`[]` with one value writes a scalar).
    public func setAttribute<T: HDF5Scalar>(_ name: String, values: [T], shape: [Int]? = nil) throws {
        let shape = shape ?? [values.count]
        guard shape.reduce(1, *) == values.count else {
            throw HDF5Error.shapeMismatch(path: "\(location)@\(name)", expected: shape, found: [values.count])
        }
        try replacingAttribute(name, type: T.fileType, shape: shape) { aid in
            _ = try values.withUnsafeBytes { b in
                try check(H5Awrite(aid, T.nativeType, b.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!), "H5Awrite", "\(location)@\(name)")
            }
        }
    }

    /// One scalar string; variable-length UTF-8 unless asked otherwise (h5py and Keras default).
    public func setAttribute(_ name: String, string: String, variableLength: Bool = true, utf8: Bool = true) throws {
        try writeStrings(name, [string], shape: [], variableLength: variableLength, utf8: utf8)
    }

    /// A 1-D array of strings.
    public func setAttribute(_ name: String, strings: [String], variableLength: Bool = true, utf8: Bool = true) throws {
        try writeStrings(name, strings, shape: [strings.count], variableLength: variableLength, utf8: utf8)
    }

    private func writeStrings(_ name: String, _ strings: [String], shape: [Int], variableLength: Bool, utf8: Bool) throws {
        let what = "\(location)@\(name)"
        if !utf8, let bad = strings.first(where: { !$0.utf8.allSatisfy { $0 < 0x80 } }) {
            throw HDF5Error.invalidString(path: "\(what) (not ASCII: \(bad))")
        }
        if variableLength {
            let type = try HDF5Lock.run(filePath) { try makeStringType(variableLength: true, utf8: utf8, size: 0, what) }
            defer { HDF5Lock.run(filePath) { _ = H5Tclose(type) } }
            try replacingAttribute(name, type: type, shape: shape) { aid in
                try writeVariableStrings(strings, type: type, what) { mem, buf in H5Awrite(aid, mem, buf) }
            }
        } else {
            let (bytes, size) = packFixedStrings(strings)
            let type = try HDF5Lock.run(filePath) { try makeStringType(variableLength: false, utf8: utf8, size: size, what) }
            defer { HDF5Lock.run(filePath) { _ = H5Tclose(type) } }
            try replacingAttribute(name, type: type, shape: shape) { aid in
                _ = try bytes.withUnsafeBytes { try check(H5Awrite(aid, type, $0.baseAddress!), "H5Awrite", what) }
            }
        }
    }
}
