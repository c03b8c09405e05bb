import Foundation

/// What `reconcile` found for a period besides its rows (issue 12): how many reports have each
/// verdict, the totals, and what could not be checked.
public struct ReconcileSummary: Sendable, Codable {
    public var period: String
    public var since: String
    public var until: String
    /// Verdict → reports, for the verdicts met.
    public var verdicts: [String: Int] = [:]
    public var totals: [ReconcileTotals.Row] = []
    /// What was not asked, and what that leaves unknown.
    public var notChecked: [String] = []
    public var notes: [String] = []

    public init(period: ReconcilePeriod) {
        self.period = period.description
        since = period.since.description
        until = period.until.description
    }

    mutating func count(_ row: ReconcileRow) { verdicts[row.verdict.rawValue, default: 0] += 1 }

    public var reports: Int { verdicts.values.reduce(0, +) }

    /// 0 when every report reconciles (or could not be checked, which is said), 1 otherwise.
    public var exitCode: Int32 { counts.contains { $0.0.needsAttention } ? 1 : 0 }

    /// How many reports have each verdict, in the verdicts' order.
    public var counts: [(ReconcileVerdict, Int)] {
        ReconcileVerdict.allCases.compactMap { verdict in verdicts[verdict.rawValue].map { (verdict, $0) } }
    }
}

/// A reconciliation with its rows, collected (the page, the tests); and the three text formats,
/// each in pieces that `reconcile` writes as the rows come.
public struct ReconcileReport: Sendable, Codable {
    public var summary: ReconcileSummary
    public var rows: [ReconcileRow]

    public init(summary: ReconcileSummary, rows: [ReconcileRow]) {
        self.summary = summary
        self.rows = rows
    }

    public var exitCode: Int32 { summary.exitCode }
    public var period: String { summary.period }
    public var counts: [(ReconcileVerdict, Int)] { summary.counts }

    public var table: String {
        let companies = rows.contains { !$0.company.isEmpty }
        return ([Table.header(summary, companies: companies)] + rows.map { Table.lines($0, companies: companies) } + [Table.footer(summary, companies: companies)]).joined(separator: "\n")
    }

    public var csv: String { CSV.header + rows.map(CSV.records).joined() }

    /// The table: a heading, one line per entry naming the report and the X3 entry number (`-`
    /// when there is none) with the details below it named the same way, then the totals.
    public enum Table {
        public static func header(_ summary: ReconcileSummary, companies: Bool) -> String {
            ["reconciliation of the reports approved \(summary.period)", "",
             "report".padding(16) + "X3 entry".padding(26) + "verdict".padding(24) + "entry key".padding(28) + "where".padding(12) + "total".padding(16)
                + (companies ? "company".padding(10) : "") + "approved"].joined(separator: "\n")
        }

        public static func lines(_ row: ReconcileRow, companies: Bool) -> String {
            var lines: [String] = []
            for entry in row.entries.isEmpty ? [ReconcileRow.Entry(entryKey: "-", place: "-")] : row.entries {
                let total = entry.total.isEmpty ? "" : "\(entry.total) \(entry.currency)"
                lines.append(row.reportID.padding(16) + (entry.x3EntryNumber.isEmpty ? "-" : entry.x3EntryNumber).padding(26) + row.verdict.rawValue.padding(24)
                             + entry.entryKey.padding(28) + entry.place.padding(12) + total.padding(16) + (companies ? (row.company.isEmpty ? "-" : row.company).padding(10) : "")
                             + (row.approved.isEmpty ? "-" : row.approved))
            }
            let prefix = "  " + row.reportID + " " + row.x3EntryNumbers + ": "
            for detail in row.details { lines.append(prefix + detail) }
            if row.verdict.needsAttention, !row.remedy.isEmpty { lines.append(prefix + "fix: " + row.remedy.replacingAll("<ID>", with: row.reportID)) }
            return lines.joined(separator: "\n")
        }

        public static func footer(_ summary: ReconcileSummary, companies: Bool) -> String {
            var lines = [""]
            lines.append("totals of the posted lines" + (summary.totals.contains { !$0.x3Debit.isEmpty } ? " (payloads | X3)" : " (payloads; X3 not asked)"))
            lines.append((companies ? "company".padding(10) : "") + "account".padding(10) + "cost center".padding(13) + "cur".padding(5)
                         + "debit".leftPadding(16) + "credit".leftPadding(16) + "   " + "X3 debit".leftPadding(16) + "X3 credit".leftPadding(16))
            for total in summary.totals {
                lines.append((companies ? (total.company.isEmpty ? "-" : total.company).padding(10) : "") + total.account.padding(10) + (total.costCenter.isEmpty ? "-" : total.costCenter).padding(13)
                             + total.currency.padding(5) + total.postedDebit.leftPadding(16) + total.postedCredit.leftPadding(16)
                             + (total.agrees ? "   " : " ≠ ") + total.x3Debit.leftPadding(16) + total.x3Credit.leftPadding(16))
            }
            lines.append("")
            lines.append("\(summary.reports) report(s): " + (summary.counts.isEmpty ? "none approved in the period" : summary.counts.map { "\($0.1) \($0.0.rawValue)" }.joined(separator: ", ")))
            for line in summary.notChecked { lines.append("not checked: " + line) }
            for note in summary.notes { lines.append("note: " + note) }
            return lines.joined(separator: "\n")
        }
    }

    /// RFC 4180, one record per entry, every field quoted; the totals apart (`--totals`).
    public enum CSV {
        static func field(_ text: String) -> String { "\"" + text.replacingAll("\"", with: "\"\"") + "\"" }

        public static let header = "reportID,x3EntryNumber,verdict,entryKey,place,total,currency,x3,company,approved,code,details,remedy\r\n"

        public static func records(_ row: ReconcileRow) -> String {
            var text = ""
            for entry in row.entries.isEmpty ? [ReconcileRow.Entry(entryKey: "", place: "")] : row.entries {
                text += [row.reportID, entry.x3EntryNumber, row.verdict.rawValue, entry.entryKey, entry.place, entry.total, entry.currency, entry.x3,
                         row.company, row.approved, row.code, row.details.joined(separator: " | "), row.verdict.needsAttention ? row.remedy.replacingAll("<ID>", with: row.reportID) : ""]
                    .map(field).joined(separator: ",") + "\r\n"
            }
            return text
        }

        public static func totals(_ summary: ReconcileSummary) -> String {
            var lines = ["company,account,costCenter,currency,postedDebit,postedCredit,x3Debit,x3Credit"]
            for total in summary.totals {
                lines.append([total.company, total.account, total.costCenter, total.currency, total.postedDebit, total.postedCredit, total.x3Debit, total.x3Credit].map(field).joined(separator: ","))
            }
            return lines.joined(separator: "\r\n") + "\r\n"
        }
    }

    /// One JSON document `{"rows": [...], "summary": {...}}`, written a row at a time.
    public enum JSON {
        static func encoded(_ value: some Encodable) -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
        }

        public static let start = "{\"rows\":[\n"
        public static func row(_ row: ReconcileRow, first: Bool) -> String { (first ? "" : ",\n") + encoded(row) }
        public static func end(_ summary: ReconcileSummary) -> String { "\n],\"summary\":" + encoded(summary) + "}\n" }
    }
}
