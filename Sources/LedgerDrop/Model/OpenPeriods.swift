/// The accounting periods open for posting (SPEC §13.4), as day ranges: from the server's periods
/// or `x3.openPeriods`. A day in no open range is in a closed (or not yet opened) period.
public struct OpenPeriods: Sendable, Equatable {
    public struct Range: Sendable, Equatable, CustomStringConvertible {
        public var from: Day
        public var to: Day
        public init(from: Day, to: Day) {
            self.from = from
            self.to = to
        }
        public var description: String { "\(from) to \(to)" }
    }

    /// Sorted by their first day.
    public let ranges: [Range]

    public init(_ ranges: [Range]) { self.ranges = ranges.sorted { $0.from < $1.from } }

    /// The server's periods, open and not: a day is open when every period covering it is open
    /// (periods are opened per company and ledger type, and an entry must pass them all).
    public init(open: [Range], closed: [Range]) {
        var ranges: [Range] = []
        for range in open {
            var pieces = [range]
            for shut in closed {
                pieces = pieces.flatMap { piece -> [Range] in
                    guard shut.from <= piece.to, piece.from <= shut.to else { return [piece] }
                    var rest: [Range] = []
                    if piece.from < shut.from { rest.append(Range(from: piece.from, to: shut.from.adding(days: -1))) }
                    if shut.to < piece.to { rest.append(Range(from: shut.to.adding(days: 1), to: piece.to)) }
                    return rest
                }
            }
            ranges += pieces
        }
        self.init(ranges)
    }

    public func isOpen(_ day: Day) -> Bool { ranges.contains { $0.from <= day && day <= $0.to } }

    /// The first open day after `day` (the first day of the next open period), nil when none is
    /// open after it.
    public func nextOpenDay(after day: Day) -> Day? { ranges.first { $0.from > day }?.from }

    /// For messages: `2026-11-01 to 2026-12-31, …`.
    public var description: String { ranges.isEmpty ? "none" : ranges.map(\.description).joined(separator: ", ") }
}
