/// A calendar day, read from `yyyy-MM-dd` (or the day part of `yyyy-MM-dd HH:mm:ss`).
public struct Day: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(_ text: String) {
        var text = text
        guard let day = text.withUTF8({ Self.read($0) }) else { return nil }
        self = day
    }

    private static func read(_ utf8: UnsafeBufferPointer<UInt8>) -> Day? {
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
        return Day(unchecked: y, m, d)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// `yyyy-MM-dd`
    public var description: String { text(separator: 0x2D) }
    /// `yyyyMMdd`, as X3's web services write dates.
    public var compact: String { text(separator: nil) }

    private func text(separator: UInt8?) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(10)
        DecimalDigits.append(year, width: 4, to: &bytes)
        if let separator { bytes.append(separator) }
        DecimalDigits.append(month, width: 2, to: &bytes)
        if let separator { bytes.append(separator) }
        DecimalDigits.append(day, width: 2, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func < (a: Day, b: Day) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }
}

extension Day {
    /// The day `epochDay` days after 1970-01-01 (Howard Hinnant's civil-from-days).
    public init(epochDay: Int) {
        let z = epochDay + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let d = dayOfYear - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(unchecked: yearOfEra + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    private init(unchecked year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Days since 1970-01-01.
    public var epochDay: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    public func adding(days: Int) -> Day { Day(epochDay: epochDay + days) }

    /// The UTC day of a wall-clock time in nanoseconds since the epoch.
    public static func utc(nanoseconds: Int64) -> Day {
        let seconds = nanoseconds / 1_000_000_000
        return Day(epochDay: Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400))
    }
}
