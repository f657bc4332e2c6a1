import CHDF5

/// An object creation property list of class `cls` (file, group or dataset) that records no
/// access, modification or change times: libhdf5 stamps each object with the clock by default,
/// so the same model written twice would differ in bytes. Kit-written files depend only on
/// what is written.
func untimedCreationList(_ cls: hid_t, _ object: String) throws -> hid_t {
    let plist = try check(H5Pcreate(cls), "H5Pcreate", object)
    do { _ = try check(H5Pset_obj_track_times(plist, false), "H5Pset_obj_track_times", object) } catch { H5Pclose(plist); throw error }
    return plist
}
