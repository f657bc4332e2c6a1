#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "kit_guard.h"

struct kit_guard_page {
    volatile int32_t depth;
    volatile uint32_t temporaries_length;
    char file[4096];
    char temporaries[60 * 1024];
};

static struct kit_guard_page private_page;
static struct kit_guard_page *page = &private_page;

int kit_guard_create(void) {
    int fd = memfd_create("rnn-decompose-guard", 0); // no MFD_CLOEXEC: the worker inherits it
    if (fd < 0) return -1;
    if (ftruncate(fd, sizeof(struct kit_guard_page)) != 0 || kit_guard_attach(fd) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

int kit_guard_attach(int fd) {
    void *p = mmap(NULL, sizeof(struct kit_guard_page), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) return -1;
    page = p;
    return 0;
}

void kit_guard_hdf5_enter(const char *file) {
    page->depth += 1;
    if (file) {
        size_t n = strnlen(file, sizeof page->file - 1);
        if (strncmp(page->file, file, n) != 0 || page->file[n] != 0) {
            memcpy(page->file, file, n);
            page->file[n] = 0;
        }
    }
}

void kit_guard_hdf5_leave(void) { page->depth -= 1; }

void kit_guard_set_temporaries(const char *list, size_t length) {
    // Length 0 while copying: a worker dying mid-copy leaves an empty list, not a torn one.
    page->temporaries_length = 0;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (length > sizeof page->temporaries) length = sizeof page->temporaries;
    memcpy(page->temporaries, list, length);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    page->temporaries_length = (uint32_t)length;
}

int32_t kit_guard_hdf5_depth(void) { return page->depth; }
const char *kit_guard_file(void) { return page->file; }
const char *kit_guard_temporaries(size_t *length) {
    *length = page->temporaries_length;
    return page->temporaries;
}

#if defined(__linux__)
#include <signal.h>
#include <sys/prctl.h>
#endif

int kit_guard_die_with_parent(int parent) {
#if defined(__linux__)
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) return -1;
#endif
    return getppid() == parent ? 0 : -1;
}
