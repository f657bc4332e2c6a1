import CHDF5

/// The element kinds the kit reads and writes. `describe` names a stored type for errors.
public enum HDF5ElementType: Equatable, CustomStringConvertible, Sendable {
    case float(bits: Int)
    case integer(bits: Int, signed: Bool)
    case string(variableLength: Bool, utf8: Bool)
    case other(String)

    public var description: String {
        switch self {
        case let .float(bits): return "float\(bits)"
        case let .integer(bits, signed): return "\(signed ? "int" : "uint")\(bits)"
        case let .string(v, u): return "\(v ? "variable" : "fixed")-length \(u ? "UTF-8" : "ASCII") string"
        case let .other(s): return s
        }
    }

    /// Classifies an HDF5 datatype id (lock held by the caller).
    static func of(type tid: hid_t) -> HDF5ElementType {
        let size = Int(H5Tget_size(tid)) * 8
        switch H5Tget_class(tid) {
        case H5T_FLOAT: return .float(bits: size)
        case H5T_INTEGER: return .integer(bits: size, signed: H5Tget_sign(tid) == H5T_SGN_2)
        case H5T_STRING:
            return .string(variableLength: H5Tis_variable_str(tid) > 0, utf8: H5Tget_cset(tid) == H5T_CSET_UTF8)
        default: return .other("HDF5 type class \(H5Tget_class(tid).rawValue)")
        }
    }
}

/// Numeric element types with a native HDF5 memory type.
public protocol HDF5Scalar: Numeric {
    static var nativeType: hid_t { get }
    static var fileType: hid_t { get }
}
extension Float: HDF5Scalar {
    public static var nativeType: hid_t { shim_H5T_NATIVE_FLOAT() }
    public static var fileType: hid_t { shim_H5T_IEEE_F32LE() }
}
extension Double: HDF5Scalar {
    public static var nativeType: hid_t { shim_H5T_NATIVE_DOUBLE() }
    public static var fileType: hid_t { shim_H5T_IEEE_F64LE() }
}
extension Int32: HDF5Scalar {
    public static var nativeType: hid_t { shim_H5T_NATIVE_INT32() }
    public static var fileType: hid_t { shim_H5T_STD_I32LE() }
}
extension Int64: HDF5Scalar {
    public static var nativeType: hid_t { shim_H5T_NATIVE_INT64() }
    public static var fileType: hid_t { shim_H5T_STD_I64LE() }
}
