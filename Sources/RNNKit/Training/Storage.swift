/// An owned buffer behind a raw pointer, so kernels can hand sub-ranges (a time step, a gate
/// block) to the GEMM without nesting `withUnsafe…` closures. Contents start at zero.
final class Storage<S: TrainScalar>: @unchecked Sendable {
    private(set) var p: UnsafeMutablePointer<S>
    private(set) var count: Int
    private var capacity: Int

    init(count: Int) {
        self.count = count
        capacity = max(count, 1)
        p = .allocate(capacity: capacity)
        p.initialize(repeating: 0, count: capacity)
    }

    convenience init(_ values: [S]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { p.update(from: $0.baseAddress!, count: values.count) }
    }

    deinit { p.deallocate() }

    /// Makes room for `n` values (contents undefined unless `zero()` follows).
    func reserve(_ n: Int) {
        if n > capacity {
            p.deallocate()
            // Half as much again: a head's counted rows vary per batch, and growing to each new
            // maximum exactly re-faulted a fresh block of tens of MB many times in an epoch.
            capacity = max(n, capacity + capacity / 2)
            p = .allocate(capacity: capacity)
            p.initialize(repeating: 0, count: capacity)
        }
        count = n
    }

    func zero() { p.update(repeating: 0, count: count) }
    var array: [S] { Array(UnsafeBufferPointer(start: p, count: count)) }
}
