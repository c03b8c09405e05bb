/// Which reports one fetch asks for (SPEC §7.4). Pure: the cursor and today come in.
///
/// Expensify's `approvedAfter` drops reports approved on or before its day, so a window whose
/// first day is D asks for `approvedAfter = D − 1`. The upper bound `--until` is applied to the
/// `approved` date after download (Expensify's `endDate` filters on another date).
public struct FetchWindow: Sendable, Equatable {
    public var filters: ExportFilters
    /// The last approval day kept, inclusive, when asked for.
    public var until: Day?
    /// The cursor to store once every report of the window is in the spool; nil for a window
    /// given by hand (`--since`, `--until`, `--report`), which leaves the cursor as it was.
    public var nextCursor: Day?

    /// What a fetch run was asked for on the command line.
    public struct Request: Sendable, Equatable {
        public var since: Day?
        public var until: Day?
        public var reportIDs: [String]

        public init(since: Day? = nil, until: Day? = nil, reportIDs: [String] = []) {
            self.since = since
            self.until = until
            self.reportIDs = reportIDs
        }

        var isExplicit: Bool { since != nil || until != nil || !reportIDs.isEmpty }
    }

    public static func make(settings: Configuration.Expensify, request: Request, cursor: Day?, today: Day) throws(LedgerDropError) -> FetchWindow {
        for id in request.reportIDs where !ReportID.isPlain(id) {
            throw LedgerDropError(.configInvalid, "--report \(id): a report ID is 1 to 20 letters, digits, '_' or '-'")
        }
        if let since = request.since, let until = request.until, until < since {
            throw LedgerDropError(.configInvalid, "--until \(until) is before --since \(since)")
        }
        // The lookback in whole days, rounded up: 36h of overlap is two days.
        let lookbackSeconds = settings.lookback.components.seconds
        let lookbackDays = Int((lookbackSeconds + 86_399) / 86_400)
        let scheduledStart = (cursor ?? today).adding(days: -lookbackDays)
        let approvedAfter: Day?
        if let since = request.since {
            approvedAfter = since.adding(days: -1)
        } else if !request.reportIDs.isEmpty {
            approvedAfter = nil
        } else {
            approvedAfter = scheduledStart.adding(days: -1)
        }
        return FetchWindow(
            filters: ExportFilters(reportStates: settings.reportStates, approvedAfter: approvedAfter, reportIDs: request.reportIDs, policyIDs: settings.policies),
            until: request.until,
            nextCursor: request.isExplicit ? nil : today.adding(days: -1)
        )
    }

    /// For logs and the summary: "approved 2026-11-21 … 2026-11-25", "reports R1, R2".
    public var text: String {
        var parts: [String] = []
        if !filters.reportIDs.isEmpty { parts.append("report\(filters.reportIDs.count == 1 ? "" : "s") \(filters.reportIDs.joined(separator: ", "))") }
        if let after = filters.approvedAfter { parts.append("approved from \(after.adding(days: 1))" + (until.map { " to \($0)" } ?? "")) } else if let until { parts.append("approved until \(until)") }
        if !filters.policyIDs.isEmpty { parts.append("policies \(filters.policyIDs.joined(separator: ", "))") }
        parts.append("states \(filters.reportStates.joined(separator: ","))")
        return parts.joined(separator: "; ")
    }
}
