import CGEMM

/// The C allocator's settings for training and inference on large batches, which executables
/// apply once at start (a library never changes them by itself).
///
/// glibc serves every block above its mmap threshold (at most 32 MB by default) with a fresh
/// mmap and returns it on free, so each batch's large buffers — a 30,000-way softmax over a
/// batch of 32 × 20 steps is 77 MB, and its gradient as much — are page-faulted and zeroed by
/// the kernel again on every batch: a Tatoeba-sized training epoch spent 15 % of its CPU time in
/// the kernel (1.2 M page faults in 3 epochs). Serving them from the heap and not trimming it
/// keeps those pages for the next batch (0.1 M faults). Memory is only kept, never added: the
/// peak is the same, it is just not handed back until the process ends. No result changes.
public enum Allocator {
    @discardableResult
    public static func keepLargeBuffers() -> Bool {
        kit_keep_large_buffers() == 1
    }
}
