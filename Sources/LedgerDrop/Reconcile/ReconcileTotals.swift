/// The period's posted amounts per company, account, cost center and currency (issue 12): from
/// the payloads ledgerdrop posted and from the entries X3 holds, side by side. Exact sums.
public struct ReconcileTotals: Sendable {
    public struct Row: Sendable, Codable, Equatable {
        public var company: String
        public var account: String
        public var costCenter: String
        public var currency: String
        public var postedDebit: String
        public var postedCredit: String
        /// Empty when X3 was not asked.
        public var x3Debit: String
        public var x3Credit: String

        public var agrees: Bool { x3Debit.isEmpty || (postedDebit == x3Debit && postedCredit == x3Credit) }
    }

    struct Key: Hashable, Comparable {
        var company: String
        var account: String
        var costCenter: String
        var currency: String

        static func < (a: Key, b: Key) -> Bool {
            (a.company, a.account, a.costCenter, a.currency) < (b.company, b.account, b.costCenter, b.currency)
        }
    }

    struct Sums {
        static let zero = ExactDecimal(significand: 0, scale: 0)
        var postedDebit = zero, postedCredit = zero, x3Debit = zero, x3Credit = zero
    }

    /// The dimension type whose value is the cost center (`mapping.costCenterDimension`).
    let costCenterType: String
    private(set) var sums: [Key: Sums] = [:]
    /// Whether X3's side was read (else its columns stay empty).
    var x3Asked = false

    init(costCenterType: String) { self.costCenterType = costCenterType }

    mutating func addPosted(_ payload: PayloadFile, company: String) {
        for line in payload.lines {
            let key = Key(company: company, account: line.account, costCenter: line.dimensions[costCenterType] ?? "", currency: payload.currency)
            if line.side == .debit { sums[key, default: Sums()].postedDebit = sums[key, default: Sums()].postedDebit.adding(line.amount) } else {
                sums[key, default: Sums()].postedCredit = sums[key, default: Sums()].postedCredit.adding(line.amount)
            }
        }
    }

    mutating func addX3(_ entry: X3PostedEntry, company: String, currency: String) {
        for line in entry.lines {
            let key = Key(company: company, account: line.account, costCenter: line.dimensions[costCenterType] ?? "", currency: entry.currency.isEmpty ? currency : entry.currency)
            if line.side == .debit { sums[key, default: Sums()].x3Debit = sums[key, default: Sums()].x3Debit.adding(line.amount) } else {
                sums[key, default: Sums()].x3Credit = sums[key, default: Sums()].x3Credit.adding(line.amount)
            }
        }
    }

    public var rows: [Row] {
        sums.keys.sorted().map { key in
            let s = sums[key]!
            func text(_ value: ExactDecimal) -> String { value.written(for: key.currency) }
            return Row(company: key.company, account: key.account, costCenter: key.costCenter, currency: key.currency,
                       postedDebit: text(s.postedDebit), postedCredit: text(s.postedCredit),
                       x3Debit: x3Asked ? text(s.x3Debit) : "", x3Credit: x3Asked ? text(s.x3Credit) : "")
        }
    }
}
