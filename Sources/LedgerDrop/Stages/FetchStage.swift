import Logging

/// Expensify → inbox (SPEC §7): one export job for the window, the download split into one
/// `inbox/<reportID>.json` per report with the durable hand-off every stage uses, reports the
/// spool already holds skipped, and the cursor moved on only once the window is safe.
public final class FetchStage {
    let spool: Spool
    let settings: Configuration.Expensify
    /// `companies:`: without `expensify.policies`, a fetch asks for their policies only.
    let companies: [Configuration.Company]
    let service: any ExpensifyService
    let request: FetchWindow.Request
    let logger: Logger
    let runID: String
    let audit: AuditLog
    let today: Day
    let stop: StopSignal?
    let dryRun: Bool

    public init(spool: Spool, configuration: Configuration, service: any ExpensifyService, request: FetchWindow.Request = .init(),
                logger: Logger, run: String = AuditLog.newRunID(), today: Day = Day.utc(nanoseconds: Timestamp.now()), stop: StopSignal? = nil, dryRun: Bool = false) {
        self.stop = stop
        self.dryRun = dryRun
        self.spool = spool
        self.settings = configuration.expensify
        self.companies = configuration.companies
        self.service = service
        self.request = request
        self.logger = logger
        self.runID = run
        self.audit = AuditLog(spool: spool)
        self.today = today
    }

    public func run() async throws(LedgerDropError) -> FetchSummary {
        if dryRun { return try await dryRunSummary() }
        try spool.prepare()
        let lock = try await FetchLock.acquire(spool, stop: stop)
        defer { lock.release() }
        let (window, export, split) = try await exportWindow()
        let sorted = sort(split, window: window)
        var summary = sorted.summary(window: window, split: split)
        let now = Timestamp.iso8601(Timestamp.now())
        for (report, place) in sorted.known {
            logger.debug("\(report.reportID) is already in the spool (\(place)); not fetched again")
        }
        // Only a report asked for by name leaves a trail: the overlap of every scheduled window
        // would otherwise repeat the same lines run after run.
        let skipped = sorted.known.filter { request.reportIDs.contains($0.report.reportID) }.map { report, place in
            var event = AuditEvent(at: now, event: .skipped, stage: .fetch, run: runID)
            event.reportID = report.reportID
            event.message = "already in the spool (\(place)); not fetched again"
            return event
        }
        let handOff = try HandOff(spool: spool)
        defer { handOff.close() }
        var items = [SpoolTransaction.Item(events: skipped)]
        if !split.problems.isEmpty { items.append(keepUnreadableExport(export, problems: split.problems, at: now)) }
        let first = items.count
        items += sorted.wanted.map { report in reportItem(report, at: now) }
        let progress = try SpoolTransaction(label: "fetch", items: items, journaled: true).commit(handOff, audit: audit)
        if !split.problems.isEmpty { logger.warning("the export holds elements that are not reports with a usable ID: kept in failed/ with its error file") }
        for (index, report) in zip(first..., sorted.wanted) {
            let name = "\(report.reportID).json"
            if progress.clashed.contains(index) {
                summary.skipped += 1
                logger.notice("inbox/\(name) appeared while fetching; the file there is kept")
            } else {
                summary.placed.append(name)
                summary.fetched += 1
            }
        }
        if let next = window.nextCursor, split.problems.isEmpty {
            try FetchCursor(next, run: runID).transaction(spool).commit(handOff, audit: audit)
            summary.cursor = next.description
        }
        return summary
    }

    /// The window of this fetch (from the cursor unless given by hand), and Expensify's export
    /// of it, split into reports.
    private func exportWindow() async throws(LedgerDropError) -> (FetchWindow, [UInt8], ExportSplitter.Split) {
        let cursor = request.isExplicit ? nil : try FetchCursor.read(spool)
        var settings = self.settings
        if settings.policies.isEmpty, !companies.isEmpty { settings.policies = try await companyPolicies() }
        let window = try FetchWindow.make(settings: settings, request: request, cursor: cursor, today: today)
        logger.info("fetching from Expensify: \(window.text)")
        let export = try await service.export(window.filters)
        return (window, export, try ExportSplitter.split(export))
    }

    /// The reports of an export, sorted: approved after `--until`, already in the spool, or
    /// wanted in the inbox.
    struct Sorted {
        var outsideWindow: [ExportSplitter.Report] = []
        var known: [(report: ExportSplitter.Report, place: String)] = []
        var wanted: [ExportSplitter.Report] = []

        func summary(window: FetchWindow, split: ExportSplitter.Split) -> FetchSummary {
            var summary = FetchSummary(window: window.text)
            summary.exported = split.reports.count
            summary.outsideWindow = outsideWindow.count
            summary.skipped = known.count
            summary.failed = split.problems.count
            return summary
        }
    }

