import ArgumentParser
import Foundation
import LedgerDrop
import Logging

struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Checks every report approved in a period against Expensify, the spool and X3, and totals the period per account and cost center.",
        discussion: """
            One verdict per report: reconciled, missing in the spool, waiting, failed, missing in X3, \
            different in X3, changed in Expensify, not approved any more (or posted, not checked, when \
            a service was not asked). Read-only: Expensify through the export job and template fetch \
            uses, X3 through its read-only journalEntry query. The period defaults to last week \
            (ISO, Monday to Sunday). Exit codes: 0 everything reconciles; 1 something does not; 2 \
            usage or configuration; 3 a service cannot be reached or refuses the credentials.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var period: PeriodOptions

    enum Format: String, ExpressibleByArgument { case table, csv, json }

    @Option(help: "table, csv or json.")
    var format: Format = .table

    @Flag(help: "With --format csv: the totals per company, account and cost center instead of the reports.")
    var totals = false

    @Flag(help: "Ask neither Expensify nor X3: only the spool and the audit log (and say what that leaves unchecked).")
    var offline = false

    @Option(help: "Also write the reconciliation as one self-contained HTML page to this file.")
    var html: String?

    func run() async throws {
        let logger = global.makeLogger()
        let configuration = try global.loadConfiguration()
        let spool = global.spoolFolder(configuration)
        do { try spool.requireExisting() } catch { throw Failure.report(error) }
        let period = try self.period.resolve()
        // The rows are written as they come (sorted), so that a year of them is never held;
        // only the page needs them all.
        let companies = !configuration.companies.isEmpty
        let header = ReconcileReport.Table.header(ReconcileSummary(period: period), companies: companies)
        var first = true
        var rows: [ReconcileRow] = []
        func start() {
            guard first else { return }
            switch format {
            case .table: Output.line(header)
            case .csv: Output.data(totals ? "" : ReconcileReport.CSV.header)
            case .json: Output.data(ReconcileReport.JSON.start)
            }
        }
        let summary = try await Self.reconcile(period, configuration: configuration, spool: spool, offline: offline, keepLines: html != nil, logger: logger) { row in
            start()
            switch format {
            case .table: Output.line(ReconcileReport.Table.lines(row, companies: companies))
            case .csv: if !totals { Output.data(ReconcileReport.CSV.records(row)) }
            case .json: Output.data(ReconcileReport.JSON.row(row, first: first))
            }
            first = false
            if html != nil { rows.append(row) }
        }
        start()
        switch format {
        case .table: Output.line(ReconcileReport.Table.footer(summary, companies: companies))
        case .csv: if totals { Output.data(ReconcileReport.CSV.totals(summary)) }
        case .json: Output.data(ReconcileReport.JSON.end(summary))
        }
        if let html { try ReportCommand.write(ReconcileReport(summary: summary, rows: rows), spool: spool, to: html) }
        if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
    }

    /// The reconciliation, with both services unless `offline`, each row handed to `emit`. A
    /// service that cannot be asked is exit 3; what the configuration lacks to ask it, exit 2.
    static func reconcile(_ period: ReconcilePeriod, configuration: Configuration, spool: Spool, offline: Bool, keepLines: Bool = false, logger: Logger,
                          emit: (ReconcileRow) -> Void) async throws -> ReconcileSummary {
        var services = Reconciler.Services.offline
        var client: ExpensifyClient?
        var connection: X3Connection?
        if !offline {
            let environment = ProcessInfo.processInfo.environment
            do {
                client = try ExpensifyClient(configuration: configuration, spool: spool, environment: environment, logger: logger)
                connection = try X3Connection(configuration: configuration, credentials: .resolve(environment: environment))
            } catch {
                await client?.shutdown()
                throw Failure.report(error)
            }
            services.expensify = client
            if let reader = connection?.reader, let transport = connection?.transport {
                services.x3 = (reader, transport)
            } else {
                services.x3NotAsked = "the file route without x3.url reads nothing from X3"
            }
        }
        let result: Result<ReconcileSummary, LedgerDropError>
        do throws(LedgerDropError) {
            result = .success(try await Reconciler(spool: spool, configuration: configuration, services: services, logger: logger, keepLines: keepLines).run(period, emit: emit))
        } catch {
            result = .failure(error)
        }
        await client?.shutdown()
        await connection?.shutdown()
        switch result {
        case .success(let summary): return summary
        case .failure(let error):
            // Whatever the code, reconcile could not ask a service it needs.
            printToStandardError("error: \(error.code.rawValue): \(error.message)")
            throw ExitCode(max(3, error.code.exitCode))
        }
    }
}

/// `--since`/`--until`, `--week` or `--month`: the approval days `reconcile` and `report` cover.
struct PeriodOptions: ParsableArguments {
    @Option(help: "The first approval day (yyyy-MM-dd); with --until.")
    var since: Day?

    @Option(help: "The last approval day (yyyy-MM-dd), inclusive; default: today.")
    var until: Day?

    @Option(help: "An ISO week, Monday to Sunday: 2026-W48.")
    var week: String?

    @Option(help: "A month: 2026-11.")
    var month: String?

    func resolve(today: Day = Day.utc(nanoseconds: Timestamp.now())) throws -> ReconcilePeriod {
        let given = [since != nil || until != nil, week != nil, month != nil].filter { $0 }.count
        guard given <= 1 else { throw ValidationError("give one of --since/--until, --week and --month") }
        if let week {
            guard let period = ReconcilePeriod.week(week) else { throw ValidationError("--week \(week) is not an ISO week such as 2026-W48") }
            return period
        }
        if let month {
            guard let period = ReconcilePeriod.month(month) else { throw ValidationError("--month \(month) is not a month such as 2026-11") }
            return period
        }
        if since != nil || until != nil {
            guard let since else { throw ValidationError("--until needs --since") }
            let until = until ?? today
            guard since <= until else { throw ValidationError("--until \(until) is before --since \(since)") }
            return ReconcilePeriod(since: since, until: until)
        }
        return ReconcilePeriod.lastWeek(before: today)
    }
}
