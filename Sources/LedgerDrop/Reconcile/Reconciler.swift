import Logging

/// `ledgerdrop reconcile` (issue 12): for every report approved in a period, what Expensify has
/// now, where ledgerdrop has it, and what X3 holds — one verdict each — and the period's totals
/// per company, account and cost center from the payloads and from X3. Read-only everywhere.
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
    /// Keep each posted entry's lines in the rows (the HTML page shows them); memory then grows
    /// with the period's lines.
    let keepLines: Bool

    public init(spool: Spool, configuration: Configuration, services: Services, logger: Logger, keepLines: Bool = false) {
        self.spool = spool
        self.configuration = configuration
        self.services = services
        self.logger = logger
        self.keepLines = keepLines
    }

    /// Throws (exit 3) when a service that is asked cannot be reached or refuses the credentials.
    public func run(_ period: ReconcilePeriod) async throws(LedgerDropError) -> ReconcileReport {
        let local = SpoolSide.read(spool, period: period)
        var report = ReconcileReport(period: period)
        if !local.undated.isEmpty {
            report.notes.append("\(local.undated.count) report(s) in the spool have no approval day and belong to no period: \(local.undated.prefix(10).joined(separator: ", "))\(local.undated.count > 10 ? ", …" : "")")
        }

        // Expensify: the period's approved reports, and the spool's others by ID.
        var expensify: ExpensifySide?
        if let service = services.expensify {
            expensify = try await ExpensifySide.read(service: service, configuration: configuration, period: period, spoolReports: local.reports.keys.sorted(), logger: logger)
            report.notes += expensify!.problems.map { "Expensify's export: \($0)" }
        } else {
            report.notChecked.append("Expensify not asked (\(services.expensifyNotAsked)): reports approved but never fetched, and reports changed or reopened since, are not found")
        }

        // The reports of the period: the spool's, and those Expensify says were approved in it
        // (the spool may date one otherwise, or not know it at all).
        var ids = Set(local.reports.keys)
        if let expensify {
            for (id, fact) in expensify.reports where fact.approved.map(period.contains) ?? false && ExpensifySide.approvedStates.contains(fact.state) {
                ids.insert(id)
            }
        }
        let records = ids.map { ($0, local.reports[$0] ?? local.all[$0]) }

        // X3 (or the spool alone): each posted entry, its payload counted in the totals.
        var totals = ReconcileTotals(costCenterType: configuration.mapping.costCenterDimension)
        var answers: [String: X3Side.Answer] = [:]
        var lines: [String: [ReconcileRow.Line]] = [:]
        let posted = records.compactMap(\.1).flatMap { r in
            r.entries.filter { $0.place == .done }.map { X3Side.Posted(key: $0.key, company: r.company, payload: $0.payload, receipt: spool.path(.done, $0.key + Receipt.suffix)) }
        }.sorted { $0.key < $1.key }
        func keep(_ answer: X3Side.Answer) {
            if let payload = answer.payload {
                totals.addPosted(payload, company: answer.company)
                if keepLines {
                    lines[answer.key] = payload.lines.map { line in
                        ReconcileRow.Line(account: line.account, side: line.side == .debit ? "debit" : "credit", amount: line.amount.written(for: payload.currency),
                                          description: line.description, dimensions: line.dimensions.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
                    }
                }
            }
            if let entry = answer.entry { totals.addX3(entry, company: answer.company, currency: answer.currency) }
            var slim = answer
            slim.payload = nil
            slim.entry = nil
            answers[answer.key] = slim
        }
        if let x3 = services.x3 {
            totals.x3Asked = true
            logger.info("reading \(posted.count) posted entr\(posted.count == 1 ? "y" : "ies") back from X3, \(configuration.x3.concurrency) at a time")
            try await X3Side(reader: x3.reader, transport: x3.transport, x3: configuration.x3).check(posted, answered: keep)
        } else {
            for entry in posted { keep(X3Side.local(entry, x3: configuration.x3, notAsked: services.x3NotAsked)) }
            report.notChecked.append("X3 not asked (\(services.x3NotAsked)): whether X3 still holds each entry as posted is not known; its totals are left empty")
        }

        // One verdict per report.
        for (id, record) in records {
            let answer: ReportJudgement.ExpensifyAnswer
            if let expensify {
                answer = expensify.reports[id].map { .report($0) } ?? .absent
            } else {
                answer = .notAsked(services.expensifyNotAsked)
            }
            report.rows.append(ReportJudgement(reportID: id, spool: record, expensify: answer, x3: answers, lines: lines).row)
        }
        report.rows.sort { ($0.approved, $0.reportID) < ($1.approved, $1.reportID) }
        report.totals = totals.rows
        return report
    }
}
