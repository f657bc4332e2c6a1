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
static inline hid_t shim_H5P_FILE_CREATE(void)  { return H5P_FILE_CREATE; }
static inline hid_t shim_H5P_GROUP_CREATE(void) { return H5P_GROUP_CREATE; }

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

// Variable-length references as stored. A variable-length value is kept in the file as a
// reference into a global heap collection: the sequence length (4 bytes), the collection's
// address (the file's size of offsets) and the object's index (4 bytes). libhdf5 1.10 follows
// such a reference without checking it (an index beyond the collection's table reads wild
// memory; index 0, the free space, copies the whole free space into a buffer of the declared
// length), so the kit reads the references first and judges them (HDF5Kit's GlobalHeaps).
// There is no API for the stored form; reading the value into this opaque type runs
// `shim_vlen_reference_conv` on exactly the bytes libhdf5 would follow, which normalises each
// to 16 bytes: length (u32), address (u64), index (u32), little-endian as stored.
static const char *const shim_vlen_reference_tag = "rnn-kit:vlen-reference";

static inline herr_t shim_vlen_reference_conv(hid_t src, hid_t dst, H5T_cdata_t *cdata, size_t n,
                                              size_t buf_stride, size_t bkg_stride, void *buf,
                                              void *bkg, hid_t dxpl) {
    (void)bkg_stride; (void)bkg; (void)dxpl;
    switch (cdata->command) {
    case H5T_CONV_INIT: {
        // Only conversions to the kit's tagged type; every other path stays libhdf5's.
        if (H5Tget_class(dst) != H5T_OPAQUE || H5Tget_size(dst) != 16) return -1;
        char *tag = H5Tget_tag(dst);
        int ours = tag != NULL && strcmp(tag, shim_vlen_reference_tag) == 0;
        if (tag) H5free_memory(tag);
        if (!ours) return -1;
        cdata->need_bkg = H5T_BKG_NO;
        return 0;
    }
    case H5T_CONV_FREE: return 0;
    case H5T_CONV_CONV: {
        size_t s = H5Tget_size(src);
        if (buf_stride != 0 || (s != 12 && s != 16)) return -1;
        unsigned char *b = (unsigned char *)buf;
        // 4-byte offsets widen in place, from the last element back, so nothing is overwritten
        // before it is read.
        if (s == 12) {
            for (size_t i = n; i-- > 0;) {
                unsigned char e[12];
                memcpy(e, b + i * 12, 12);
                memset(b + i * 16, 0, 16);
                memcpy(b + i * 16, e, 8);        // length and the 4-byte address
                memcpy(b + i * 16 + 12, e + 8, 4);
            }
        }
        return 0;
    }
    default: return -1;
    }
}

/// The opaque type whose reads yield stored references (registered once; never closed).
/// -1 when libhdf5 refuses the registration.
static inline hid_t shim_vlen_reference_type(void) {
    static hid_t type = -1;
    if (type >= 0) return type;
    hid_t src = H5Tcopy(H5T_C_S1);
    if (src < 0) return -1;
    hid_t dst = H5Tcreate(H5T_OPAQUE, 16);
    if (dst < 0 || H5Tset_size(src, H5T_VARIABLE) < 0 || H5Tset_tag(dst, shim_vlen_reference_tag) < 0 ||
        H5Tregister(H5T_PERS_SOFT, "rnn-kit vlen reference", src, dst, shim_vlen_reference_conv) < 0) {
        H5Tclose(src);
        if (dst >= 0) H5Tclose(dst);
        return -1;
    }
    H5Tclose(src);
    type = dst;
    return type;
}
