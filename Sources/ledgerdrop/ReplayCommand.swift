import Foundation
import ArgumentParser
import LedgerDrop

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Sends failed payloads back to outbox/ (or their reports back to inbox/) to try again.",
        discussion: "Select by entry key, report ID or file name, or --all; --code narrows to one error code."
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Entry keys, report IDs or file names in failed/.")
    var keys: [String] = []

    @Flag(help: "Every file in failed/ (with --code: every file of that code).")
    var all = false

    @Option(help: "Only files that failed with this code, e.g. GL_ACCOUNT_NOT_FOUND.")
    var code: String?

    @Flag(help: "Send the source reports back to inbox/ to be converted again (after a mapping fix).")
    var reconvert = false

    func validate() throws {
        if keys.isEmpty && !all { throw ValidationError("name the entries to replay, or pass --all") }
        if let code, ErrorCode(rawValue: code) == nil { throw ValidationError("\(code) is not an error code (see docs/error-codes.md)") }
    }

    func run() throws {
        _ = global.makeLogger()
        let configuration = ConfigurationLoader.locate(explicit: global.config, environment: ProcessInfo.processInfo.environment) != nil ? try global.loadConfiguration() : nil
        let replay = Replay(spool: global.spoolFolder(configuration))
        let moved: [Replay.Moved]
        do {
            moved = try replay.run(.init(keys: keys, all: all, code: code.flatMap(ErrorCode.init(rawValue:)), reconvert: reconvert))
        } catch {
            throw Failure.report(error)
        }
        for item in moved { Output.line("\(item.file) → \(item.to)") }
        Output.line("replayed \(moved.count) file(s)")
    }
}
