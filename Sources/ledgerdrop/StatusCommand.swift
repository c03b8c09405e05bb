import ArgumentParser
import Foundation
import LedgerDrop

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Shows what waits in each folder, the oldest age, failures by code and the last runs."
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print JSON for machines.")
    var json = false

    enum Grouping: String, ExpressibleByArgument { case company }

    @Option(help: "company: also each company's entries (waiting, posted, failed), from the whole audit.log.")
    var by: Grouping?

    func run() throws {
        // status works without a configuration: it only reads the spool.
        let configuration = ConfigurationLoader.locate(explicit: global.config, environment: ProcessInfo.processInfo.environment) != nil
            ? try global.loadConfiguration() : nil
        let spool = global.spoolFolder(configuration)
        do { try spool.requireExisting() } catch { throw Failure.report(error) }
        var status = SpoolStatus.gather(spool, byCompany: by == .company)
        if json {
            // The counters of watch --metrics-file, from the whole audit log.
            status.auditTotals = AuditTotals.read(spool)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            Output.line(String(decoding: try encoder.encode(status), as: UTF8.self))
        } else {
            Output.line(status.text)
        }
    }
}
