import ArgumentParser
import Foundation
import LedgerDrop

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Creates the spool folders and a commented ledgerdrop.yml."
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Overwrite an existing ledgerdrop.yml.")
    var force = false

    func run() throws {
        // The written configuration says `spool: .`, which is relative to its own folder: with
        // --config DIR/x.yml (and no --spool) the folders go into DIR, where that points.
        let spool = global.spool == nil && ProcessInfo.processInfo.environment["LEDGERDROP_SPOOL"] == nil
            ? global.config.map { Spool(root: ($0 as NSString).deletingLastPathComponent) } ?? global.spoolFolder(nil)
            : global.spoolFolder(nil)
        do { try spool.create() } catch { throw Failure.report(error) }
        let path = global.config ?? (spool.root == "." ? "ledgerdrop.yml" : "\(spool.root)/ledgerdrop.yml")
        if FileManager.default.fileExists(atPath: path), !force {
            Output.line("spool ready in \(spool.root); kept the existing \(path) (--force overwrites it)")
            return
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(ExampleConfiguration.text.utf8)) else {
            throw Failure.report(LedgerDropError(.spoolUnavailable, "cannot write \(path)"))
        }
        Output.line("spool ready in \(spool.root): inbox/ outbox/ archive/ done/ failed/")
        Output.line("wrote \(path): set x3.site, x3.url and the mapping, then run `ledgerdrop convert`")
    }
}
