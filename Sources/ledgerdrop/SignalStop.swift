#if canImport(Glibc)
import Glibc
#endif
import LedgerDrop
import Synchronization
import UnixSignals

/// SIGTERM, SIGINT or SIGHUP during `convert`, `post`, `fetch` or `run`: the stage finishes the
/// item in hand (the batch being converted, the posts already sent), returns what it claimed
/// and did not start, and the command exits with 128 + the signal's number (143, 130, 129), as
/// a shell reports a stopped command. A second signal ends the process at once — safe too, as
/// the next run recovers its claims.
final class SignalStop: Sendable {
    let stop = StopSignal()
    private let caught = Atomic<Int32>(0)

    static func start() async -> SignalStop {
        let handler = SignalStop()
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint, .sighup)
        Task.detached {
            for await signal in signals {
                let number = signal.rawValue
                if handler.caught.load(ordering: .relaxed) != 0 { _exit(128 + number) }
                handler.caught.store(number, ordering: .relaxed)
                handler.stop.request()
            }
        }
        return handler
    }

    /// 128 + the signal's number once one arrived.
    var exitCode: Int32? {
        let number = caught.load(ordering: .relaxed)
        return number == 0 ? nil : 128 + number
    }
}
