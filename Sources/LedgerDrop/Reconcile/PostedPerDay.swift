/// The page's chart (issue 12): the period's entries posted per day (the receipt's day), as bars
/// with their count, and each day's amounts per currency beside it. Coordinates only: the
/// template draws the SVG.
struct PostedPerDay {
    struct Day: Equatable {
        var day: String
        var entries = 0
        /// Currency → exact sum of the debit totals.
        var amounts: [String: ExactDecimal] = [:]
    }

    var days: [Day] = []

    init(_ rows: [ReconcileRow]) {
        var byDay: [String: Day] = [:]
        for row in rows {
            for entry in row.entries where !entry.postedOn.isEmpty {
                var day = byDay[entry.postedOn] ?? Day(day: entry.postedOn)
                day.entries += 1
                if let amount = ExactDecimal(Substring(entry.total)) {
                    day.amounts[entry.currency] = (day.amounts[entry.currency] ?? ExactDecimal(significand: 0, scale: 0)).adding(amount)
                }
                byDay[entry.postedOn] = day
            }
        }
        days = byDay.values.sorted { $0.day < $1.day }
    }

    static let height = 220
    static let top = 24
    static let bottom = 36

    /// The bars for the template; nil when nothing was posted.
    var chart: [String: Any]? {
        guard let most = days.map(\.entries).max(), most > 0 else { return nil }
        let slot = max(6, min(48, 900 / days.count))
        let barWidth = max(4, slot * 2 / 3)
        let baseline = Self.height - Self.bottom
        let usable = baseline - Self.top
        let bars = days.enumerated().map { index, day -> [String: Any] in
            let x = 44 + index * slot
            let height = max(1, day.entries * usable / most)
            let amounts = day.amounts.keys.sorted().map { "\(day.amounts[$0]!.written(for: $0)) \($0)" }.joined(separator: ", ")
            return ["x": x, "y": baseline - height, "barWidth": barWidth, "barHeight": height, "labelX": x + barWidth / 2, "countY": baseline - height - 4,
                    "dayY": baseline + 14, "day": day.day, "shortDay": days.count > 16 && index % max(1, days.count / 12) != 0 ? "" : String(day.day.suffix(5)),
                    "entries": day.entries, "amounts": amounts]
        }
        return ["width": 44 + days.count * slot + 16, "height": Self.height, "baseline": baseline, "right": 44 + days.count * slot + 8, "bars": bars]
    }
}
