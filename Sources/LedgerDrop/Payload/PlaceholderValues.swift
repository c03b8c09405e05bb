/// The value of every placeholder of SPEC §13.2 for one entry (and line, and ledger type), as one
/// payload format writes dates and amounts. Every route's engine fills its layout through this.
struct PlaceholderValues: Sendable {
    let x3: Configuration.X3
    /// `20261030` for the object XML, `x3.import.dateFormat` for import records.
    let date: @Sendable (Day) -> String
    let decimalSeparator: String

    func value(_ placeholder: Placeholder, _ entry: JournalEntry, _ line: JournalLine?, ledgerType: String = "") -> String {
        switch placeholder {
        case .site: return entry.site
        case .entryType: return entry.entryType
        case .journal: return entry.journal
        case .accountingDate: return date(entry.accountingDate)
        case .sourceDate: return date(entry.sourceDate)
        case .currency: return entry.currency.code
        case .description: return entry.description
        case .reference, .sourceDocument: return entry.reportID
        case .documentType: return x3.documentType
        case .status: return x3.entryStatus.code
        default: break
        }
        guard let line else { return "" }
        switch placeholder {
        case .lineNumber: return String(line.number)
        case .lineSite: return entry.site
        case .lineAccount: return line.account
        case .lineBusinessPartner: return line.businessPartner
        case .lineSign: return String(line.side.rawValue)
        case .lineAmount: return amount(line.amount, entry.currency)
        case .lineDebit: return line.side == .debit ? amount(line.amount, entry.currency) : ""
        case .lineCredit: return line.side == .credit ? amount(line.amount, entry.currency) : ""
        case .lineDescription: return line.description
        case .lineTax: return line.tax
        case .lineLedgerType: return ledgerType
        case .lineDimension(let type): return line.dimensions.first { $0.type == type }?.value ?? ""
        case .lineControlAccount: return line.controlAccount
        // A journal entry of expenses carries no quantities.
        case .lineQuantity: return ""
        default: return ""
        }
    }

    func amount(_ minorUnits: Int64, _ currency: Currency) -> String {
        let text = Money(minorUnits: minorUnits, currency: currency).decimalText
        return decimalSeparator == "." ? text : text.replacingOccurrences(of: ".", with: decimalSeparator)
    }
}
