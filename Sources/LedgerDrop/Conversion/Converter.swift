/// The conversion core (SPEC §5): a report in, balanced journal entries out. Pure: no files,
/// no network, no clock. Every problem of the report is collected, not only the first.
public struct Converter: Sendable {
    public let configuration: Configuration
    let templates: Templates
    /// The open periods (SPEC §13.4): `x3.openPeriods`, or the server's as the stage read them;
    /// nil: not known here (X3 refuses a closed period when the entry is posted).
    public let openPeriods: OpenPeriods?
    /// One converter per company of `companies:`, each with the company's view of the
    /// configuration (site, entry type, journal, mapping, offsets); empty without companies.
    let companyConverters: [String: Converter]

    /// The text templates of `posting`, parsed once.
    struct Templates: Sendable {
        var entry: DescriptionTemplate
        var line: DescriptionTemplate
        var offset: DescriptionTemplate
        var reimbursablePartner: DescriptionTemplate
        var nonReimbursablePartner: DescriptionTemplate
    }

    public init(configuration: Configuration, openPeriods: OpenPeriods? = nil) {
        self.configuration = configuration
        self.openPeriods = openPeriods ?? configuration.x3.openPeriods
        let posting = configuration.posting
        self.templates = Templates(
            entry: DescriptionTemplate(posting.description),
            line: DescriptionTemplate(posting.lineDescription),
            offset: DescriptionTemplate(posting.offsetDescription),
            reimbursablePartner: DescriptionTemplate(posting.offset.reimbursable.businessPartner),
            nonReimbursablePartner: DescriptionTemplate(posting.offset.nonReimbursable.businessPartner)
        )
        let periods = self.openPeriods
        self.companyConverters = Dictionary(uniqueKeysWithValues: configuration.companies.map {
            ($0.name, Converter(configuration: configuration.applying($0), openPeriods: periods))
        })
    }

    public struct Outcome: Sendable {
        public var entries: [JournalEntry]
        public var problems: [Problem]
        /// What `posting.totalCheck: warn` let through: converted, said in the audit line.
        public var warnings: [Problem] = []
    }

