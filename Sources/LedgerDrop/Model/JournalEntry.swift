/// A balanced X3 journal entry built from one report (or one date/currency of it).
public struct JournalEntry: Sendable, Equatable {
    public var key: EntryKey
    public var reportID: String
    public var entryType: String
    public var site: String
    public var journal: String
    public var accountingDate: Day
    /// The expenses' own date (`{sourceDate}`): the accounting date, unless a closed period moved
    /// the entry to the next open one (SPEC §13.4).
    public var sourceDate: Day
    public var currency: Currency
    public var description: String
    public var reference: String
    public var lines: [JournalLine]
    /// The company of `companies:` whose site it posts to; empty without companies.
    public var company = ""

    public var debitTotal: Int64 { lines.filter { $0.side == .debit }.reduce(0) { $0 + $1.amount } }
    public var creditTotal: Int64 { lines.filter { $0.side == .credit }.reduce(0) { $0 + $1.amount } }
    public var isBalanced: Bool { debitTotal == creditTotal }
    /// Dated later than its expenses: `posting.closedPeriod: next-open` moved it.
    public var movedToOpenPeriod: Bool { sourceDate != accountingDate }
}

public enum Side: Int, Sendable {
    case debit = 1
    case credit = -1

    var opposite: Side { self == .debit ? .credit : .debit }
}

/// One line of a journal entry. `amount` is positive, in minor units of the entry's currency.
public struct JournalLine: Sendable, Equatable {
    public var number: Int
    public var account: String
    public var side: Side
    public var amount: Int64
    public var description: String
    public var businessPartner: String
    /// The control-account code (SAC) of an offset on a collective account; empty elsewhere.
    public var controlAccount = ""
    public var tax: String
    /// (dimension type, dimension), ordered by dimension type.
    public var dimensions: [Dimension]
}

public struct Dimension: Sendable, Equatable {
    public var type: String
    public var value: String
}

/// The name of a journal entry in the spool and its idempotency key (SPEC §5.1).
public struct EntryKey: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    public init(_ value: String) { self.value = value }

    /// Every character outside `A-Z a-z 0-9 _ -` becomes `_`, so a key is always a safe file name.
    public var fileStem: String {
        String(String.UnicodeScalarView(value.unicodeScalars.map { scalar in
            switch scalar {
            case "A"..."Z", "a"..."z", "0"..."9", "_", "-": scalar
            default: "_"
            }
        }))
    }

    public var description: String { value }
}