    func sort(_ split: ExportSplitter.Split, window: FetchWindow) -> Sorted {
        let index = SpoolReportIndex(spool: spool)
        var sorted = Sorted()
        for report in split.reports {
            if let until = window.until, report.approved.map({ $0 > until }) ?? true {
                sorted.outsideWindow.append(report)
            } else if let place = index.place(of: report.reportID) {
                sorted.known.append((report, place))
            } else {
                sorted.wanted.append(report)
            }
        }
        return sorted
    }

    /// A report into `inbox/`, with its `fetched` line. A name taken in the meantime (by hand,
    /// or by another fetch) is never replaced: the report is then left out.
    private func reportItem(_ report: ExportSplitter.Report, at now: String) -> SpoolTransaction.Item {
        var event = AuditEvent(at: now, event: .fetched, stage: .fetch, run: runID)
        event.reportID = report.reportID
        event.file = "\(report.reportID).json"
        event.approved = report.approved?.description ?? ""
        event.message = "inbox/\(report.reportID).json" + (report.approved.map { ", approved \($0)" } ?? "")
        return SpoolTransaction.Item(outputs: [.init(content: .bytes(report.bytes), destination: spool.path(.inbox, "\(report.reportID).json"))],
                                     events: [event], onClash: { _ in SpoolTransaction.Item() })
    }

    /// An export with elements that cannot become inbox files goes to `failed/` whole, with its
    /// error file, so nothing Expensify sent is lost; the cursor then stays where it was.
    private func keepUnreadableExport(_ bytes: [UInt8], problems: [Problem], at now: String) -> SpoolTransaction.Item {
        let name = spool.freeName(in: .failed, for: "expensify-export-\(runID).json", companion: ErrorFile.suffix)
        let error = LedgerDropError(.expensifyError, "the export holds \(problems.count) element(s) that are not reports with a usable ID", problems: problems)
        var event = AuditEvent(at: now, event: .failed, stage: .fetch, run: runID)
        event.file = name
        event.code = .expensifyError
        event.message = "failed/\(name): \(error.message)"
        return SpoolTransaction.Item(outputs: [
            .init(content: .bytes(ErrorFile(stage: .fetch, error: error, file: name, reportIDs: [], at: now).bytes), destination: spool.path(.failed, name + ErrorFile.suffix)),
            .init(content: .bytes(bytes), destination: spool.path(.failed, name)),
        ], events: [event])
    }
}

extension FetchStage {
    /// `fetch --dry-run`: asks Expensify (read-only, as always) and says what would be written;
    /// writes nothing, not even the cursor or the audit log.
    func dryRunSummary() async throws(LedgerDropError) -> FetchSummary {
        let (window, _, split) = try await exportWindow()
        let sorted = sort(split, window: window)
        var summary = sorted.summary(window: window, split: split)
        summary.plan.append("window: \(window.text)")
        summary.fetched = sorted.wanted.count
        for report in split.reports {
            let approved = report.approved.map { "approved \($0)" } ?? "no approval date"
            if sorted.outsideWindow.contains(report) {
                summary.plan.append("would leave out \(report.reportID) (\(approved), after --until)")
            } else if let place = sorted.known.first(where: { $0.report == report })?.place {
                summary.plan.append("would skip \(report.reportID): already in the spool (\(place))")
            } else {
                summary.plan.append("would write inbox/\(report.reportID).json (\(approved))")
            }
        }
        for problem in split.problems { summary.plan.append("would keep the export in failed/: \(problem.message) at \(problem.path)") }
        if let next = window.nextCursor, split.problems.isEmpty { summary.plan.append("would move the cursor to \(next)") }
        return summary
    }
}

/// What a fetch run did.
public struct FetchSummary: Sendable, Equatable {
    public var window: String
    /// Reports in Expensify's export.
    public var exported = 0
    /// Reports written to `inbox/`.
    public var fetched = 0
    /// Reports the spool already held.
    public var skipped = 0
    /// Reports approved after `--until`.
    public var outsideWindow = 0
    /// Elements of the export that could not become inbox files (kept in `failed/`).
    public var failed = 0
    /// The inbox names written, so `run` converts them without waiting for `minFileAge`.
    public var placed: [String] = []
    /// The new cursor, when it moved.
    public var cursor: String? = nil
    /// A dry run: what would be written (the CLI prints it).
    public var plan: [String] = []

    /// A signal stopped the fetch before its hand-off: nothing was written, nothing failed.
    public var stopped = false

    public init(window: String) { self.window = window }

    static let stoppedBySignal: FetchSummary = {
        var summary = FetchSummary(window: "")
        summary.stopped = true
        return summary
    }()

    public var exitCode: Int32 { failed > 0 ? 1 : 0 }

    public var line: String {
        if stopped { return "stopped by a signal before anything was written; the next fetch asks again" }
        var text = "fetched \(fetched) report(s) of \(exported) exported; \(skipped) already in the spool"
        if outsideWindow > 0 { text += ", \(outsideWindow) approved after --until" }
        if failed > 0 { text += "; \(failed) unreadable (kept in failed/)" }
        if let cursor { text += "; cursor \(cursor)" }
        return text
    }
}