    /// - Parameter path: the report's JSON path in its file (`$`, `$[2]`, `$.reports[0]`).
    public func convert(_ report: Report, at path: String = "$") -> Outcome {
        if !configuration.companies.isEmpty { return convertForCompany(report, at: path) }
        var problems: [Problem] = []
        guard let reportCurrency = Currency(code: report.currency) else {
            return Outcome(entries: [], problems: [Problem(.unknownCurrency, "\"\(report.currency)\" is not an ISO 4217 currency with a minor unit", path: "\(path).currency")])
        }
        if report.transactions.isEmpty {
            return Outcome(entries: [], problems: [Problem(.emptyReport, "report \(report.reportID) has no transactions", path: "\(path).transactions")])
        }
        let resolver = LineResolver(mapping: configuration.mapping, report: report)
        var reportDay: Day?
        if configuration.posting.date != .expense {
            let field = configuration.posting.date.rawValue
            let raw = configuration.posting.date == .approved ? report.approved : report.submitted
            reportDay = Day(raw)
            if reportDay == nil {
                problems.append(Problem(.invalidReport, "posting.date is \(field) but the report's \"\(field)\" date is \(raw.isEmpty ? "missing" : "\"\(raw)\"")", path: "\(path).\(field)"))
            }
        }

        var expenseLines: [ExpenseLine] = []
        for (index, expense) in report.transactions.enumerated() {
            var at: String { "\(path).transactions[\(expense.index)]" }
            let account = resolver.account(for: expense)
            if account == nil {
                problems.append(Problem(.unmappedCategory, "category \"\(expense.category)\" has no account in mapping.categories\(configuration.mapping.useExpensifyGLCodes ? " and no GL code in Expensify" : "")", path: "\(at).category"))
            }
            guard let postingCurrency = configuration.posting.currency == .report ? reportCurrency : Currency(code: expense.currency) else {
                problems.append(Problem(.unknownCurrency, "\"\(expense.currency)\" is not an ISO 4217 currency with a minor unit", path: "\(at).currency"))
                continue
            }
            let factor: Fraction
            if expense.currency == postingCurrency.code {
                factor = .one
            } else if let reportFactor = expense.reportCurrencyFactor(reportCurrency: report.currency) {
                factor = reportFactor
            } else {
                problems.append(Problem(.invalidReport, "expense in \(expense.currency) has neither convertedAmount nor currencyConversionRate to \(report.currency); it is never posted at zero", path: "\(at).convertedAmount"))
                continue
            }
            guard let day = reportDay ?? Day(expense.date) else { continue }
            let gross = Money.fromHundredths(expense.amountInExpenseCurrency, times: factor, in: postingCurrency).minorUnits
            var tax: Int64 = 0
            let taxRule = resolver.taxRule(for: expense)
            // A category that refuses recovery keeps the whole gross on its expense account.
            let recoverable = configuration.mapping.categories[expense.category]?.recoverableTax ?? true
            if taxRule != nil, recoverable, expense.tax != 0 {
                // Tax takes the sign of its expense: a refund's tax is refunded too.
                let signedTax = (expense.tax < 0) == (expense.amountInExpenseCurrency < 0) ? expense.tax : -expense.tax
                tax = Money.fromHundredths(signedTax, times: factor, in: postingCurrency).minorUnits
                if tax.magnitude > gross.magnitude {
                    problems.append(Problem(.invalidReport, "tax \(expense.tax) is larger than the amount \(expense.amountInExpenseCurrency)", path: "\(at).taxAmount"))
                    continue
                }
            }
            guard let account else { continue }
            expenseLines.append(ExpenseLine(
                index: index, day: day, currency: postingCurrency, account: account,
                gross: gross, net: gross - tax, tax: tax,
                taxAccount: tax != 0 ? taxRule?.account : nil, taxCode: resolver.taxCode(rule: taxRule, account: account),
                reimbursable: expense.reimbursable,
                dimensions: resolver.dimensions(for: expense),
                description: resolver.describe(templates.line, expense: expense, maxLength: 30, fallback: expense.category)
            ))
        }
        if !problems.isEmpty { return Outcome(entries: [], problems: problems) }

        // A report with nothing to pay in any posting currency has nothing to post.
        let sums = Dictionary(grouping: expenseLines, by: \.currency).mapValues { $0.reduce(0) { $0 + $1.gross } }
        if sums.values.allSatisfy({ $0 == 0 }) {
            let detail = expenseLines.isEmpty ? "every amount rounds to zero" : "its amounts sum to zero"
            return Outcome(entries: [], problems: [Problem(.emptyReport, "report \(report.reportID) has nothing to post: \(detail)", path: "\(path).transactions")])
        }

        let groups = Dictionary(grouping: expenseLines) { GroupKey(day: $0.day, currency: $0.currency.code) }
        // The offsets that get a line: some entry owes the employee (or the card) something.
        // (A summed offset gets a line when its entry's amounts do not cancel; a per-transaction
        // one when any of its expenses is not zero.)
        var owed = Set<Bool>()
        for lines in groups.values {
            for flag in [true, false] {
                let paid = lines.filter { $0.reimbursable == flag }
                let perLine = !flag && configuration.posting.offset.nonReimbursable.perTransaction
                let owes = perLine ? paid.contains(where: { $0.gross != 0 }) : paid.reduce(Int64(0), { $0 + $1.gross }) != 0
                if owes { owed.insert(flag) }
            }
        }
        problems += resolver.unmappedEmployee(offsets: configuration.posting.offset, templates: [templates.reimbursablePartner, templates.nonReimbursablePartner], owed: owed, at: path)
        var warnings: [Problem] = []
        if configuration.posting.totalCheck != .off, let mismatch = TotalCheck(report: report).mismatch(at: path) {
            if configuration.posting.totalCheck == .fail { problems.append(mismatch) } else { warnings.append(mismatch) }
        }
        if !problems.isEmpty { return Outcome(entries: [], problems: problems) }
        let splitsByCurrency = Set(groups.keys.map(\.currency)).count > 1
        var entries: [JournalEntry] = []
        for key in groups.keys.sorted() {
            let lines = groups[key]!
            let entryKey: EntryKey
            if groups.count == 1 {
                entryKey = EntryKey(report.reportID)
            } else {
                entryKey = EntryKey("\(report.reportID)_\(key.day)" + (splitsByCurrency ? "_\(key.currency)" : ""))
            }
            var entry = makeEntry(key: entryKey, report: report, day: key.day, currency: lines[0].currency, lines: lines, resolver: resolver)
            if let openPeriods, !openPeriods.isOpen(key.day) {
                // A closed period: refused here, or dated the first day of the next open one.
                guard configuration.posting.closedPeriod == .nextOpen, let next = openPeriods.nextOpenDay(after: key.day) else {
                    let after = configuration.posting.closedPeriod == .nextOpen ? "; no period is open after it" : " (posting.closedPeriod: fail)"
                    problems.append(Problem(.periodClosed, "entry \(entryKey) is dated \(key.day), in a closed period; open: \(openPeriods.description)\(after)", path: path))
                    continue
                }
                entry.accountingDate = next
            }
            guard entry.lines.contains(where: { $0.amount != 0 }) else { continue }
            guard entry.isBalanced else {
                problems.append(Problem(.entryUnbalanced, "entry \(entryKey) does not balance: debit \(entry.debitTotal), credit \(entry.creditTotal) (minor units of \(entry.currency))", path: path))
                continue
            }
            entries.append(entry)
        }
        return Outcome(entries: problems.isEmpty ? entries : [], problems: problems, warnings: problems.isEmpty ? warnings : [])
    }

    private func makeEntry(key: EntryKey, report: Report, day: Day, currency: Currency, lines expenseLines: [ExpenseLine], resolver: LineResolver) -> JournalEntry {
        var lines: [JournalLine] = []
        func add(_ account: String, signed amount: Int64, description: String, partner: String = "", controlAccount: String = "", tax: String = "", dimensions: [Dimension] = []) {
            guard amount != 0 else { return }
            lines.append(JournalLine(number: lines.count + 1, account: account, side: amount > 0 ? .debit : .credit, amount: Int64(amount.magnitude), description: description,
                                     businessPartner: partner, controlAccount: controlAccount, tax: tax, dimensions: dimensions))
        }
        for line in expenseLines {
            add(line.account, signed: line.net, description: line.description, tax: line.taxCode, dimensions: line.dimensions)
            if let taxAccount = line.taxAccount {
                // The VAT return reads the code from the tax line too.
                add(taxAccount, signed: line.tax, description: line.description, tax: line.taxCode)
            }
        }
        let offsetText = resolver.describe(templates.offset, expense: report.transactions[expenseLines[0].index], maxLength: 30, fallback: report.reportID, keeping: report.reportID)
        for reimbursable in [true, false] {
            let offset = reimbursable ? configuration.posting.offset.reimbursable : configuration.posting.offset.nonReimbursable
            let partner = resolver.businessPartner(reimbursable ? templates.reimbursablePartner : templates.nonReimbursablePartner)
            let paid = expenseLines.filter { $0.reimbursable == reimbursable }
            if offset.perTransaction {
                // One card-clearing line per card payment, described like its expense.
                for line in paid { add(offset.account, signed: -line.gross, description: line.description, partner: partner, controlAccount: offset.controlAccount) }
            } else {
                add(offset.account, signed: -paid.reduce(Int64(0)) { $0 + $1.gross }, description: offsetText, partner: partner, controlAccount: offset.controlAccount)
            }
        }
        let first = report.transactions[expenseLines[0].index]
        let x3 = configuration.x3
        return JournalEntry(
            key: key, reportID: report.reportID, entryType: x3.entryType, site: x3.site, journal: x3.journal,
            accountingDate: day, sourceDate: day, currency: currency,
            description: resolver.describe(templates.entry, expense: first, maxLength: 30, fallback: report.reportID),
            reference: report.reportID, lines: lines
        )
    }
}

/// One expense after account, currency, rounding and tax have been resolved.
struct ExpenseLine {
    var index: Int
    var day: Day
    var currency: Currency
    var account: String
    /// Signed minor units: positive = debit.
    var gross: Int64
    var net: Int64
    var tax: Int64
    var taxAccount: String?
    var taxCode: String
    var reimbursable: Bool
    var dimensions: [Dimension]
    var description: String
}

struct GroupKey: Hashable, Comparable {
    var day: Day
    var currency: String

    static func < (a: GroupKey, b: GroupKey) -> Bool { (a.day, a.currency) < (b.day, b.currency) }
}
