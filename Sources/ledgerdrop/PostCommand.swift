import ArgumentParser
import Foundation
import LedgerDrop

struct PostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "post",
        abstract: "Posts the payloads in outbox/ to Sage X3, exactly once.",
        discussion: "Posted payloads move to done/ with a receipt; refused ones to failed/ with X3's reason. Credentials: X3_CLIENT_ID, X3_CLIENT_SECRET, X3_USER, X3_PASSWORD."
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Validate the payloads and print the requests that would be sent (credentials redacted); send nothing.")
    var dryRun = false

    @Option(help: "Leave payloads younger than this alone (default: the configuration's minFileAge), e.g. 0s.")
    var minAge: Duration?

    func run() async throws {
        let logger = global.makeLogger()
        let configuration = try global.loadConfiguration()
        let signals = await SignalStop.start()
        var options = PostStage.Options(dryRun: dryRun, stop: signals.stop)
        if isatty(STDERR_FILENO) == 1 && !dryRun {
            // On a terminal: one bar, redrawn in place. Otherwise the per-item log lines say it.
            options.progress = { decided, total in
                let width = 30
                let filled = total == 0 ? width : decided * width / total
                let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
                Output.raw("\r[\(bar)] \(decided)/\(total)\(decided == total ? "\n" : "")")
            }
        }
        if let minAge { options.minimumAge = minAge }
        let connection: X3Connection
        do {
            connection = try X3Connection(configuration: configuration, credentials: .resolve(environment: ProcessInfo.processInfo.environment))
        } catch {
            throw Failure.report(error)
        }
        let stage = PostStage(spool: global.spoolFolder(configuration), configuration: configuration, transport: connection.transport, options: options, logger: logger)
        let summary: PostSummary
        do {
            summary = try await stage.run()
        } catch {
            await connection.shutdown()
            throw Failure.report(error)
        }
        await connection.shutdown()
        for line in summary.plan { Output.line(line) }
        var line = dryRun ? "would post \(summary.posted), would fail \(summary.failed)"
            : "posted \(summary.posted), found already posted \(summary.recovered), failed \(summary.failed), retries \(summary.retried)"
                + (summary.numbered > 0 ? ", X3 numbers found after hand-off \(summary.numbered)" : "")
        if !summary.failures.isEmpty {
            line += " (" + summary.failures.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ") + ")"
        }
        if summary.waiting > 0 { line += "; \(summary.waiting) payload(s) too new, left for the next run" }
        Output.line(line)
        if let stopped = signals.exitCode { throw ExitCode(stopped) }
        if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
    }
}
