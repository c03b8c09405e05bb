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
    var since: String?

    enum Format: String, ExpressibleByArgument { case table, csv, json }

    @Option(help: "table, csv or json.")
    var format: Format = .table

    func run() throws {
        let day = try since.map { text -> Day in
            guard let day = Day(text) else { throw ValidationError("--since must be a day as yyyy-MM-dd") }
            return day
        }
        let configuration = ConfigurationLoader.locate(explicit: global.config, environment: ProcessInfo.processInfo.environment) != nil
            ? try global.loadConfiguration() : nil
        let audit = AuditReport.read(global.spoolFolder(configuration), report: report, since: day)
        switch format {
        case .table: print(audit.table)
        case .csv: print(audit.csv, terminator: "")
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(audit.rows), as: UTF8.self))
        }
    }
}
