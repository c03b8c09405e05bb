#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Wall-clock time for the audit log and error files: UTC, ISO 8601 with milliseconds.
public enum Timestamp {
    /// Nanoseconds since the epoch.
    public static func now() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// `2026-11-24T22:24:41.123Z` (Foundation's ISO 8601 style, milliseconds, UTC).
    public static func iso8601(_ nanoseconds: Int64) -> String {
        // Whole milliseconds first, so the text never rounds up past the instant.
        let milliseconds = nanoseconds / 1_000_000 - (nanoseconds % 1_000_000 < 0 ? 1 : 0)
        return Date(timeIntervalSince1970: Double(milliseconds) / 1000).formatted(style)
    }

    private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
}
