import Testing
@testable import LedgerDrop

@Suite("The fetch window (SPEC §7.4)")
struct FetchWindowTests {
    static let today = Day("2026-11-25")!

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var cursor: String?
        var lookback: Duration = .seconds(3 * 86_400)
        var since: String? = nil
        var until: String? = nil
        var reports: [String] = []
        var approvedAfter: String?
        var nextCursor: String?
        var testDescription: String { name }
    }

    @Test(arguments: [
        Case(name: "first fetch: lookback before today", cursor: nil, approvedAfter: "2026-11-21", nextCursor: "2026-11-24"),
        Case(name: "cursor − lookback − 1 day", cursor: "2026-11-24", approvedAfter: "2026-11-20", nextCursor: "2026-11-24"),
        Case(name: "an old cursor reaches back", cursor: "2026-10-01", approvedAfter: "2026-09-27", nextCursor: "2026-11-24"),
        Case(name: "no lookback", cursor: "2026-11-24", lookback: .zero, approvedAfter: "2026-11-23", nextCursor: "2026-11-24"),
        Case(name: "36h of lookback is two days", cursor: "2026-11-24", lookback: .seconds(36 * 3600), approvedAfter: "2026-11-21", nextCursor: "2026-11-24"),
        Case(name: "--since is inclusive and leaves the cursor", cursor: "2026-11-24", since: "2026-11-01", approvedAfter: "2026-10-31", nextCursor: nil),
        Case(name: "--until alone keeps the scheduled start", cursor: "2026-11-24", until: "2026-11-22", approvedAfter: "2026-11-20", nextCursor: nil),
        Case(name: "--report asks by ID only", cursor: "2026-11-24", reports: ["R1", "R2"], approvedAfter: nil, nextCursor: nil),
    ])
    func window(_ c: Case) throws {
        var settings = Configuration.Expensify()
        settings.lookback = c.lookback
        let request = FetchWindow.Request(since: c.since.flatMap(Day.init), until: c.until.flatMap(Day.init), reportIDs: c.reports)
        let window = try FetchWindow.make(settings: settings, request: request, cursor: c.cursor.flatMap(Day.init), today: Self.today)
        #expect(window.filters.approvedAfter?.description == c.approvedAfter)
        #expect(window.nextCursor?.description == c.nextCursor)
        #expect(window.filters.reportIDs == c.reports)
        #expect(window.until?.description == c.until)
        #expect(window.filters.reportStates == ["APPROVED", "REIMBURSED"])
    }

    @Test func badRequestsAreRefused() {
        #expect(throws: LedgerDropError.self) {
            try FetchWindow.make(settings: .init(), request: .init(reportIDs: ["../etc"]), cursor: nil, today: Self.today)
        }
        #expect(throws: LedgerDropError.self) {
            try FetchWindow.make(settings: .init(), request: .init(since: Day("2026-11-10"), until: Day("2026-11-01")), cursor: nil, today: Self.today)
        }
    }

    @Test func daysCountAcrossMonthsAndLeapYears() {
        #expect(Day("2024-03-01")!.adding(days: -1).description == "2024-02-29")
        #expect(Day("2026-01-01")!.adding(days: -1).description == "2025-12-31")
        #expect(Day(epochDay: 0).description == "1970-01-01")
        #expect(Day("2026-11-25")!.epochDay == 20_782)
        #expect(Day.utc(nanoseconds: 1_795_564_800_000_000_000 - 1).description == "2026-11-24")
    }
}
