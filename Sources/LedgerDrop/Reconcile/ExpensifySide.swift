import Logging

/// What Expensify says now of the period's reports (issue 12), read-only through the same export
/// job, template and rate limits as `fetch`: every report approved in the period, and for each
/// report the spool holds that this export lacks, its state by ID (reopened, or gone).
struct ExpensifySide: Sendable {
    struct Fact: Sendable, Equatable {
        /// The API's state: OPEN, SUBMITTED, APPROVED, REIMBURSED, ARCHIVED.
        var state: String
        var approved: Day?
        /// `ReportContent.hash` of the report as Expensify has it now.
        var digest: ReportContent.Digest?
        /// The report's policy, for a report the spool never saw.
        var company = ""
    }

    /// The states in which a report counts as approved (ARCHIVED is the website's Closed).
    static let approvedStates: Set<String> = ["APPROVED", "REIMBURSED", "ARCHIVED"]
    static let allStates = ["OPEN", "SUBMITTED", "APPROVED", "REIMBURSED", "ARCHIVED"]
    /// Report IDs per by-ID export.
    static let idsPerRequest = 500

    /// Report ID → what Expensify has; a report asked for by ID and not listed is absent.
    var reports: [String: Fact] = [:]
    /// Reports asked for by ID: absent from here and from `reports` means deleted.
    var asked: Set<String> = []
    /// Export elements that could not be read as reports, said once each.
    var problems: [String] = []

    static func read(service: any ExpensifyService, configuration: Configuration, period: ReconcilePeriod, spoolReports: [String],
                     logger: Logger) async throws(LedgerDropError) -> ExpensifySide {
        var policies = configuration.expensify.policies
        if policies.isEmpty, !configuration.companies.isEmpty {
            policies = try await FetchStage.companyPolicies(configuration.companies, service: service, logger: logger)
        }
        var side = ExpensifySide()
        let window = ExportFilters(reportStates: configuration.expensify.reportStates, approvedAfter: period.since.adding(days: -1), policyIDs: policies)
        logger.info("asking Expensify for the reports approved \(period)")
        try side.add(try await service.export(window), configuration: configuration)
        let missing = spoolReports.filter { side.reports[$0] == nil }.sorted()
        var start = 0
        while start < missing.count {
            let ids = Array(missing[start..<min(missing.count, start + idsPerRequest)])
            logger.info("asking Expensify for \(ids.count) report(s) the spool holds and the period's export lacks")
            try side.add(try await service.export(ExportFilters(reportStates: allStates, reportIDs: ids)), configuration: configuration)
            side.asked.formUnion(ids)
            start += idsPerRequest
        }
        return side
    }

    /// The reports of one export, read one element at a time: a year's export is held as its
    /// bytes, never as one parsed tree, and only a small fact stays of each report.
    mutating func add(_ export: [UInt8], configuration: Configuration) throws(LedgerDropError) {
        let ranges = ExportSplitter.elementRanges(export)
        if ranges.isEmpty {
            // Not an array of reports, or an empty one: the splitter says which.
            problems += try ExportSplitter.split(export).problems.map { "\($0.path): \($0.message)" }
            return
        }
        for (index, range) in ranges.enumerated() {
            let file = ReportFile.read(Array(export[range]))
            guard file.problems.isEmpty, let entry = file.entries.first, ReportID.isPlain(entry.report.reportID) else {
                problems.append("$[\(index)]: " + (file.problems.first?.message ?? "not a report with a usable ID"))
                continue
            }
            let report = entry.report
            let content = ReportContent(report)
            reports[report.reportID] = Fact(state: Self.state(report.status), approved: content.approved, digest: content.digest,
                                            company: configuration.company(for: report)?.name ?? "")
        }
    }

    /// The API's state from the export's `status` word (the template writes the website's).
    static func state(_ status: String) -> String {
        switch status.lowercased() {
        case "open": "OPEN"
        case "processing", "submitted": "SUBMITTED"
        case "reimbursed": "REIMBURSED"
        case "closed", "archived": "ARCHIVED"
        default: "APPROVED"
        }
    }
}
