import CHDF5

/// A group: children by name (paths with `/` are allowed), datasets, subgroups and links.
public final class HDF5Group: HDF5Object {
    public enum ChildKind: Equatable { case group, dataset, other }

    init(id: hid_t, path: String, file: FileHandleID) {
        super.init(id: id, path: path, file: file, close: H5Gclose)
    }

    /// Whether `name` (a relative path) resolves to an object; every intermediate link must
    /// exist. An external link counts as present but is never followed (opening it throws).
    public func contains(_ name: String) -> Bool {
        HDF5Lock.run(filePath) {
            var prefix = ""
            for part in name.split(separator: "/") {
                prefix += prefix.isEmpty ? String(part) : "/" + part
                guard H5Lexists(id, prefix, shim_H5P_DEFAULT()) > 0 else { H5Eclear2(shim_H5E_DEFAULT()); return false }
                if shim_link_type(id, prefix) >= 64 /* H5L_TYPE_UD_MIN: external and user-defined links */ { return true }
            }
            return !prefix.isEmpty && H5Oexists_by_name(id, prefix, shim_H5P_DEFAULT()) > 0
        }
    }

    /// The first component of `name` that is an external or user-defined link (lock held).
    private func externalHop(_ name: String) -> String? {
        var prefix = ""
        for part in name.split(separator: "/") {
            prefix += prefix.isEmpty ? String(part) : "/" + part
            let t = shim_link_type(id, prefix)
            if t < 0 { H5Eclear2(shim_H5E_DEFAULT()); return nil }
            if t >= 64 /* H5L_TYPE_UD_MIN: external and user-defined links */ { return prefix }
        }
        return nil
    }

    /// Throws unless `name` stays inside this file (tf.keras refuses such files too).
    private func requireInsideFile(_ name: String) throws {
        if let hop = HDF5Lock.run(filePath, { externalHop(name) }) {
            throw HDF5Error.outsideFile(path: childLocation(hop), detail: "is an external link to another file")
        }
    }

    /// Closes `oid` and throws when it was reached through a link into another file.
    private func requireSameFile(_ oid: hid_t, _ name: String, close: (hid_t) -> herr_t) throws {
        if shim_same_file(oid, id) != 1 {
            _ = close(oid)
            H5Eclear2(shim_H5E_DEFAULT())
            throw HDF5Error.outsideFile(path: childLocation(name), detail: "resolves to an object in another file")
        }
    }

    /// Kind of the object at `name`, or nil when there is none (`.other` for an external link).
    public func kind(of name: String) -> ChildKind? {
        guard contains(name) else { return nil }
        return HDF5Lock.run(filePath) {
            if externalHop(name) != nil { return .other }
            let oid = H5Oopen(id, name, shim_H5P_DEFAULT())
            guard oid >= 0 else { H5Eclear2(shim_H5E_DEFAULT()); return nil }
            defer { H5Oclose(oid) }
            switch H5Iget_type(oid) {
            case H5I_GROUP: return .group
            case H5I_DATASET: return .dataset
            default: return .other
            }
        }
    }

