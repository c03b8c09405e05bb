#if canImport(Glibc)
import Glibc
#endif

/// The one client-side request limit of both services: at most N requests in any window of each
/// given length, and after a refusal (429) a pause for everyone.
/// - Expensify (SPEC §7.4): 5 per 10 s and 20 per 60 s by default, each window stretched by a
///   margin, each request counted from when its answer arrived, and the request times shared by every process of the spool through a state file
///   (`.ledgerdrop/expensify-requests`, under an advisory lock), because Expensify counts per
///   credential: a `fetch` right after another one, or beside `watch`, waits its turn.
/// - X3 (`x3.rateLimit`, SPEC §6.6): N per second, evenly spaced — one request per window of
///   1 s / N, no margin — over all concurrent posts and lookups of a run.
public actor RequestLimiter {
    /// At most `requests` in any window of `per`, counted as if the window were `margin` longer.
    public struct Window: Sendable, Equatable {
        public var requests: Int
        public var per: Duration
        public var margin: Duration

        public init(requests: Int, per: Duration, margin: Duration = .zero) {
            self.requests = requests
            self.per = per
            self.margin = margin
        }
    }

    nonisolated let windows: [Window]
    let stateFile: String?
    /// Booked request times and the end of a pause, in nanoseconds since the epoch.
    private var times: [Int64] = []
    private var blockedUntil: Int64 = 0

    /// `stateFile` nil keeps the times in this process only.
    public init(windows: [Window], stateFile: String? = nil) {
        self.windows = windows
        self.stateFile = stateFile
    }

    /// Expensify's configured limits (`expensify.rateLimits`), each window stretched by 5 %, at
    /// least 100 ms: Expensify counts requests when they arrive, and one that took longer on the
    /// way would otherwise make the next look too early.
    public init(expensify limits: [Configuration.RequestLimit], stateFile: String?) {
        self.init(windows: limits.map { Window(requests: $0.requests, per: $0.per, margin: max(.milliseconds(100), $0.per / 20)) },
                  stateFile: stateFile)
    }

    /// `x3.rateLimit` requests per second, evenly spaced; nil when there is no limit.
    public init?(x3 requestsPerSecond: ExactDecimal?) {
        guard let rate = requestsPerSecond, rate.significand > 0 else { return nil }
        // 1 s / rate, exactly in nanoseconds: 10^(9+scale) / significand.
        self.init(windows: [Window(requests: 1, per: .nanoseconds(Int64(Int128(10).power(9 + rate.scale) / rate.significand)))])
    }

    nonisolated var longestWindow: Duration { windows.map(\.per).max() ?? .seconds(60) }

    /// A booked request time, in nanoseconds since the epoch.
    public struct Slot: Sendable, Equatable {
        let time: Int64
    }

    /// Waits until the next request may go, and books its slot. Returns false, at once, when
    /// `stop` is requested (or the task cancelled) during the wait.
    @discardableResult
    public func acquire(stop: StopSignal? = nil) async -> Bool {
        await book(stop: stop) != nil
    }

    /// `acquire`, returning the booked slot (nil when stopped) for `answered(_:)`.
    public func book(stop: StopSignal? = nil) async -> Slot? {
        let slot = withState { times, blockedUntil in
            let now = Timestamp.now()
            let horizon = now - longestWindow.nanoseconds * 2
            times.removeAll { $0 <= horizon }
            let slot = Self.nextSlot(after: max(now, blockedUntil), booked: times, windows: windows)
            times.append(slot)
            return slot
        }
        let wait = Duration.nanoseconds(slot - Timestamp.now())
        let go: Bool
        if wait <= .zero {
            go = stop?.isRequested != true
        } else if let stop {
            go = await stop.sleep(for: wait)
        } else {
            try? await Task.sleep(for: wait)
            go = !Task.isCancelled
        }
        return go ? Slot(time: slot) : nil
    }

    /// The answer to the request sent in `slot` has arrived: its time becomes now. The service
    /// counted the request when it arrived, which was no later than its answer, so counting
    /// from the answer holds however long the request took on the way (a new process's first
    /// request also opens the connection, and a loaded machine delays any of them).
    public func answered(_ slot: Slot) {
        withState { times, _ in Self.move(slot.time, to: Timestamp.now(), in: &times) }
    }

    /// Moves the booked time `slot` (as read back from the state file: rounded up to the
    /// millisecond, or exact) to `now`, keeping `booked` ascending; appends `now` when the slot
    /// is no longer booked. Pure, in nanoseconds.
    static func move(_ slot: Int64, to now: Int64, in booked: inout [Int64]) {
        let roundedUp = (slot + 999_999) / 1_000_000 * 1_000_000
        if let index = booked.firstIndex(where: { $0 >= slot && $0 <= roundedUp }) {
            booked[index] = max(booked[index], now)
        } else {
            booked.append(now)
        }
        booked.sort()
    }

    /// After a 429: nobody sends before `delay` has passed.
    public func pause(for delay: Duration) {
        withState { _, blockedUntil in
            blockedUntil = max(blockedUntil, Timestamp.now() + delay.nanoseconds)
        }
    }

    /// The earliest time at or after `earliest` at which one more request keeps every window
    /// within its limit, given the booked times (ascending). Pure, in any unit shared by all
    /// arguments (the tests count in milliseconds).
    static func nextSlot(after earliest: Int64, booked: [Int64], windows: [Window], unit: Duration = .nanoseconds(1)) -> Int64 {
        var slot = max(earliest, booked.last ?? earliest)
        var changed = true
        while changed {
            changed = false
            for window in windows where booked.count >= window.requests {
                // The request `window.requests` places back must have left the window.
                let free = booked[booked.count - window.requests] + (window.per + window.margin).nanoseconds / unit.nanoseconds
                if free > slot {
                    slot = free
                    changed = true
                }
            }
        }
        return slot
    }

    /// Runs `change` on the shared state: the file's under its lock, else this process's own.
    /// The file holds milliseconds (`blocked-until T`, then one booked time per line).
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
            if line.hasPrefix("blocked-until ") {
                fileBlocked = (Int64(line.dropFirst(14)) ?? 0) * 1_000_000
            } else if let time = Int64(line) {
                fileTimes.append(time * 1_000_000)
            }
        }
        fileTimes.sort()
        let result = change(&fileTimes, &fileBlocked)
        // Rounded up, so that a time read back is never earlier than the one booked.
        func milliseconds(_ nanoseconds: Int64) -> Int64 { (nanoseconds + 999_999) / 1_000_000 }
        let text = "blocked-until \(milliseconds(fileBlocked))\n" + fileTimes.map { "\(milliseconds($0))\n" }.joined()
        ftruncate(fd, 0)
        _ = Array(text.utf8).withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        return result
    }
}

extension Duration {
    var milliseconds: Int64 { nanoseconds / 1_000_000 }
}
