import Foundation
import Testing
@testable import LedgerDrop

@Suite("Watch schedules")
struct ScheduleTests {
    static func at(_ text: String) -> Int64 {
        let formatter = ISO8601DateFormatter()
        return Int64(formatter.date(from: text)!.timeIntervalSince1970) * 1_000_000_000
    }

    @Test(arguments: [
        ("daily 06:00", "2026-11-25T05:59:00Z", "2026-11-25T06:00:00Z"),
        ("daily 06:00", "2026-11-25T06:00:00Z", "2026-11-26T06:00:00Z"),
        ("daily 06:00", "2026-12-31T23:00:00Z", "2027-01-01T06:00:00Z"),
        ("weekly mon 06:30", "2026-11-25T12:00:00Z", "2026-11-30T06:30:00Z"),
        ("weekly wed 13:00", "2026-11-25T12:00:00Z", "2026-11-25T13:00:00Z"),
        ("every 15m", "2026-11-25T12:00:00Z", "2026-11-25T12:15:00Z"),
    ])
    func nextTime(schedule: String, now: String, next: String) throws {
        let parsed = try #require(Schedule(schedule))
        #expect(parsed.next(after: Self.at(now), timeZone: TimeZone(identifier: "UTC")!) == Self.at(next))
    }

    @Test func theLocalTimeZoneIsUsed() throws {
        let paris = TimeZone(identifier: "Europe/Paris")!
        // 06:00 in Paris in winter is 05:00 UTC.
        #expect(Schedule("daily 06:00")!.next(after: Self.at("2026-11-25T04:00:00Z"), timeZone: paris) == Self.at("2026-11-25T05:00:00Z"))
    }
}
