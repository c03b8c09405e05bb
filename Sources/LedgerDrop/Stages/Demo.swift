import Foundation
import Logging

/// `ledgerdrop demo`: the shipped fixture reports through a temporary spool, so a newcomer sees
/// the pipeline work with one command. (Posting to the X3 sandbox joins it with the post stage.)
public struct Demo {
    public struct Row: Sendable {
        public var file: String
        public var entryKey: String
        public var lines: Int
        public var total: String
        public var outcome: String
    }

    public var spool: Spool
    public var rows: [Row]
    public var summary: ConvertSummary

    /// Copies `fixtures/reports/*.json` into a new spool under the temp folder and converts them
    /// with `fixtures/ledgerdrop.yml`.
    public static func run(fixtures: String, logger: Logger) throws(LedgerDropError) -> Demo {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: fixtures + "/reports").filter({ $0.hasSuffix(".json") }).sorted(), !names.isEmpty else {
            throw LedgerDropError(.configInvalid, "no fixture reports in \(fixtures)/reports: run the demo from a checkout of ledgerdrop, or pass --fixtures")
        }
        let configuration = try ConfigurationLoader(file: fixtures + "/ledgerdrop.yml").load()
        let spool = Spool(root: NSTemporaryDirectory() + "ledgerdrop-demo-" + String(Timestamp.now() / 1_000_000, radix: 36))
        try spool.prepare()
        for name in names {
            do { try fm.copyItem(atPath: fixtures + "/reports/" + name, toPath: spool.path(.inbox, name)) } catch {
                throw LedgerDropError(.spoolUnavailable, "cannot copy \(name) into \(spool.root): \(error)")
            }
        }
        let stage = ConvertStage(spool: spool, configuration: configuration, options: .init(minimumAge: .zero), logger: logger)
        let summary = try stage.run()
        var rows: [Row] = []
        let converter = Converter(configuration: configuration)
        for name in names {
            let bytes = (try? FileSystem.read(spool.path(.archive, name), limit: ReportFile.maxFileBytes)) ?? []
            let file = ReportFile.read(bytes)
            if file.entries.isEmpty {
                rows.append(Row(file: name, entryKey: "-", lines: 0, total: "-", outcome: "failed/ (see \(name).error.json)"))
            }
            for entry in file.entries {
                for journalEntry in converter.convert(entry.report, at: entry.path).entries {
                    let payload = journalEntry.key.fileStem + PayloadFormat(api: configuration.x3.api).fileExtension
                    rows.append(Row(file: name, entryKey: journalEntry.key.value, lines: journalEntry.lines.count,
                                    total: Money(minorUnits: journalEntry.debitTotal, currency: journalEntry.currency).description,
                                    outcome: "outbox/\(payload)"))
                }
            }
        }
        return Demo(spool: spool, rows: rows, summary: summary)
    }

    public var text: String {
        var lines = ["report file".padding(32) + "entry key".padding(26) + "lines".leftPadding(5) + "  " + "debits".leftPadding(18) + "  payload"]
        for row in rows {
            lines.append(row.file.padding(32) + row.entryKey.padding(26) + String(row.lines).leftPadding(5) + "  " + row.total.leftPadding(18) + "  " + row.outcome)
        }
        lines.append("")
        lines.append("\(summary.files) report files converted into \(summary.entries) balanced journal entries; \(summary.failedFiles) failed.")
        lines.append("Look at: \(spool.path(.outbox)) (X3 payloads), \(spool.path(.archive)) (sources), \(spool.auditLog)")
        lines.append("Next: `ledgerdrop status --spool \(spool.root)`; posting to X3 comes with `ledgerdrop post`.")
        return lines.joined(separator: "\n")
    }
}
