import ArgumentParser
import Foundation
import LedgerDrop

struct FetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Fetches approved Expensify reports into inbox/, one <reportID>.json per report.",
        discussion: """
            Without options the window starts expensify.lookback before the last day fully fetched \
            (the cursor in .ledgerdrop/), and the cursor moves on once every report is in the spool. \
            --since/--until/--report fetch a window of your choosing and leave the cursor alone. \
            A report already anywhere in the spool is skipped. Expensify is never written to. \
            Credentials: EXPENSIFY_PARTNER_USER_ID and EXPENSIFY_PARTNER_USER_SECRET, else the store \
            (ledgerdrop credentials set expensify).
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var window: WindowOptions

    @Flag(help: "Ask Expensify and print what would be written; write nothing (not even the cursor).")
    var dryRun = false

    func run() async throws {
        let logger = global.makeLogger()
        let configuration = try global.loadConfiguration()
        let pipeline = Pipeline(spool: global.spoolFolder(configuration), configuration: configuration,
                                environment: ProcessInfo.processInfo.environment, request: window.request())
        let summary: FetchSummary
        let signals = await SignalStop.start()
        switch await pipeline.fetchOnce(logger: logger, stop: signals.stop, dryRun: dryRun) {
        case .success(let result): summary = result
        case .failure(let error): throw Failure.report(error)
        }
        for line in summary.plan { Output.line(line) }
        Output.line(dryRun ? "would fetch \(summary.fetched) report(s) of \(summary.exported) exported; \(summary.skipped) already in the spool" : summary.line)
        if let stopped = signals.exitCode { throw ExitCode(stopped) }
        if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
    }
}

/// `--since`, `--until` and `--report`, shared by `fetch` and `run`.
struct WindowOptions: ParsableArguments {
    @Option(help: "Fetch reports approved on or after this day (yyyy-MM-dd); the cursor is left alone.")
    var since: Day?

    @Option(help: "Fetch reports approved on or before this day (yyyy-MM-dd); the cursor is left alone.")
    var until: Day?

    @Option(name: .customLong("report"), parsing: .upToNextOption, help: "Fetch these reports by ID, whatever their approval date (if approved).")
    var reports: [String] = []

    func request() -> FetchWindow.Request {
        FetchWindow.Request(since: since, until: until, reportIDs: reports)
    }
}
