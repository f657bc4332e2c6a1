import CHDF5
import Foundation

/// What datasets and attributes have in common for reading: a stored type, a dataspace and
/// a read call. Everything here runs with the HDF5 lock held.
struct StoredValue {
    let type: hid_t
    let space: hid_t
    let what: String
    /// The file's collections (nil: not judged), see `checkReferences`.
    let heaps: GlobalHeaps?
    let read: (_ memType: hid_t, _ buffer: UnsafeMutableRawPointer) -> herr_t
    /// Throws when the declared size is more than the file can hold (datasets; see
    /// `HDF5Dataset.checkStorage`). Runs before anything is allocated.
    var checkStorage: (_ declaredBytes: Int) throws -> Void = { _ in }

    var elementType: HDF5ElementType { .of(type: type) }
    func shape() throws -> [Int] { try dataspaceShape(space, what) }

    /// The element count, overflow-checked and within `HDF5Limits.maxElements`, after the
    /// declared bytes were compared with what the file really stores.
    func count() throws -> Int {
        let n = try checkedCount(try shape(), what)
        let size = Int(H5Tget_size(type))
        let (bytes, overflow) = n.multipliedReportingOverflow(by: max(size, 1))
        if overflow { throw HDF5Error.implausibleSize(path: what, detail: "declares \(n) elements of \(size) bytes, more than memory can address") }
        try checkStorage(bytes)
        return n
    }

    /// Reads numbers after checking the stored class: floats for Float/Double, integers for
    /// Int32/Int64 (Int32 only from integers of at most 32 bits, or checked 64-bit values),
    /// and `Double` also from integers (exact up to 2^53, the kit's token ids are far below).
    func numbers<T: HDF5Scalar>(_: T.Type) throws -> [T] {
        let stored = elementType
        let n = try count()
        switch (stored, T.self) {
        case (.float, is Float.Type), (.float, is Double.Type), (.integer, is Double.Type), (.integer, is Int64.Type):
            break
        case (.integer(let bits, let signed), is Int32.Type):
            if bits > 32 || (bits == 32 && !signed) {
                let wide = try numbers(Int64.self)
                guard let bad = wide.first(where: { $0 < Int64(Int32.min) || $0 > Int64(Int32.max) }) else {
                    return wide.map { T(exactly: $0)! }
                }
                throw HDF5Error.typeMismatch(path: what, expected: "int32", found: "\(stored) holding \(bad)")
            }
        default:
            throw HDF5Error.typeMismatch(path: what, expected: "\(T.self)", found: "\(stored)")
        }
        var out = [T](repeating: 0, count: n)
        if n > 0 {
            let status = out.withUnsafeMutableBytes { read(T.nativeType, $0.baseAddress!) }
            _ = try check(status, "read", what)
        }
        return out
    }

    /// Reads strings of either length kind and either encoding. An empty value of any type
    /// reads as no strings (Keras writes empty float64 arrays for layers without weights).
    func strings() throws -> [String] {
        let n = try count()
        guard case let .string(variable, utf8) = elementType else {
            if n == 0 { return [] }
            throw HDF5Error.typeMismatch(path: what, expected: "string", found: "\(elementType)")
        }
        if n == 0 { return [] }
        if variable {
            try checkReferences(count: n)
            let mem = try makeStringType(variableLength: true, utf8: utf8, size: 0, what)
            defer { H5Tclose(mem) }
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: n)
            _ = try check(pointers.withUnsafeMutableBytes { read(mem, $0.baseAddress!) }, "read", what)
            defer { for p in pointers where p != nil { H5free_memory(p) } }
            return try pointers.map { p in
                guard let p else { return "" }
                return try decode(bytes: UnsafeBufferPointer(start: UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), count: strlen(p)))
            }
        }
        let size = Int(H5Tget_size(type))
        let mem = try check(H5Tcopy(type), "H5Tcopy", what)
        defer { H5Tclose(mem) }
        var bytes = [UInt8](repeating: 0, count: n * size)
        _ = try check(bytes.withUnsafeMutableBytes { read(mem, $0.baseAddress!) }, "read", what)
        let spacePadded = H5Tget_strpad(type) == H5T_STR_SPACEPAD
        return try (0..<n).map { i in
            var slice = bytes[(i * size)..<((i + 1) * size)]
            if let nul = slice.firstIndex(of: 0) { slice = slice[..<nul] }
            if spacePadded { while slice.last == 0x20 { slice = slice.dropLast() } }
            return try slice.withUnsafeBufferPointer { try decode(bytes: $0) }
        }
    }

    /// Reads the `count` stored references of a variable-length string value and refuses the
    /// value when one of them is not a reference libhdf5 1.10 can follow safely (see
    /// `GlobalHeaps.defect`): the value itself is read only after this.
    private func checkReferences(count: Int) throws {
        guard let heaps else { return }
        let raw = try check(shim_vlen_reference_type(), "H5Tregister", what)
        var stored = [UInt8](repeating: 0, count: count * 16)
        _ = try check(stored.withUnsafeMutableBytes { read(raw, $0.baseAddress!) }, "read", what)
        try stored.withUnsafeBytes { b in
            for i in 0..<count {
                let e = i * 16
                let length = b.loadUnaligned(fromByteOffset: e, as: UInt32.self).littleEndian
                let address = b.loadUnaligned(fromByteOffset: e + 4, as: UInt64.self).littleEndian
                let index = b.loadUnaligned(fromByteOffset: e + 12, as: UInt32.self).littleEndian
                if let defect = heaps.defect(length: length, address: address, index: index, elementSize: 1) {
                    throw HDF5Error.implausibleSize(path: what, detail: count == 1 ? defect : "string \(i) \(defect)")
                }
            }
        }
    }

    private func decode(bytes: UnsafeBufferPointer<UInt8>) throws -> String {
        guard let s = String(validating: bytes, as: UTF8.self) else { throw HDF5Error.invalidString(path: what) }
        return s
    }
}

/// A string datatype (caller closes it).
func makeStringType(variableLength: Bool, utf8: Bool, size: Int, _ what: String) throws -> hid_t {
    let t = try check(H5Tcopy(shim_H5T_C_S1()), "H5Tcopy", what)
    _ = try check(H5Tset_size(t, variableLength ? shim_H5T_VARIABLE() : max(size, 1)), "H5Tset_size", what)
    _ = try check(H5Tset_cset(t, utf8 ? H5T_CSET_UTF8 : H5T_CSET_ASCII), "H5Tset_cset", what)
    if !variableLength { _ = try check(H5Tset_strpad(t, H5T_STR_NULLPAD), "H5Tset_strpad", what) }
    return t
}

/// Passes `strings` as an array of C string pointers to `write` (variable-length layout).
func writeVariableStrings(_ strings: [String], type: hid_t, _ what: String,
                          _ write: (hid_t, UnsafeRawPointer) -> herr_t) throws {
    let cStrings = strings.map { strdup($0) }
    defer { cStrings.forEach { free($0) } }
    let status = cStrings.withUnsafeBytes { write(type, $0.baseAddress!) }
    _ = try check(status, "write", what)
}

/// Packs `strings` into fixed-size, NUL-padded slots of the longest string's UTF-8 length.
func packFixedStrings(_ strings: [String]) -> (bytes: [UInt8], size: Int) {
    let utf8 = strings.map { Array($0.utf8) }
    let size = max(1, utf8.map(\.count).max() ?? 1)
    var bytes = [UInt8](repeating: 0, count: size * strings.count)
    for (i, s) in utf8.enumerated() { bytes.replaceSubrange((i * size)..<(i * size + s.count), with: s) }
    return (bytes, size)
}
