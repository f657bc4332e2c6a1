import Foundation

/// The CPU seconds a work unit cost, for the cost table. A unit's wall seconds say little when
/// other units or processes share the cores (two jobs of two units each on 2 cores made a
/// 22-second unit take 171); the process's CPU time over the unit does not depend on that, but
/// belongs to the unit only when no other unit of the process ran meanwhile — otherwise none
/// is recorded.
final class UnitClock: @unchecked Sendable {
    static let shared = UnitClock()
    private let lock = NSLock()
    private var running = 0, started = 0

    struct Token { let cpu: Double; let alone: Bool; let generation: Int }

    /// User + system seconds of the whole process so far.
    static func processCPUSeconds() -> Double {
        var u = rusage()
        guard getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u) == 0 else { return 0 }
        func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return s(u.ru_utime) + s(u.ru_stime)
    }

    func begin() -> Token {
        lock.withLock {
            running += 1; started += 1
            return Token(cpu: Self.processCPUSeconds(), alone: running == 1, generation: started)
        }
    }

    /// The unit's CPU seconds (since the process started when `sinceProcessStart`), or nil when
    /// another unit of this process overlapped it.
    func end(_ t: Token, sinceProcessStart: Bool) -> Double? {
        lock.withLock {
            running -= 1
            guard t.alone, started == t.generation else { return nil }
            return Self.processCPUSeconds() - (sinceProcessStart ? 0 : t.cpu)
        }
    }
}
