/// One report of the period as `reconcile` found it on all three sides (issue 12).
public struct ReconcileRow: Sendable, Codable, Equatable {
    public var reportID: String
    public var company: String
    /// The day Expensify approved it (`yyyy-MM-dd`), empty when unknown.
    public var approved: String
    public var verdict: ReconcileVerdict
    /// What differs, what failed and why, what could not be checked: one sentence each.
    public var details: [String]
    /// The failure's code, for a report in `failed/`.
    public var code: String
    public var remedy: String
    public var entries: [Entry]

    /// One journal entry of the report.
    public struct Entry: Sendable, Codable, Equatable {
        public var entryKey: String
        /// Where it is: `outbox`, `claimed`, `failed`, `done`, `handed off`.
        public var place: String
        public var x3EntryNumber: String
        /// The posted debit total and currency, from the payload.
        public var total: String
        public var currency: String
        /// What X3 said: `same`, `missing`, `different`, `not asked`, or empty when not posted.
        public var x3: String
        /// The day it was posted (`yyyy-MM-dd`, from its receipt), empty when not posted.
        public var postedOn: String = ""
        /// The posted lines, kept for the HTML page only.
        public var lines: [Line]? = nil

        public init(entryKey: String, place: String, x3EntryNumber: String = "", total: String = "", currency: String = "", x3: String = "") {
            self.entryKey = entryKey
            self.place = place
            self.x3EntryNumber = x3EntryNumber
            self.total = total
            self.currency = currency
            self.x3 = x3
        }
    }

    /// One posted line, as the page shows it.
    public struct Line: Sendable, Codable, Equatable {
        public var account: String
        public var side: String
        public var amount: String
        public var description: String
        public var dimensions: String
    }

    public init(reportID: String, company: String = "", approved: String = "", verdict: ReconcileVerdict, details: [String] = [], code: String = "", remedy: String = "", entries: [Entry] = []) {
        self.reportID = reportID
        self.company = company
        self.approved = approved
        self.verdict = verdict
        self.details = details
        self.code = code
        self.remedy = remedy
        self.entries = entries
    }

    /// The X3 numbers of its entries, for lines that must name one.
    public var x3EntryNumbers: String {
        let numbers = entries.map(\.x3EntryNumber).filter { !$0.isEmpty }
        return numbers.isEmpty ? "-" : numbers.joined(separator: " ")
    }
}
