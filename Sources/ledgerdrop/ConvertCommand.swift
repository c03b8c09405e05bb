import ArgumentParser
import Foundation
import LedgerDrop

struct ConvertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Converts the reports in inbox/ into X3 payloads in outbox/.",
        discussion: "Sources move to archive/; a file that cannot convert moves to failed/ with <file>.error.json."
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print what would be written; write nothing.")
    var dryRun = false

    @Flag(help: "Convert a report again even if its entry is already in outbox/ (replacing it) or done/.")
    var force = false

    @Option(help: "Files per durable hand-off (one disk flush for each batch).")
    var batchSize = 1024

    @Option(help: "Leave files younger than this alone (default: the configuration's minFileAge), e.g. 0s, 2s.")
    var minAge: Duration?

    func run() async throws {
        let logger = global.makeLogger()
        let configuration = try global.loadConfiguration()
        guard batchSize > 0 else { throw ValidationError("--batch-size must be at least 1") }
        let signals = await SignalStop.start()
        var options = ConvertStage.Options(dryRun: dryRun, force: force, batchSize: batchSize, stop: signals.stop)
        if let minAge { options.minimumAge = minAge }
        do { options.openPeriods = try await OpenPeriodSource.resolve(configuration, environment: ProcessInfo.processInfo.environment) } catch { throw Failure.report(error) }
        let stage = ConvertStage(spool: global.spoolFolder(configuration), configuration: configuration, options: options, logger: logger)
        let summary: ConvertSummary
        do { summary = try stage.run() } catch { throw Failure.report(error) }
        for line in summary.plan { Output.line(line) }
        var line = "\(dryRun ? "would convert" : "converted") \(summary.files) file(s), \(summary.reports) report(s), \(summary.entries) entr\(summary.entries == 1 ? "y" : "ies"); \(summary.failedFiles) failed"
        if !summary.failures.isEmpty {
            line += " (" + summary.failures.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ") + ")"
        }
        if summary.waiting > 0 { line += "; \(summary.waiting) file(s) too new, left for the next run" }
        Output.line(line)
        if let stopped = signals.exitCode { throw ExitCode(stopped) }
        if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
    }
}
