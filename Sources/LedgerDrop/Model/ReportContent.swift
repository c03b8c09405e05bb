import Crypto

/// What Expensify said a report is, as far as its entries go (issue 12): the day it was approved
/// and a hash of every field conversion reads, so that `reconcile` can tell a report edited in
/// Expensify after it was posted from one that is as it was.
public struct ReportContent: Sendable, Equatable {
    public var approved: Day?
    /// SHA-256 of the report's posting fields, 32 hex digits.
    public var hash: String

    public init(_ report: Report) {
        approved = Day(String(report.approved.prefix(10)))
        hash = Self.hash(report)
    }

    /// The hash as two words, for the many reports `reconcile` keeps in memory at once.
    public struct Digest: Sendable, Hashable {
        var high: UInt64
        var low: UInt64

        /// From the 32 hex digits of `hash`; nil for anything else (an older audit line has none).
        public init?(hex: String) {
            guard hex.utf8.count == 32, let high = UInt64(hex.prefix(16), radix: 16), let low = UInt64(hex.suffix(16), radix: 16) else { return nil }
            self.high = high
            self.low = low
        }

        /// The first 8 hex digits, for messages.
        public var short: String {
            let text = String(high >> 32, radix: 16)
            return String(repeating: "0", count: 8 - text.count) + text
        }
    }

    public var digest: Digest? { Digest(hex: hash) }

    /// The fields an entry is made of — amounts, dates, currencies, rates, categories, tags,
    /// comments, taxes, the employee, the names in descriptions — in a fixed order, each ended by
    /// a separator that no field holds unescaped. Left out: the state, the approval and
    /// submission dates, the manager, and receipt links (signed, they change on every export).
    static func hash(_ report: Report) -> String {
        var text = ""
        func field(_ value: String) {
            for scalar in value.unicodeScalars {
                if scalar == "\u{1F}" || scalar == "\u{1E}" || scalar == "\\" { text.unicodeScalars.append("\\") }
                text.unicodeScalars.append(scalar)
            }
            text.unicodeScalars.append("\u{1F}")
        }
        for value in [report.reportID, report.reportName, report.policyID, report.currency, report.total.map(String.init) ?? "",
                      report.accountEmail, report.submitterPayrollID, report.submitterName] { field(value) }
        for expense in report.transactions {
            text.unicodeScalars.append("\u{1E}")
            for value in [expense.transactionID, expense.date, expense.merchantName, String(expense.amountInExpenseCurrency), expense.currency,
                          String(expense.convertedAmount), expense.currencyConversionRate?.description ?? "", expense.category, expense.categoryGlCode,
                          expense.tag, expense.tagGlCode, expense.comment, expense.reimbursable ? "1" : "0", expense.billable ? "1" : "0",
                          String(expense.tax), expense.taxCode, expense.taxName] { field(value) }
        }
        return SHA256.hash(data: Array(text.utf8)).prefix(16).map { byte in
            let digits = Array("0123456789abcdef".utf8)
            return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]], as: UTF8.self)
        }.joined()
    }
}
