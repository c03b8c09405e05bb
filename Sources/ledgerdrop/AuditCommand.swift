import ArgumentParser
import Foundation
import LedgerDrop

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "The history of each report: its entry keys, X3 entry numbers and last state, for reconciliation."
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Only this Expensify report ID.")
    var report: String?

    @Option(help: "Only entries whose last event is on or after this day (yyyy-MM-dd).")
    var since: Day?

    @Option(help: "Only entries of this company (companies: in ledgerdrop.yml).")
    var company: String?

    enum Grouping: String, ExpressibleByArgument { case company }

    @Option(help: "company: the table grouped by company, each with its totals.")
    var by: Grouping?

    enum Format: String, ExpressibleByArgument { case table, csv, json }

    @Option(help: "table, csv or json.")
    var format: Format = .table

    func run() throws {
        let configuration = ConfigurationLoader.locate(explicit: global.config, environment: ProcessInfo.processInfo.environment) != nil
            ? try global.loadConfiguration() : nil
        let spool = global.spoolFolder(configuration)
        do { try spool.requireExisting() } catch { throw Failure.report(error) }
        let audit = AuditReport.read(spool, report: report, since: since, company: company)
        if !audit.tornLines.isEmpty {
            printToStandardError("warning: audit.log line\(audit.tornLines.count == 1 ? "" : "s") \(audit.tornLines.map(String.init).joined(separator: ", ")) \(audit.tornLines.count == 1 ? "is" : "are") torn (not a whole JSON line: cut short by a full disk or a crash) and left out")
        }
        switch format {
        case .table: Output.line(by == .company ? audit.tableByCompany : audit.table)
        case .csv: Output.data(audit.csv)
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            Output.line(String(decoding: try encoder.encode(audit.rows), as: UTF8.self))
        }
    }
}
