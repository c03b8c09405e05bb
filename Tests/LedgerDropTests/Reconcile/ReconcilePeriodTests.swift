import Testing
@testable import LedgerDrop

@Suite("reconcile's periods")
struct ReconcilePeriodTests {
    @Test(arguments: [
        (week: "2026-W45", since: "2026-11-02", until: "2026-11-08"),
        (week: "2026-W01", since: "2025-12-29", until: "2026-01-04"),
        (week: "2026-W53", since: "2026-12-28", until: "2027-01-03"),
        (week: "2021-w01", since: "2021-01-04", until: "2021-01-10"),
    ])
    func anISOWeekIsMondayToSunday(_ example: (week: String, since: String, until: String)) throws {
        let period = try #require(ReconcilePeriod.week(example.week))
        #expect(period.since.description == example.since && period.until.description == example.until)
    }

    @Test(arguments: ["2027-W53", "2026-W00", "2026-45", "W45", "2026-W4a"])
    func notAWeek(_ text: String) {
        #expect(ReconcilePeriod.week(text) == nil)
    }

    @Test func aMonthIsItsDays() throws {
        let february = try #require(ReconcilePeriod.month("2028-02"))
        #expect(february.since.description == "2028-02-01" && february.until.description == "2028-02-29" && february.days.count == 29)
        #expect(ReconcilePeriod.month("2026-13") == nil && ReconcilePeriod.month("2026-1") == nil)
    }

    @Test(arguments: [
        (today: "2026-12-05", week: "2026-W48"),
        (today: "2026-11-30", week: "2026-W48"),
        (today: "2026-01-01", week: "2025-W52"),
        (today: "2026-01-05", week: "2026-W01"),
    ])
    func byDefaultTheLastWholeWeek(_ example: (today: String, week: String)) throws {
        let period = ReconcilePeriod.lastWeek(before: try #require(Day(example.today)))
        #expect(period.name == example.week && period == ReconcilePeriod.week(example.week))
    }
}
