#if canImport(Glibc)
import Glibc
#endif

/// One fetch at a time per spool (`.ledgerdrop/fetch.lock`, an advisory `flock`): a second
/// fetch (`fetch` beside `watch`) waits, then sees what the first wrote and skips it, so two
/// fetchers never hand off the same report. The lock goes with the process, however it ends.
struct FetchLock {
    private let fd: Int32

    /// Waits for the lock, checking `stop` every 100 ms.
    static func acquire(_ spool: Spool, stop: StopSignal?) async throws(LedgerDropError) -> FetchLock {
        let path = spool.state + "/fetch.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw LedgerDropError(.spoolUnavailable, "cannot open \(path): \(FileSystem.describe(errno))") }
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, stop?.isRequested != true else {
                close(fd)
                throw LedgerDropError(.spoolUnavailable, "cannot lock \(path): another fetch holds it")
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return FetchLock(fd: fd)
    }

    func release() {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
