import Foundation

/// SIGINT, SIGTERM and SIGHUP remove the process's temporary files and folders, then end the
/// process with the same signal (so the shell sees the usual status). Installed first thing by
/// the executables (the CLI, the chapters); no library ends the process otherwise. The signals
/// are blocked in every thread (installed before any other thread starts, so all inherit the mask) and
/// taken by one thread of their own with sigwait: a signal handler may not remove files, and a
/// dispatch source would wait behind the computation for a free worker thread.
public enum SignalCleanup {
    public static let signals = [SIGINT, SIGTERM, SIGHUP]

    public static func install() {
        var set = sigset_t()
        sigemptyset(&set)
        for sig in signals { sigaddset(&set, sig) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
        let waited = set   // the waiter thread gets its own copy (sigwait takes a pointer)
        let waiter = Thread {
            var mine = waited, received: Int32 = 0
            guard sigwait(&mine, &received) == 0 else { return }
            TemporaryFiles.removeAll()
            // A write that registered its temporary just before may create it a moment later.
            usleep(50_000)
            TemporaryFiles.removeAll()
            signal(received, SIG_DFL)
            var one = sigset_t()
            sigemptyset(&one)
            sigaddset(&one, received)
            pthread_sigmask(SIG_UNBLOCK, &one, nil)
            raise(received)
        }
        waiter.start()
    }
}
