import CFileOps
import Foundation
import KitFiles

/// libhdf5 1.10 (Debian 12's, the newest apt offers) reads some corrupt files out of bounds:
/// `make fuzz` found SIGSEGVs in `H5HG_read` and heap overflows in `H5A__read` and
/// `H5MM_strdup` that no check before `H5Fopen` can rule out without re-implementing the
/// format. So the CLI runs each command in a worker, a second copy of itself: when the worker
/// dies of SIGSEGV, SIGBUS, SIGABRT or SIGFPE while inside a libhdf5 call (the shared page of
/// `kit_guard.h` says so, and names the file), the CLI removes the worker's temporaries and
/// reports "FILE: corrupt HDF5 file (libhdf5 crashed reading it: SIGSEGV)", exit 1. Any other
/// death (a trap in the kit's own code, SIGKILL) is passed on as the same signal, after the
/// same clean-up, so a defect of the kit is never disguised as bad input.
///
/// SIGINT, SIGTERM and SIGHUP sent to the CLI are forwarded to the worker, which removes its
/// temporaries (`SignalCleanup`) and dies of the signal, as the CLI then does; the worker is
/// SIGKILLed when the CLI dies (PR_SET_PDEATHSIG). Temporaries carry the CLI's pid, so after
/// a SIGKILL the next run recognises them as stale. `RNN_DECOMPOSE_NO_GUARD=1` runs in-process.
enum CrashGuard {
    /// Set for the worker: the page's descriptor and the CLI's pid, "FD:PID".
    static let workerVariable = "RNN_DECOMPOSE_GUARD"
    static let disableVariable = "RNN_DECOMPOSE_NO_GUARD"
    /// For the tests: "N:SIGNAL" makes the worker die of SIGNAL, as if inside libhdf5 on the
    /// last file it read, when it registers its N-th temporary (so the clean-up is exercised
    /// deterministically; the fuzz findings that crashed 1.10 are all refused earlier now).
    static let testVariable = "RNN_DECOMPOSE_GUARD_TEST"
    /// Deaths that mean the running code crashed on what it read (Swift traps are SIGILL/SIGTRAP).
    static let crashSignals: Set<Int32> = [SIGSEGV, SIGBUS, SIGABRT, SIGFPE]

    /// In the CLI: runs the command in a worker and ends as the worker ended (never returns
    /// unless no worker can be started, then the command runs in-process). In a worker:
    /// attaches the shared page and returns.
    static func start() {
        let env = ProcessInfo.processInfo.environment
        if let spec = env[workerVariable] { becomeWorker(spec); return }
        if env[disableVariable] == "1" { return }
        supervise()
    }

    private static func becomeWorker(_ spec: String) {
        unsetenv(workerVariable)   // processes this one starts are not workers
        let parts = spec.split(separator: ":")
        guard parts.count == 2, let fd = Int32(parts[0]), let parent = pid_t(parts[1]), kit_guard_attach(fd) == 0 else { return }
        close(fd)
        if kit_guard_die_with_parent(parent) != 0 { Foundation.exit(1) }   // the CLI is gone already
        TemporaryFiles.ownerPID = parent
        var test: (n: Int, sig: Int32)?
        if let t = ProcessInfo.processInfo.environment[testVariable]?.split(separator: ":"), t.count == 2, let n = Int(t[0]) {
            let sig = t[1] == "SIGSEGV" ? SIGSEGV : t[1] == "SIGABRT" ? SIGABRT : t[1] == "SIGILL" ? SIGILL : SIGBUS
            test = (n, sig)
        }
        var registered = 0, previous = 0
        TemporaryFiles.observe { paths in
            let list = paths.joined(separator: "\n")
            list.withCString { kit_guard_set_temporaries($0, strlen($0)) }
            if paths.count > previous { registered += 1 }
            previous = paths.count
            if let test, registered == test.n {
                kit_guard_hdf5_enter(nil)
                raise(test.sig)
            }
        }
    }

    private static func supervise() {
        let fd = kit_guard_create()
        guard fd >= 0 else { return }
        var forwarded = sigset_t()
        sigemptyset(&forwarded)
        for s in SignalCleanup.signals { sigaddset(&forwarded, s) }
        pthread_sigmask(SIG_BLOCK, &forwarded, nil)

        var environment = ProcessInfo.processInfo.environment
        environment[workerVariable] = "\(fd):\(getpid())"
        // A crash the guard reports is one line; the runtime's backtrace would add dozens.
        if environment["SWIFT_BACKTRACE"] == nil { environment["SWIFT_BACKTRACE"] = "enable=no" }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        let argv = CommandLine.arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        var worker: pid_t = 0
        let spawned = posix_spawn(&worker, "/proc/self/exe", nil, &attributes, argv, envp)
        // Freed here, not in a defer: this function ends the process and never returns (found
        // by `make sanitize`).
        for p in argv + envp { free(p) }
        posix_spawnattr_destroy(&attributes)
        guard spawned == 0 else {
            close(fd)
            pthread_sigmask(SIG_UNBLOCK, &forwarded, nil)
            return
        }
        close(fd)
        let child = worker, waitedFor = forwarded
        Thread {
            var set = waitedFor, received: Int32 = 0
            while sigwait(&set, &received) == 0 { kill(child, received) }
        }.start()

        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0, errno == EINTR {}
        Foundation.exit(workerEnded(status))
    }

    /// The CLI's exit status once the worker ended with `status` (or the CLI dies of the
    /// worker's signal here). A function of its own that returns, so that what it allocates is
    /// released before the process exits (LeakSanitizer reported the message's strings).
    private static func workerEnded(_ status: Int32) -> Int32 {
        if status & 0x7f == 0 { return (status >> 8) & 0xff }
        let sig = status & 0x7f
        var length = 0
        let list = String(cString: kit_guard_temporaries(&length)).prefix(length)
        TemporaryFiles.removeLeftovers(of: list.split(separator: "\n").map(String.init))
        if crashSignals.contains(sig), kit_guard_hdf5_depth() > 0 {
            let file = String(cString: kit_guard_file())
            let message = "error: \(file.isEmpty ? "an HDF5 file" : file): corrupt HDF5 file (libhdf5 crashed reading it: \(signalName(sig)))\n"
            FileHandle.standardError.write(Data(message.utf8))
            return 1
        }
        // Die of the worker's signal, as the shell expects.
        signal(sig, SIG_DFL)
        var one = sigset_t()
        sigemptyset(&one)
        sigaddset(&one, sig)
        pthread_sigmask(SIG_UNBLOCK, &one, nil)
        raise(sig)
        return 128 + sig
    }

    static func signalName(_ sig: Int32) -> String {
        switch sig {
        case SIGSEGV: return "SIGSEGV"
        case SIGBUS: return "SIGBUS"
        case SIGABRT: return "SIGABRT"
        case SIGFPE: return "SIGFPE"
        default: return "signal \(sig)"
        }
    }
}
