#if canImport(Glibc)
import Glibc
#endif

/// Expensify's request limits, kept on the client side (SPEC §7.4): at most N requests in any
/// window of each configured length (5 per 10 s and 20 per 60 s by default), and after a 429 a
/// pause until every window has passed. Expensify counts per credential, not per process, so the
/// request times live in `.ledgerdrop/expensify-requests` under an advisory lock: a `fetch` run
/// right after another one, or beside `watch`, waits its turn instead of being refused.
public actor RequestLimiter {
    let limits: [Configuration.RequestLimit]
    let stateFile: String?
    private var times: [Int64] = []
    private var blockedUntil: Int64 = 0

    /// `stateFile` nil keeps the times in this process only.
    public init(limits: [Configuration.RequestLimit], stateFile: String?) {
        self.limits = limits
        self.stateFile = stateFile
    }

    nonisolated var longestWindow: Duration { limits.map(\.per).max() ?? .seconds(60) }

    /// Waits until the next request may go, and books its slot. Returns false, at once, when
    /// `stop` is requested during the wait.
    public func acquire(stop: StopSignal? = nil) async -> Bool {
        let slot = withState { times, blockedUntil in
            let now = Timestamp.now() / 1_000_000
            let horizon = now - longestWindow.milliseconds * 2
            times.removeAll { $0 <= horizon }
            let slot = Self.nextSlot(after: max(now, blockedUntil), booked: times, limits: limits)
            times.append(slot)
            return slot
        }
        let wait = slot - Timestamp.now() / 1_000_000
        guard wait > 0 else { return stop?.isRequested != true }
        if let stop { return await stop.sleep(for: .milliseconds(wait)) }
        try? await Task.sleep(for: .milliseconds(wait))
        return !Task.isCancelled
    }

    /// After a 429: nobody sends before `delay` has passed.
    public func pause(for delay: Duration) {
        withState { _, blockedUntil in
            blockedUntil = max(blockedUntil, Timestamp.now() / 1_000_000 + delay.milliseconds)
        }
    }

    /// The earliest time at or after `earliest` at which one more request keeps every window
    /// within its limit, given the booked times (ascending). Each window is stretched by a
    /// margin (5 %, at least 100 ms): Expensify counts requests when they arrive, and one that
    /// took longer on the way would otherwise make the next look too early.
    static func nextSlot(after earliest: Int64, booked: [Int64], limits: [Configuration.RequestLimit]) -> Int64 {
        var slot = max(earliest, booked.last ?? earliest)
        var changed = true
        while changed {
            changed = false
            for limit in limits where booked.count >= limit.requests {
                // The request `limit.requests` places back must have left the window.
                let free = booked[booked.count - limit.requests] + limit.per.milliseconds + max(100, limit.per.milliseconds / 20)
                if free > slot {
                    slot = free
                    changed = true
                }
            }
        }
        return slot
    }

    /// Runs `change` on the shared state: the file's under its lock, else this process's own.
    private func withState<T>(_ change: (inout [Int64], inout Int64) -> T) -> T {
        guard let stateFile else { return change(&times, &blockedUntil) }
        let fd = open(stateFile, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return change(&times, &blockedUntil) }
        defer { close(fd) }
        flock(fd, LOCK_EX)
        defer { flock(fd, LOCK_UN) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        var fileTimes: [Int64] = []
        var fileBlocked: Int64 = 0
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            if line.hasPrefix("blocked-until ") { fileBlocked = Int64(line.dropFirst(14)) ?? 0 } else if let time = Int64(line) { fileTimes.append(time) }
        }
        fileTimes.sort()
        let result = change(&fileTimes, &fileBlocked)
        let text = "blocked-until \(fileBlocked)\n" + fileTimes.map { "\($0)\n" }.joined()
        ftruncate(fd, 0)
        _ = Array(text.utf8).withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        return result
    }
}

extension Duration {
    var milliseconds: Int64 { nanoseconds / 1_000_000 }
}
