import ArgumentParser
import Foundation
import LedgerDrop

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Fetches, converts and posts once (for cron or a systemd timer).",
        discussion: """
            Every stage runs even when the one before it failed, as the spool may hold work of its own; \
            the exit code is the worst of the three. SIGINT/SIGTERM finish the item in hand and leave the rest.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var window: WindowOptions

    @Flag(help: "Skip fetching: convert and post what the spool holds.")
    var noFetch = false

    @Option(help: "After the pass, write Prometheus metrics to this file (node_exporter's textfile collector).")
    var metricsFile: String?

    func run() async throws {
        let logger = global.makeLogger()
        let configuration = try global.loadConfiguration()
        let spool = global.spoolFolder(configuration)
        var pipeline = Pipeline(spool: spool, configuration: configuration,
                                environment: ProcessInfo.processInfo.environment, request: window.request(), fetch: !noFetch)
        let metrics = metricsFile.map { MetricsFile(path: $0, spool: spool) }
        pipeline.observer = metrics
        let signals = await SignalStop.start()
        let outcome = await pipeline.runOnce(logger: logger, stop: signals.stop)
        for line in outcome.lines { Output.line(line) }
        if let metrics {
            do { try metrics.update() } catch { printToStandardError("error: \(error.code.rawValue): \(error.message)") }
        }
        if let stopped = signals.exitCode { throw ExitCode(stopped) }
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }
}
