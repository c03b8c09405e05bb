import Foundation
import ArgumentParser
import LedgerDrop

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Sends failed payloads back to outbox/ (or their reports back to inbox/) to try again.",
        discussion: """
            Select by entry key, report ID or file name, or --all; --code narrows to one error code.             --repost and --refetch take report IDs of posted reports (reconcile names them): --repost             sends their payloads back to outbox/ (looked up in X3 before posting again), --refetch sets             their payloads and report aside so that the next fetch takes Expensify's current report.             Their receipts are kept in .ledgerdrop/replayed/.
            """
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

    @Flag(help: "Posted reports (by ID): their payloads back to outbox/ to be posted again, after the entry was removed or reversed in X3.")
    var repost = false

    @Flag(help: "Posted reports (by ID): their payloads and report set aside, to be fetched again from Expensify (changed there, old entry reversed in X3).")
    var refetch = false

    func validate() throws {
        if repost || refetch {
            if repost && refetch { throw ValidationError("give one of --repost and --refetch") }
            if all || code != nil || reconvert { throw ValidationError("--repost and --refetch take report IDs only") }
            if keys.isEmpty { throw ValidationError("name the reports to \(repost ? "post" : "fetch") again") }
            return
        }
        if keys.isEmpty && !all { throw ValidationError("name the entries to replay, or pass --all") }
        if let code, ErrorCode(rawValue: code) == nil { throw ValidationError("\(code) is not an error code (see docs/error-codes.md)") }
    }

    func run() throws {
        _ = global.makeLogger()
        let configuration = ConfigurationLoader.locate(explicit: global.config, environment: ProcessInfo.processInfo.environment) != nil ? try global.loadConfiguration() : nil
        let replay = Replay(spool: global.spoolFolder(configuration))
        let moved: [Replay.Moved]
        do {
            if repost || refetch {
                moved = try replay.again(keys, repost ? .repost : .refetch)
            } else {
                moved = try replay.run(.init(keys: keys, all: all, code: code.flatMap(ErrorCode.init(rawValue:)), reconvert: reconvert))
            }
        } catch {
            throw Failure.report(error)
        }
        for item in moved { Output.line("\(item.file) → \(item.to)") }
        Output.line("replayed \(moved.count) file(s)")
    }
}
