import ArgumentParser
import LedgerDrop

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Runs the shipped fixture reports through a temporary spool and shows the result."
    )

    @Option(help: "The fixtures folder (reports/ and ledgerdrop.yml).")
    var fixtures = "fixtures"

    @Option(help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "error"

    func run() throws {
        let global = try GlobalOptions.parse(["--log-level", logLevel])
        let demo: Demo
        do { demo = try Demo.run(fixtures: fixtures, logger: global.makeLogger()) } catch { throw Failure.report(error) }
        print(demo.text)
        if demo.summary.exitCode != 0 { throw ExitCode(demo.summary.exitCode) }
    }
}
