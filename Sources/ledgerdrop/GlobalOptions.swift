import ArgumentParser
import Foundation
import LedgerDrop
import Logging

/// Options every subcommand takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The configuration file (default: $LEDGERDROP_CONFIG, then ./ledgerdrop.yml).")
    var config: String?

    @Option(name: .long, help: "The spool folder (default: the configuration's spool:, $LEDGERDROP_SPOOL, or the current folder).")
    var spool: String?

    @Option(name: .long, help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    @Option(name: .long, help: "text or json.")
    var logFormat: LogFormat = .text

    enum LogFormat: String, ExpressibleByArgument { case text, json }

    func makeLogger() -> Logger {
        Self.bootstrap(level: logLevel, format: logFormat)
        return Logger(label: "ledgerdrop")
    }

    /// Log lines go to stderr, through `Output` (never a crash, no raw control characters).
    static func bootstrap(level: Logger.Level, format: LogFormat) {
        LoggingSystem.bootstrap { label in
            var handler = LogLineHandler(label: label, format: format)
            handler.logLevel = level
            return handler
        }
    }

    /// The configuration, or exit 2 with every problem listed.
    func loadConfiguration() throws -> Configuration {
        guard let path = ConfigurationLoader.locate(explicit: config, environment: ProcessInfo.processInfo.environment) else {
            throw Failure.report(LedgerDropError(.configInvalid, "no configuration: pass --config, set LEDGERDROP_CONFIG or create ./ledgerdrop.yml (ledgerdrop init writes one)"))
        }
        do {
            var configuration = try ConfigurationLoader(file: path).load()
            // A relative spool or hand-off folder in the file is relative to the file's folder.
            let folder = (path as NSString).deletingLastPathComponent
            if let spool = configuration.spool, !spool.hasPrefix("/") {
                configuration.spool = folder.isEmpty ? spool : "\(folder)/\(spool)"
            }
            let handoff = configuration.x3.handoffFolder
            if !handoff.isEmpty, !handoff.hasPrefix("/"), !folder.isEmpty { configuration.x3.handoffFolder = "\(folder)/\(handoff)" }
            return configuration
        } catch {
            throw Failure.report(error)
        }
    }

    /// `--spool`, then `$LEDGERDROP_SPOOL`, then the configuration's `spool:`, then ".".
    func spoolFolder(_ configuration: Configuration?) -> Spool {
        if let spool { return Spool(root: spool) }
        if let fromEnvironment = ProcessInfo.processInfo.environment["LEDGERDROP_SPOOL"], !fromEnvironment.isEmpty {
            return Spool(root: fromEnvironment)
        }
        return Spool(root: configuration?.spool ?? ".")
    }
}

/// Prints a library error the way people read it and turns it into SPEC §11's exit code.
enum Failure {
    static func report(_ error: LedgerDropError) -> ExitCode {
        printToStandardError("error: \(error.code.rawValue): \(error.message)")
        if error.problems.count > 1 {
            for problem in error.problems { printToStandardError("  \(problem.message)") }
        }
        return ExitCode(error.code.exitCode)
    }
}

func printToStandardError(_ text: String) {
    Output.error(text)
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
