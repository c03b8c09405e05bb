/// A calendar day, read from `yyyy-MM-dd` (or the day part of `yyyy-MM-dd HH:mm:ss`).
public struct Day: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(_ text: String) {
        let utf8 = Array(text.utf8)
        guard utf8.count == 10 || (utf8.count > 10 && (utf8[10] == 0x20 || utf8[10] == 0x54)) else { return nil }
        guard utf8[4] == 0x2D, utf8[7] == 0x2D else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                guard utf8[i] >= 0x30, utf8[i] <= 0x39 else { return nil }
                value = value * 10 + Int(utf8[i] - 0x30)
            }
            return value
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10),
              y >= 1900, (1...12).contains(m), d >= 1, d <= Self.daysIn(month: m, year: y) else { return nil }
        year = y
        month = m
        day = d
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private func padded(_ value: Int, _ width: Int) -> String {
        let s = String(value)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    /// `yyyy-MM-dd`
    public var description: String { "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))" }
    /// `yyyyMMdd`, as X3's web services write dates.
    public var compact: String { "\(padded(year, 4))\(padded(month, 2))\(padded(day, 2))" }

    public static func < (a: Day, b: Day) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }
}
