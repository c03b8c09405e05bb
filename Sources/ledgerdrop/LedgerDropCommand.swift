import ArgumentParser
import Foundation
import LedgerDrop

/// `ledgerdrop`: parses arguments and calls the library; nothing else lives here.
@main
struct LedgerDropCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledgerdrop",
        abstract: "Moves approved Expensify expense reports into the Sage X3 general ledger through plain folders.",
        discussion: """
            Exit codes: 0 everything went through; 1 some items went to failed/; 2 usage or \
            configuration error; 3 systemic failure (nothing moved).
            """,
        version: Version.text,
        subcommands: [DemoCommand.self, InitCommand.self, CredentialsCommand.self, CheckCommand.self, FetchCommand.self, ConvertCommand.self, PostCommand.self, RunCommand.self, WatchCommand.self, StatusCommand.self, AuditCommand.self, ReconcileCommand.self, ReportCommand.self, ReplayCommand.self, SandboxCommand.self]
    )

    /// Runs the command line and maps failures onto SPEC §11's exit codes (argument-parser's
    /// own usage errors would otherwise exit with 64).
    static func main() async {
        // A closed pipe (`ledgerdrop audit | head -1`) fails the write, which Output ignores,
        // instead of killing the process before it records its work.
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                printToStandardError(fullMessage(for: error))
                printToStandardError("Run 'ledgerdrop help' for usage.")
                Self.exit(withError: ExitCode(2))
            }
            Self.exit(withError: error)
        }
    }
}
