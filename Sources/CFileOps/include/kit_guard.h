// The page a worker process shares with the `rnn-decompose` process that started it, so the
// starter can tell after a crash whether libhdf5 was running (and on which file) and which
// temporaries the worker had not yet renamed into place. Written only by the worker; read by
// the starter once the worker is dead. Without a starter the page is a private static one.
#pragma once
#include <stddef.h>
#include <stdint.h>

/// Creates an anonymous shared page (memfd) inherited across exec and maps it; returns its
/// descriptor, or -1 with errno set.
int kit_guard_create(void);
/// Maps the page behind descriptor `fd` (inherited from the starter); 0 or -1 with errno.
int kit_guard_attach(int fd);

/// Around every call into libhdf5 (nested calls count): `file` names the file being read.
void kit_guard_hdf5_enter(const char *file);
void kit_guard_hdf5_leave(void);
/// The worker's registered temporaries, newline-separated (cut at the page's capacity).
void kit_guard_set_temporaries(const char *list, size_t length);

/// What the page says (for the starter, after the worker died).
int32_t kit_guard_hdf5_depth(void);
/// The file of the latest libhdf5 call ("" when none).
const char *kit_guard_file(void);
/// The temporaries list and its length.
const char *kit_guard_temporaries(size_t *length);

/// In the worker: asks for SIGKILL when the starter `parent` dies (prctl PR_SET_PDEATHSIG),
/// so killing the CLI never leaves its worker running; -1 when `parent` has already gone.
int kit_guard_die_with_parent(int parent);
