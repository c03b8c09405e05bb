import ArgumentParser
import Foundation
import LedgerDrop

struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Runs fetch → convert → post on expensify.schedule until SIGINT or SIGTERM.",
        discussion: """
            "every 15m" runs at start and then every 15 minutes; "daily 06:00" and "weekly mon 06:00" \
            wait for that local time (TZ) unless --now. A signal while idle stops at once; during a \
            pass, the item in hand is finished and the rest stays in the spool.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Override expensify.schedule, e.g. \"every 15m\".")
    var schedule: String?

    @Flag(help: "Run a pass at start, whatever the schedule.")
    var now = false

    @Option(help: "After every pass, write Prometheus metrics to this file (node_exporter's textfile collector).")
    var metricsFile: String?

    func run() async throws {
        let logger = global.makeLogger()
        let configuration = try global.loadConfiguration()
        var chosen = configuration.expensify.schedule
        if let schedule {
            guard let parsed = Schedule(schedule) else { throw ValidationError("--schedule must be \"every 15m\", \"daily HH:MM\" or \"weekly mon HH:MM\"") }
            chosen = parsed
        }
        let spool = global.spoolFolder(configuration)
        var pipeline = Pipeline(spool: spool, configuration: configuration, environment: ProcessInfo.processInfo.environment)
        let metrics = metricsFile.map { MetricsFile(path: $0, spool: spool) }
        pipeline.observer = metrics
        var watch = Watch(pipeline: pipeline, schedule: chosen, runAtStart: now, logger: logger) { outcome in
            // Unbuffered: a watch's output is read while it runs (a journal, a pipe).
            let text = (["pass at \(Timestamp.iso8601(Timestamp.now())): exit \(outcome.exitCode)"] + outcome.lines.map { "  " + $0 }).joined(separator: "\n")
            Output.line(text)
        }
        watch.metrics = metrics
        let code = await watch.runUntilStopped()
        // A watch ends only by a signal: that is a clean stop, whatever the passes met.
        logger.info("watch stopped (worst pass exit code \(code))")
    }
}
