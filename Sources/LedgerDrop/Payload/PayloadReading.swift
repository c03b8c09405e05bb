/// A payload read back against its layout (SPEC §13.2): what the engines' structural checks give
/// the poster — the entry's site, type, reference, date, currency and lines — whatever the format.
public struct PayloadReading: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public var account: String
        public var side: Side
        public var amount: ExactDecimal
        public var ledgerType: String
        public var businessPartner = ""
        public var description = ""
        /// Dimension type → dimension, where the layout writes `{line.dimension.<type>}`.
        public var dimensions: [String: String] = [:]
    }

    public var site = ""
    public var entryType = ""
    public var reference = ""
    public var currency = ""
    public var accountingDate: Day? = nil
    /// `{sourceDate}` where the layout writes it: the expenses' date when a closed period moved
    /// the entry (SPEC §13.4).
    public var sourceDate: Day? = nil
    public var lines: [Line] = []
    public var analytics = 0

    /// The debits of the first ledger type.
    public var debitTotal: ExactDecimal {
        let first = lines.first?.ledgerType
        return lines.filter { $0.side == .debit && $0.ledgerType == first }.reduce(ExactDecimal(significand: 0, scale: 0)) { $0.adding($1.amount) }
    }

    /// The lines of each ledger type must balance.
    func checkBalanced(fileName: String) throws(LedgerDropError) {
        for ledgerType in Set(lines.map(\.ledgerType)) {
            let lines = self.lines.filter { $0.ledgerType == ledgerType }
            let zero = ExactDecimal(significand: 0, scale: 0)
            let debit = lines.filter { $0.side == .debit }.reduce(zero) { $0.adding($1.amount) }
            let credit = lines.filter { $0.side == .credit }.reduce(zero) { $0.adding($1.amount) }
            guard debit.isEqual(to: credit) else {
                throw LedgerDropError(.entryUnbalanced, "\(fileName): debits \(debit.written(for: currency)) and credits \(credit.written(for: currency)) differ" + (ledgerType.isEmpty ? "" : " (ledger type \(ledgerType))"))
            }
        }
    }

    /// The placeholders' values of one record or line: a dozen at most, looked up by comparison
    /// (a dictionary would hash each of them for every record).
    struct Found {
        var values: [(Placeholder, String)] = []
        subscript(_ placeholder: Placeholder) -> String? { values.first { $0.0 == placeholder }?.1 }

        /// A line's account, side and amount: from `{line.sign}` and `{line.amount}`, or from
        /// `{line.debit}` / `{line.credit}`.
        func line(decimalSeparator: String, invalid: (String) -> LedgerDropError) throws(LedgerDropError) -> Line {
            func decimal(_ text: String) -> ExactDecimal? {
                ExactDecimal(Substring(decimalSeparator == "." ? text : String(text.map { String($0) == decimalSeparator ? "." : $0 })))
            }
            let side: Side
            let amount: ExactDecimal?
            if let sign = self[.lineSign], let text = self[.lineAmount] {
                guard let s = Int(sign).flatMap(Side.init(rawValue:)) else { throw invalid("the sign \"\(sign)\" is not 1 or -1") }
                side = s
                amount = decimal(text)
            } else if let debit = self[.lineDebit], let credit = self[.lineCredit] {
                guard debit.isEmpty != credit.isEmpty else { throw invalid("a line needs an amount in exactly one of debit and credit") }
                side = debit.isEmpty ? .credit : .debit
                amount = decimal(debit.isEmpty ? credit : debit)
            } else {
                throw invalid("the layout's line has neither {line.sign} with {line.amount} nor {line.debit} with {line.credit}")
            }
            guard let amount, amount.significand >= 0 else { throw invalid("the amount is not a positive decimal number") }
            guard let account = self[.lineAccount], !account.isEmpty else { throw invalid("the line has no account") }
            return Line(account: account, side: side, amount: amount, ledgerType: self[.lineLedgerType] ?? "",
                        businessPartner: self[.lineBusinessPartner] ?? "", description: self[.lineDescription] ?? "", dimensions: dimensions)
        }

        /// The `{line.dimension.<type>}` values that are not empty.
        var dimensions: [String: String] {
            var found: [String: String] = [:]
            for (placeholder, value) in values where !value.isEmpty {
                if case .lineDimension(let type) = placeholder { found[type] = value }
            }
            return found
        }
    }
}
