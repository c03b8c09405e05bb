import ArgumentParser
import Foundation
import LedgerDrop

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Writes the period's reconciliation as one self-contained HTML page, for finance.",
        discussion: """
            The page holds every report approved in the period with its verdict, its entries and \
            lines, what failed (by code, with the remedy) and what waits, the totals per account and \
            cost center, and a chart of what was posted per day. It fetches nothing when opened. \
            The period defaults to last week. Exit codes as reconcile's.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var period: PeriodOptions

    @Option(help: "The HTML file to write.")
    var html: String

    @Flag(help: "Ask neither Expensify nor X3: only the spool and the audit log.")
    var offline = false

    func run() async throws {
        let logger = global.makeLogger()
        let configuration = try global.loadConfiguration()
        let spool = global.spoolFolder(configuration)
        do { try spool.requireExisting() } catch { throw Failure.report(error) }
        var rows: [ReconcileRow] = []
        let summary = try await ReconcileCommand.reconcile(try period.resolve(), configuration: configuration, spool: spool, offline: offline, keepLines: true, logger: logger) { rows.append($0) }
        let report = ReconcileReport(summary: summary, rows: rows)
        try Self.write(report, spool: spool, to: html)
        Output.line("\(html): \(report.rows.count) report(s) approved \(report.period); " + report.counts.map { "\($0.1) \($0.0.rawValue)" }.joined(separator: ", "))
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }

    /// Writes the page whole (a temp file beside it, renamed), so that a reader never opens half.
    static func write(_ report: ReconcileReport, spool: Spool, to path: String) throws {
        let page = ReconcilePage.render(report, spool: spool)
        do {
            try Data(page.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            printToStandardError("error: cannot write \(path): \(error.localizedDescription)")
            throw ExitCode(2)
        }
    }
}
