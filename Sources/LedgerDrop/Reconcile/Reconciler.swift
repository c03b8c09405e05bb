import Logging

/// `ledgerdrop reconcile` (issue 12): for every report approved in a period, what Expensify has
/// now, where ledgerdrop has it, and what X3 holds — one verdict each — and the period's totals
/// per company, account and cost center from the payloads and from X3. Read-only everywhere.
///
/// The rows come out one at a time, sorted by approval day and report ID, as soon as each
/// report's entries are read back: a year of history is reconciled with memory for one small
/// record per report, not for its lines or rows.
public struct Reconciler: Sendable {
    /// What may be asked. nil: not asked, for the reason given (`--offline`, a route that does
    /// not read X3).
    public struct Services: Sendable {
        public var expensify: (any ExpensifyService)?
        public var x3: (reader: GraphQLTransport, transport: any X3Transport)?
        public var expensifyNotAsked: String
        public var x3NotAsked: String

        public init(expensify: (any ExpensifyService)?, x3: (reader: GraphQLTransport, transport: any X3Transport)?, expensifyNotAsked: String = "--offline", x3NotAsked: String = "--offline") {
            self.expensify = expensify
            self.x3 = x3
            self.expensifyNotAsked = expensifyNotAsked
            self.x3NotAsked = x3NotAsked
        }

        public static let offline = Services(expensify: nil, x3: nil)
    }

    let spool: Spool
    let configuration: Configuration
    let services: Services
    let logger: Logger
    /// Keep each posted entry's lines in the rows (the HTML page shows them).
    let keepLines: Bool

    public init(spool: Spool, configuration: Configuration, services: Services, logger: Logger, keepLines: Bool = false) {
        self.spool = spool
        self.configuration = configuration
        self.services = services
        self.logger = logger
        self.keepLines = keepLines
    }

    /// Every row, collected (the page, the tests).
    public func run(_ period: ReconcilePeriod) async throws(LedgerDropError) -> ReconcileReport {
        var rows: [ReconcileRow] = []
        let summary = try await run(period) { rows.append($0) }
        return ReconcileReport(summary: summary, rows: rows)
    }

    /// Hands each row to `emit` in order; returns the counts, totals and what was not checked.
    /// Throws (exit 3) when a service that is asked cannot be reached or refuses the credentials.
    public func run(_ period: ReconcilePeriod, emit: (ReconcileRow) -> Void) async throws(LedgerDropError) -> ReconcileSummary {
        let local = SpoolSide.read(spool, period: period)
        var summary = ReconcileSummary(period: period)
        if !local.undated.isEmpty {
            summary.notes.append("\(local.undated.count) report(s) in the spool have no approval day and belong to no period: \(local.undated.prefix(10).joined(separator: ", "))\(local.undated.count > 10 ? ", …" : "")")
        }

        // Expensify: the period's approved reports, and the spool's others by ID.
        var expensify: ExpensifySide?
        if let service = services.expensify {
            expensify = try await ExpensifySide.read(service: service, configuration: configuration, period: period, spoolReports: local.inPeriod.sorted(), logger: logger)
            summary.notes += expensify!.problems.map { "Expensify's export: \($0)" }
        } else {
            summary.notChecked.append("Expensify not asked (\(services.expensifyNotAsked)): reports approved but never fetched, and reports changed or reopened since, are not found")
        }

        // The reports of the period, in order: the spool's, and those Expensify says were
        // approved in it (the spool may date one otherwise, or not know it at all).
        var days: [String: Day] = [:]
        for id in local.inPeriod { days[id] = local.all[id]?.approved }
        for (id, fact) in expensify?.reports ?? [:] where days[id] == nil {
            if let approved = fact.approved, period.contains(approved), ExpensifySide.approvedStates.contains(fact.state) { days[id] = local.all[id]?.approved ?? approved }
        }
        let order = days.keys.sorted { (days[$0]!, $0) < (days[$1]!, $1) }
        days = [:]
        let posted: [[X3Side.Posted]] = order.map { id in
            guard let record = local.all[id] else { return [] }
            return record.entries.filter { $0.place == .done }.map {
                X3Side.Posted(key: $0.key, company: record.company, format: $0.format, spool: spool)
            }
        }

        // X3 (or the spool alone): each posted entry read back and counted in the totals; each
        // report judged and handed over as soon as its entries are.
        var totals = ReconcileTotals(costCenterType: configuration.mapping.costCenterDimension)
        let check: @Sendable (X3Side.Posted) async throws(LedgerDropError) -> X3Side.Answer
        if let x3 = services.x3 {
            totals.x3Asked = true
            logger.info("reading \(posted.reduce(0) { $0 + $1.count }) posted entries of \(order.count) reports back from X3, \(configuration.x3.concurrency) at a time")
            let side = X3Side(reader: x3.reader, transport: x3.transport, x3: configuration.x3)
            check = { posted throws(LedgerDropError) in try await side.check(posted) }
        } else {
            let x3 = configuration.x3
            let reason = services.x3NotAsked
            check = { posted in X3Side.local(posted, x3: x3, notAsked: reason) }
            summary.notChecked.append("X3 not asked (\(services.x3NotAsked)): whether X3 still holds each entry as posted is not known; its totals are left empty")
        }
        let keepLines = keepLines
        try await InOrderChecks<X3Side.Posted, X3Side.Answer>(concurrency: configuration.x3.concurrency).run(posted, check: check) { index, answers in
            var byKey: [String: X3Side.Answer] = [:]
            var lines: [String: [ReconcileRow.Line]] = [:]
            for var answer in answers {
                if let payload = answer.payload {
                    totals.addPosted(payload, company: answer.company)
                    if keepLines { lines[answer.key] = Self.lines(of: payload) }
                }
                if let entry = answer.entry { totals.addX3(entry, company: answer.company, currency: answer.currency) }
                answer.payload = nil
                answer.entry = nil
                byKey[answer.key] = answer
            }
            let id = order[index]
            let said: ReportJudgement.ExpensifyAnswer = expensify.map { side in side.reports[id].map { .report($0) } ?? .absent } ?? .notAsked(services.expensifyNotAsked)
            let row = ReportJudgement(reportID: id, spool: local.all[id], expensify: said, x3: byKey, lines: lines).row
            summary.count(row)
            emit(row)
        }
        summary.totals = totals.rows
        return summary
    }

    static func lines(of payload: PayloadFile) -> [ReconcileRow.Line] {
        payload.lines.map { line in
            ReconcileRow.Line(account: line.account, side: line.side == .debit ? "debit" : "credit", amount: line.amount.written(for: payload.currency),
                              description: line.description, dimensions: line.dimensions.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
    }
}
