/// The days `reconcile` looks at: the reports Expensify approved on them (issue 12). Given as
/// `--since`/`--until`, an ISO week (`2026-W48`, Monday to Sunday) or a month (`2026-11`); by
/// default the last whole ISO week before today — finance's weekly check.
public struct ReconcilePeriod: Sendable, Equatable, CustomStringConvertible {
    public var since: Day
    public var until: Day
    /// How it was asked for: `2026-W48`, `2026-11`, or `2026-11-23 … 2026-11-29`.
    public var name: String

    public init(since: Day, until: Day, name: String? = nil) {
        self.since = since
        self.until = until
        self.name = name ?? "\(since) … \(until)"
    }

    public var description: String { name == "\(since) … \(until)" ? name : "\(name) (\(since) … \(until))" }

    public func contains(_ day: Day) -> Bool { since <= day && day <= until }

    /// Every day of the period, in order.
    public var days: [Day] { (since.epochDay...max(since.epochDay, until.epochDay)).map(Day.init(epochDay:)) }

    /// Monday = 1 … Sunday = 7 (1970-01-01 was a Thursday).
    static func isoWeekday(_ day: Day) -> Int { ((day.epochDay % 7) + 7 + 3) % 7 + 1 }

    /// The Monday of ISO week 1 of `year`: the week that holds 4 January.
    static func firstMonday(ofISOYear year: Int) -> Day {
        let january4 = Day("\(DecimalDigits.padded(year, width: 4))-01-04")!
        return Day(epochDay: january4.epochDay - (isoWeekday(january4) - 1))
    }

    /// `2026-W48` (or `2026-w48`).
    public static func week(_ text: String) -> ReconcilePeriod? {
        let parts = text.uppercased().split(separator: "-W", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]), year >= 1900, (1...2).contains(parts[1].count),
              let week = Int(parts[1]), week >= 1 else { return nil }
        let monday = Day(epochDay: firstMonday(ofISOYear: year).epochDay + 7 * (week - 1))
        // Week 53 exists only in years whose last week holds a Thursday of that year.
        guard week < 53 || firstMonday(ofISOYear: year + 1) > monday else { return nil }
        return ReconcilePeriod(since: monday, until: Day(epochDay: monday.epochDay + 6), name: "\(year)-W\(DecimalDigits.padded(week, width: 2))")
    }

    /// `2026-11`.
    public static func month(_ text: String) -> ReconcilePeriod? {
        guard text.count == 7, let first = Day(text + "-01") else { return nil }
        let last = Day(epochDay: first.epochDay + Day.daysIn(month: first.month, year: first.year) - 1)
        return ReconcilePeriod(since: first, until: last, name: text)
    }

    /// The ISO week before the one `today` is in.
    public static func lastWeek(before today: Day) -> ReconcilePeriod {
        let monday = Day(epochDay: today.epochDay - (isoWeekday(today) - 1) - 7)
        let thursday = Day(epochDay: monday.epochDay + 3)
        let week = (thursday.epochDay - firstMonday(ofISOYear: thursday.year).epochDay) / 7 + 1
        return ReconcilePeriod(since: monday, until: Day(epochDay: monday.epochDay + 6), name: "\(thursday.year)-W\(DecimalDigits.padded(week, width: 2))")
    }
}
