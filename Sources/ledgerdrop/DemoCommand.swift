import ArgumentParser
import LedgerDrop
import LedgerDropSandbox

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Fetches the shipped fixture reports from a local Expensify sandbox, converts them and posts them to a local X3 sandbox, in a temporary spool."
    )

    @Option(help: "A fixtures folder (reports/, ledgerdrop.yml, x3-master.json); default: the ones built into ledgerdrop.")
    var fixtures: String?

    @Option(help: "The X3 route to show: import (the default; works on every stock X3), soap, graphql or file.")
    var route = "import"

    @Option(help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "error"

    func run() async throws {
        let global = try GlobalOptions.parse(["--log-level", logLevel])
        guard let chosen = Configuration.X3.API(rawValue: route) ?? (route == "api1" ? .soap : nil) else {
            throw ValidationError("--route must be import, soap, graphql or file, not \"\(route)\"")
        }
        let demo: Demo
        do { demo = try await Demo.run(fixtures: fixtures, route: chosen, logger: global.makeLogger()) } catch { throw Failure.report(error) }
        Output.line(demo.text)
        if demo.exitCode != 0 { throw ExitCode(demo.exitCode) }
    }
}