    /// Names of the direct children, in HDF5's name order.
    public func childNames() throws -> [String] {
        try HDF5Lock.run(filePath) {
            var info = H5G_info_t()
            _ = try check(H5Gget_info(id, &info), "H5Gget_info", location)
            return try (0..<info.nlinks).map { i in
                let n = try check(H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, i, nil, 0, shim_H5P_DEFAULT()),
                                  "H5Lget_name_by_idx", location)
                var buf = [CChar](repeating: 0, count: Int(n) + 1)
                _ = try check(H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, i, &buf, Int(n) + 1, shim_H5P_DEFAULT()),
                              "H5Lget_name_by_idx", location)
                return String(cString: buf)
            }
        }
    }

    public func openGroup(_ name: String) throws -> HDF5Group {
        try requireInsideFile(name)
        guard kind(of: name) == .group else { throw HDF5Error.missing(kind: "group", path: childLocation(name)) }
        let gid = try HDF5Lock.run(filePath) { () throws -> hid_t in
            let gid = try check(H5Gopen2(id, name, shim_H5P_DEFAULT()), "H5Gopen2", childLocation(name))
            try requireSameFile(gid, name, close: H5Gclose)
            return gid
        }
        return HDF5Group(id: gid, path: childPath(name), file: file)
    }

    /// Creates `name`, with any missing intermediate groups.
    @discardableResult
    public func createGroup(_ name: String) throws -> HDF5Group {
        let gid = try HDF5Lock.run(filePath) { () throws -> hid_t in
            let lcpl = try check(H5Pcreate(shim_H5P_LINK_CREATE()), "H5Pcreate", location)
            defer { H5Pclose(lcpl) }
            _ = try check(H5Pset_create_intermediate_group(lcpl, 1), "H5Pset_create_intermediate_group", location)
            let gcpl = try untimedCreationList(shim_H5P_GROUP_CREATE(), location)
            defer { H5Pclose(gcpl) }
            return try check(H5Gcreate2(id, name, lcpl, gcpl, shim_H5P_DEFAULT()), "H5Gcreate2", childLocation(name))
        }
        return HDF5Group(id: gid, path: childPath(name), file: file)
    }

    /// Opens `name` when it exists, else creates it.
    public func group(_ name: String) throws -> HDF5Group {
        try kind(of: name) == .group ? openGroup(name) : createGroup(name)
    }

    public func openDataset(_ name: String) throws -> HDF5Dataset {
        try requireInsideFile(name)
        guard kind(of: name) == .dataset else { throw HDF5Error.missing(kind: "dataset", path: childLocation(name)) }
        let did = try HDF5Lock.run(filePath) { () throws -> hid_t in
            let did = try check(H5Dopen2(id, name, shim_H5P_DEFAULT()), "H5Dopen2", childLocation(name))
            try requireSameFile(did, name, close: H5Dclose)
            return did
        }
        return HDF5Dataset(id: did, path: childPath(name), file: file)
    }

    /// A soft link `name` → `target` (an absolute or relative HDF5 path).
    public func createSoftLink(_ name: String, to target: String) throws {
        _ = try HDF5Lock.run(filePath) {
            try check(H5Lcreate_soft(target, id, name, shim_H5P_DEFAULT(), shim_H5P_DEFAULT()), "H5Lcreate_soft", childLocation(name))
        }
    }

    /// A second hard link `name` to the object at `existing` (same file).
    public func createHardLink(_ name: String, to existing: String) throws {
        _ = try HDF5Lock.run(filePath) {
            try check(H5Lcreate_hard(id, existing, id, name, shim_H5P_DEFAULT(), shim_H5P_DEFAULT()), "H5Lcreate_hard", childLocation(name))
        }
    }

    /// Writes a new numeric dataset. `values.count` must equal the product of `shape`.
    @discardableResult
    public func createDataset<T: HDF5Scalar>(_ name: String, shape: [Int], values: [T]) throws -> HDF5Dataset {
        let expected = shape.reduce(1, *)
        guard values.count == expected else {
            throw HDF5Error.shapeMismatch(path: childLocation(name), expected: shape, found: [values.count])
        }
        let did = try HDF5Lock.run(filePath) { () throws -> hid_t in
            let space = try makeDataspace(shape, location)
            defer { H5Sclose(space) }
            let lcpl = try check(H5Pcreate(shim_H5P_LINK_CREATE()), "H5Pcreate", location)
            defer { H5Pclose(lcpl) }
            _ = try check(H5Pset_create_intermediate_group(lcpl, 1), "H5Pset_create_intermediate_group", location)
            let dcpl = try untimedCreationList(shim_H5P_DATASET_CREATE(), location)
            defer { H5Pclose(dcpl) }
            let did = try check(H5Dcreate2(id, name, T.fileType, space, lcpl, dcpl, shim_H5P_DEFAULT()),
                                "H5Dcreate2", childLocation(name))
            if expected > 0 {
                _ = try values.withUnsafeBytes { buf in
                    try check(H5Dwrite(did, T.nativeType, shim_H5S_ALL(), shim_H5S_ALL(), shim_H5P_DEFAULT(), buf.baseAddress),
                              "H5Dwrite", childLocation(name))
                }
            }
            return did
        }
        return HDF5Dataset(id: did, path: childPath(name), file: file)
    }

    /// Writes a new 1-D dataset of variable-length UTF-8 strings.
    @discardableResult
    public func createStringDataset(_ name: String, strings: [String]) throws -> HDF5Dataset {
        let did = try HDF5Lock.run(filePath) { () throws -> hid_t in
            let space = try makeDataspace([strings.count], location)
            defer { H5Sclose(space) }
            let type = try makeStringType(variableLength: true, utf8: true, size: 0, location)
            defer { H5Tclose(type) }
            let lcpl = try check(H5Pcreate(shim_H5P_LINK_CREATE()), "H5Pcreate", location)
            defer { H5Pclose(lcpl) }
            _ = try check(H5Pset_create_intermediate_group(lcpl, 1), "H5Pset_create_intermediate_group", location)
            let dcpl = try untimedCreationList(shim_H5P_DATASET_CREATE(), location)
            defer { H5Pclose(dcpl) }
            let did = try check(H5Dcreate2(id, name, type, space, lcpl, dcpl, shim_H5P_DEFAULT()),
                                "H5Dcreate2", childLocation(name))
            try writeVariableStrings(strings, type: type, childLocation(name)) { mem, buf in
                H5Dwrite(did, mem, shim_H5S_ALL(), shim_H5S_ALL(), shim_H5P_DEFAULT(), buf)
            }
            return did
        }
        return HDF5Dataset(id: did, path: childPath(name), file: file)
    }
}
