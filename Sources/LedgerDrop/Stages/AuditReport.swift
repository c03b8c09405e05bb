/// `ledgerdrop audit` (SPEC §8): the history of each report from `audit.log` — its entry keys, X3
/// entry numbers and last state — for the weekly reconciliation.
public struct AuditReport: Sendable {
    public struct Row: Sendable, Equatable, Codable {
        public var reportID: String
        public var entryKey: String
        public var x3EntryNumber: String
        /// The last event: converted, posted, recovered, rejected, failed, replayed…
        public var state: String
        public var at: String
        public var codes: [String]
        /// When the report was last fetched from Expensify, if it was fetched.
        public var fetchedAt: String = ""
        /// The expenses' date when `posting.closedPeriod: next-open` dated the entry later.
        public var movedFrom: String = ""
        /// The company of `companies:` the entry posts for; empty without companies (and for a
        /// report no company took).
        public var company: String = ""
    }

    public init(rows: [Row], tornLines: [Int] = []) {
        self.rows = rows
        self.tornLines = tornLines
    }

    public var rows: [Row]
    /// Line numbers (from 1) of lines that are not whole JSON objects: torn by a full disk or a
    /// crash mid-write. They are left out of `rows`, and said.
    public var tornLines: [Int] = []

    /// Reads the whole log; `since` (yyyy-MM-dd) keeps entries whose last event is on or after it.
    public static func read(_ spool: Spool, report: String? = nil, since: Day? = nil, company: String? = nil) -> AuditReport {
        guard let bytes = try? FileSystem.read(AuditLog(spool: spool).path, limit: 1 << 30) else { return AuditReport(rows: []) }
        var rows: [String: Row] = [:]
        var order: [String] = []
        var fetchedAt: [String: String] = [:]
        var torn: [Int] = []
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            if line.isEmpty { continue }
            // The last line has no newline only when its write was cut short.
            guard index < lines.count - 1, let event = try? JSONParser.parse(Array(line)), case .object = event else {
                torn.append(index + 1)
                continue
            }
            func text(_ key: String) -> String { if case .string(let s)? = event[key] { s } else { "" } }
            let reportID = text("reportID")
            guard !reportID.isEmpty, report == nil || reportID.split(separator: ",").contains(Substring(report!)) else { continue }
            if text("stage") == "fetch" {
                if text("event") == "fetched" { fetchedAt[reportID] = text("at") }
                // A fetch is a row of its own only until the report has entries (below).
                if text("event") == "skipped" { continue }
            }
            let key = text("entryKey").isEmpty ? "\(reportID) (\(text("file")))" : text("entryKey")
            var row = rows[key] ?? Row(reportID: reportID, entryKey: text("entryKey"), x3EntryNumber: "", state: "", at: "", codes: [])
            if rows[key] == nil { order.append(key) }
            row.state = text("event")
            row.at = text("at")
            if !text("x3EntryNumber").isEmpty { row.x3EntryNumber = text("x3EntryNumber") }
            if !text("code").isEmpty, !row.codes.contains(text("code")) { row.codes.append(text("code")) }
            if !text("movedFrom").isEmpty { row.movedFrom = text("movedFrom") }
            if !text("company").isEmpty { row.company = text("company") }
            rows[key] = row
        }
        let withEntries = Set(rows.values.filter { !$0.entryKey.isEmpty }.map(\.reportID))
        var result = order.compactMap { rows[$0] }.filter { !($0.state == "fetched" && withEntries.contains($0.reportID)) }
        for index in result.indices { result[index].fetchedAt = fetchedAt[result[index].reportID] ?? "" }
        if let since { result = result.filter { $0.at >= since.description } }
        if let company { result = result.filter { $0.company.lowercased() == company.lowercased() } }
        return AuditReport(rows: result, tornLines: torn)
    }

    public var table: String {
        let companies = rows.contains { !$0.company.isEmpty }
        var lines = [(companies ? "company".padding(12) : "") + "report".padding(16) + "entry key".padding(28) + "X3 entry".padding(24) + "state".padding(11) + "at".padding(25) + "fetched".padding(25) + "codes".padding(16) + "moved from (closed period)"]
        for row in rows {
            lines.append((companies ? (row.company.isEmpty ? "-" : row.company).padding(12) : "") + row.reportID.padding(16) + row.entryKey.padding(28) + row.x3EntryNumber.padding(24) + row.state.padding(11) + row.at.padding(25)
                + (row.fetchedAt.isEmpty ? "-" : row.fetchedAt).padding(25) + row.codes.joined(separator: ",").padding(16) + row.movedFrom)
        }
        return lines.joined(separator: "\n")
    }

    /// Each company's rows under a heading with its totals (`audit --by company`); rows without
    /// a company (a report no company took) last, under "no company".
    public var tableByCompany: String {
        var parts: [String] = []
        for total in companyTotals {
            let group = AuditReport(rows: rows.filter { $0.company == total.company })
            parts.append("\(total.heading)\n" + group.table)
        }
        return parts.joined(separator: "\n\n")
    }

    /// Per company, how many entries are waiting, posted and failed by their last event.
    public var companyTotals: [CompanyTotal] {
        var totals: [String: CompanyTotal] = [:]
        for row in rows { totals[row.company, default: CompanyTotal(company: row.company)].count(row.state) }
        return totals.values.sorted { ($0.company.isEmpty ? 1 : 0, $0.company) < ($1.company.isEmpty ? 1 : 0, $1.company) }
    }

    /// RFC 4180: every field quoted, quotes doubled.
    public var csv: String {
        func field(_ text: String) -> String { "\"" + text.replacingAll("\"", with: "\"\"") + "\"" }
        var lines = ["reportID,entryKey,x3EntryNumber,state,at,codes,fetchedAt,movedFrom,company"]
        for row in rows {
            lines.append([row.reportID, row.entryKey, row.x3EntryNumber, row.state, row.at, row.codes.joined(separator: " "), row.fetchedAt, row.movedFrom, row.company].map(field).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
