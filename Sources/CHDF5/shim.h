// libhdf5 (Debian: libhdf5-dev, pkg-config "hdf5"). HDF5 exposes its predefined types and
// flags as macros over global ids, which Swift cannot import: each gets a static inline here.
#include <stdio.h>
#include <string.h>
#include <hdf5.h>

static inline hid_t shim_H5T_NATIVE_FLOAT(void)  { return H5T_NATIVE_FLOAT; }
static inline hid_t shim_H5T_NATIVE_DOUBLE(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t shim_H5T_NATIVE_INT32(void)  { return H5T_NATIVE_INT32; }
static inline hid_t shim_H5T_NATIVE_INT64(void)  { return H5T_NATIVE_INT64; }
static inline hid_t shim_H5T_NATIVE_UINT8(void)  { return H5T_NATIVE_UINT8; }
static inline hid_t shim_H5T_IEEE_F32LE(void)    { return H5T_IEEE_F32LE; }
static inline hid_t shim_H5T_IEEE_F64LE(void)    { return H5T_IEEE_F64LE; }
static inline hid_t shim_H5T_STD_I32LE(void)     { return H5T_STD_I32LE; }
static inline hid_t shim_H5T_STD_I64LE(void)     { return H5T_STD_I64LE; }
static inline hid_t shim_H5T_C_S1(void)          { return H5T_C_S1; }
static inline size_t shim_H5T_VARIABLE(void)     { return H5T_VARIABLE; }

static inline unsigned shim_H5F_ACC_RDONLY(void) { return H5F_ACC_RDONLY; }
static inline unsigned shim_H5F_ACC_RDWR(void)   { return H5F_ACC_RDWR; }
static inline unsigned shim_H5F_ACC_TRUNC(void)  { return H5F_ACC_TRUNC; }
static inline unsigned shim_H5F_ACC_EXCL(void)   { return H5F_ACC_EXCL; }

static inline hid_t shim_H5P_DEFAULT(void)       { return H5P_DEFAULT; }
static inline hid_t shim_H5S_ALL(void)           { return H5S_ALL; }
static inline hid_t shim_H5E_DEFAULT(void)       { return H5E_DEFAULT; }
static inline hid_t shim_H5P_LINK_CREATE(void)   { return H5P_LINK_CREATE; }
static inline hid_t shim_H5P_DATASET_CREATE(void) { return H5P_DATASET_CREATE; }
static inline hid_t shim_H5P_FILE_ACCESS(void)  { return H5P_FILE_ACCESS; }

/// Silence HDF5's automatic error printing: the Swift side walks the stack itself.
static inline void shim_silence_errors(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

/// Copies the innermost-first HDF5 error stack into `buf` as "func: desc; func: desc".
static inline herr_t shim_walk_cb(unsigned n, const H5E_error2_t *err, void *data) {
    char *buf = (char *)data;
    size_t used = strlen(buf);
    if (used >= 1000) return 0;
    snprintf(buf + used, 1024 - used, "%s%s: %s", used ? "; " : "",
             err->func_name ? err->func_name : "?", err->desc ? err->desc : "?");
    return 0;
}
/// Fills a 1024-byte buffer with the current error stack, then clears it.
static inline void shim_error_stack(char *buf1024) {
    buf1024[0] = 0;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, shim_walk_cb, buf1024);
    H5Eclear2(H5E_DEFAULT);
}

/// Type of the link `name` under `loc` (H5L_TYPE_HARD 0, SOFT 1, EXTERNAL 64, user-defined
/// above), or -1 when absent. The link itself is not traversed.
static inline int shim_link_type(hid_t loc, const char *name) {
    H5L_info_t info;
    if (H5Lget_info(loc, name, &info, H5P_DEFAULT) < 0) return -1;
    return (int)info.type;
}

/// 1 when objects `a` and `b` live in the same file, 0 when not, -1 on error.
static inline int shim_same_file(hid_t a, hid_t b) {
    H5O_info_t ia, ib;
#if H5_VERSION_GE(1, 12, 0)
    if (H5Oget_info3(a, &ia, H5O_INFO_BASIC) < 0 || H5Oget_info3(b, &ib, H5O_INFO_BASIC) < 0) return -1;
#else
    if (H5Oget_info2(a, &ia, H5O_INFO_BASIC) < 0 || H5Oget_info2(b, &ib, H5O_INFO_BASIC) < 0) return -1;
#endif
    return ia.fileno == ib.fileno;
}
