import Foundation

/// What `reconcile` found for a period (issue 12): one row per report, the totals, and what
/// could not be checked — as a table, CSV or JSON, and the HTML page.
public struct ReconcileReport: Sendable, Codable {
    public var period: String
    public var since: String
    public var until: String
    public var rows: [ReconcileRow] = []
    public var totals: [ReconcileTotals.Row] = []
    /// What was not asked, and what that leaves unknown.
    public var notChecked: [String] = []
    public var notes: [String] = []

    public init(period: ReconcilePeriod) {
        self.period = period.description
        since = period.since.description
        until = period.until.description
    }

    /// 0 when every report reconciles (or could not be checked, which is said), 1 otherwise.
    public var exitCode: Int32 { rows.contains { $0.verdict.needsAttention } ? 1 : 0 }

    /// How many reports have each verdict, in the verdicts' order.
    public var counts: [(ReconcileVerdict, Int)] {
        ReconcileVerdict.allCases.compactMap { verdict in
            let count = rows.filter { $0.verdict == verdict }.count
            return count == 0 ? nil : (verdict, count)
        }
    }

    /// One line per entry (a report without entries: one line), each naming the report and the
    /// X3 entry number (`-` when there is none); its details below it, named the same way.
    public var table: String {
        var lines = ["reconciliation of the reports approved \(period)", ""]
        let companies = rows.contains { !$0.company.isEmpty }
        lines.append("report".padding(16) + "X3 entry".padding(26) + "verdict".padding(24) + "entry key".padding(28) + "where".padding(12) + "total".padding(16)
                     + (companies ? "company".padding(10) : "") + "approved")
        for row in rows {
            let entries = row.entries.isEmpty ? [ReconcileRow.Entry(entryKey: "-", place: "-")] : row.entries
            for entry in entries {
                let total = entry.total.isEmpty ? "" : "\(entry.total) \(entry.currency)"
                lines.append(row.reportID.padding(16) + (entry.x3EntryNumber.isEmpty ? "-" : entry.x3EntryNumber).padding(26) + row.verdict.rawValue.padding(24)
                             + entry.entryKey.padding(28) + entry.place.padding(12) + total.padding(16) + (companies ? (row.company.isEmpty ? "-" : row.company).padding(10) : "")
                             + (row.approved.isEmpty ? "-" : row.approved))
            }
            let prefix = "  " + row.reportID + " " + row.x3EntryNumbers + ": "
            for detail in row.details { lines.append(prefix + detail) }
            if row.verdict.needsAttention, !row.remedy.isEmpty { lines.append(prefix + "fix: " + row.remedy.replacingAll("<ID>", with: row.reportID)) }
        }
        lines.append("")
        lines.append("totals of the posted lines" + (totals.contains { !$0.x3Debit.isEmpty } ? " (payloads | X3)" : " (payloads; X3 not asked)"))
        lines.append((companies ? "company".padding(10) : "") + "account".padding(10) + "cost center".padding(13) + "cur".padding(5)
                     + "debit".leftPadding(16) + "credit".leftPadding(16) + "   " + "X3 debit".leftPadding(16) + "X3 credit".leftPadding(16))
        for total in totals {
            lines.append((companies ? (total.company.isEmpty ? "-" : total.company).padding(10) : "") + total.account.padding(10) + (total.costCenter.isEmpty ? "-" : total.costCenter).padding(13)
                         + total.currency.padding(5) + total.postedDebit.leftPadding(16) + total.postedCredit.leftPadding(16)
                         + (total.agrees ? "   " : " ≠ ") + total.x3Debit.leftPadding(16) + total.x3Credit.leftPadding(16))
        }
        lines.append("")
        lines.append("\(rows.count) report(s): " + (counts.isEmpty ? "none approved in the period" : counts.map { "\($0.1) \($0.0.rawValue)" }.joined(separator: ", ")))
        for line in notChecked { lines.append("not checked: " + line) }
        for note in notes { lines.append("note: " + note) }
        return lines.joined(separator: "\n")
    }

    /// RFC 4180, one record per entry, every field quoted.
    public var csv: String {
        func field(_ text: String) -> String { "\"" + text.replacingAll("\"", with: "\"\"") + "\"" }
        var lines = ["reportID,x3EntryNumber,verdict,entryKey,place,total,currency,x3,company,approved,code,details,remedy"]
        for row in rows {
            for entry in row.entries.isEmpty ? [ReconcileRow.Entry(entryKey: "", place: "")] : row.entries {
                lines.append([row.reportID, entry.x3EntryNumber, row.verdict.rawValue, entry.entryKey, entry.place, entry.total, entry.currency, entry.x3,
                              row.company, row.approved, row.code, row.details.joined(separator: " | "), row.verdict.needsAttention ? row.remedy.replacingAll("<ID>", with: row.reportID) : ""]
                    .map(field).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// The totals as RFC 4180 (`reconcile --format csv --totals`).
    public var totalsCSV: String {
        func field(_ text: String) -> String { "\"" + text.replacingAll("\"", with: "\"\"") + "\"" }
        var lines = ["company,account,costCenter,currency,postedDebit,postedCredit,x3Debit,x3Credit"]
        for total in totals {
            lines.append([total.company, total.account, total.costCenter, total.currency, total.postedDebit, total.postedCredit, total.x3Debit, total.x3Credit].map(field).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    public var json: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(self)) ?? Data()) + [0x0A]
    }
}
